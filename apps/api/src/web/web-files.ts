import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The dashboard's Content-Security-Policy: only our own scripts, styles and API, nothing inline,
 * no frames, no plugins. ECharts draws on canvas and styles its elements through the CSSOM,
 * which a policy without 'unsafe-inline' still allows.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every dashboard file; set by the route itself so a global helmet cannot loosen them. */
export const DASHBOARD_HEADERS: Record<string, string> = {
  'Content-Security-Policy': DASHBOARD_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // The page reads tokens from the URL fragment: never cache a response that could echo one.
  'Cache-Control': 'no-cache',
};

/** URL prefixes of the page's modules and of the ECharts build. */
export const WEB_PREFIX = '/web/';
export const ECHARTS_PREFIX = '/web/vendor/echarts/';

/**
 * apps/web, found from here upwards: ts-node runs this file from apps/api/src/web, the build from
 * dist/apps/api/src/web (the image copies apps/web beside dist).
 */
export function webDirectory(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'apps', 'web');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`apps/web/index.html not found above ${from}`);
  }
}

/** node_modules/echarts/dist, wherever npm put it. */
export function echartsDirectory(): string {
  // The package's `require` entry is dist/echarts.js.
  return dirname(require.resolve('echarts'));
}
