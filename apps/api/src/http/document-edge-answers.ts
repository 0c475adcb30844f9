import { OpenAPIObject } from '@nestjs/swagger';

type Operation = { security?: Record<string, string[]>[]; responses: Record<string, unknown>; requestBody?: unknown; 'x-public'?: boolean; 'x-roles'?: string[] };

/**
 * The answers the edge gives on any route, added to every operation of the OpenAPI document so
 * a new route is documented without anyone remembering to: 401/403 where a token is needed
 * (with the roles the route serves), 429 from the rate limit, 413/415 where a body is taken.
 */
export function documentEdgeAnswers(document: OpenAPIObject): OpenAPIObject {
  const error = document.components?.schemas?.ErrorResponseDto ? { content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } } } : {};
  const add = (operation: Operation, status: string, description: string) => {
    operation.responses[status] ??= { description, ...error };
  };
  for (const item of Object.values(document.paths)) {
    for (const [method, value] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const operation = value as Operation;
      if (!operation['x-public']) {
        if (!operation.security?.length) operation.security = [{ bearer: [] }];
        add(operation, '401', 'No bearer token, or one that is not valid (expired, wrong issuer or audience, no `exp`).');
        const roles = operation['x-roles'];
        add(operation, '403', `${roles ? `Needs one of the roles ${roles.join(', ')}` : 'The role may not do this'}; or the deal is not within the actor's ownership rule. The body names the rule.`);
      }
      add(operation, '429', 'Too many requests from this token (or IP without one): retry after the Retry-After header.');
      if (operation.requestBody) {
        add(operation, '413', 'The body is larger than HTTP_BODY_LIMIT_BYTES.');
        add(operation, '415', 'The body is not application/json (or its Content-Encoding is not gzip, deflate or br).');
      }
    }
  }
  return document;
}
