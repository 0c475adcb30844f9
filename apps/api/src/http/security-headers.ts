import helmet from 'helmet';

type Directives = Record<string, string[]>;
type Middleware = (request: { path?: string; url: string }, response: unknown, next: (error?: unknown) => void) => void;

/**
 * The default Content-Security-Policy: same-origin scripts, styles, images and connections, no
 * inline code, no plugins, no framing. A static page served by the api (the dashboard at `/`)
 * works under it as long as its scripts and styles are files of the same origin.
 */
export const STRICT_CSP: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Per-path exceptions to STRICT_CSP (longest prefix wins). Swagger UI at /docs sets inline
 * styles; a route that needs more adds its prefix here rather than loosening the default.
 */
export const CSP_BY_PATH_PREFIX: Record<string, Directives> = {
  '/docs': { ...STRICT_CSP, 'style-src': ["'self'", "'unsafe-inline'"], 'script-src': ["'self'", "'unsafe-inline'"] },
};

/** helmet's headers on every answer, with the Content-Security-Policy of the request's path. */
export function securityHeaders(byPrefix: Record<string, Directives> = CSP_BY_PATH_PREFIX): Middleware {
  const make = (directives: Directives) =>
    helmet({ contentSecurityPolicy: { useDefaults: false, directives }, crossOriginEmbedderPolicy: false }) as unknown as Middleware;
  const strict = make(STRICT_CSP);
  const prefixes = Object.keys(byPrefix).sort((a, b) => b.length - a.length);
  const special = new Map(prefixes.map((p) => [p, make(byPrefix[p])]));
  return (request, response, next) => {
    const path = request.url.split('?')[0];
    const prefix = prefixes.find((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}-`));
    (prefix ? special.get(prefix)! : strict)(request, response, next);
  };
}
