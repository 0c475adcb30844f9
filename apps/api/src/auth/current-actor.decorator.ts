import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { Actor } from './actor';
import { ApiRequest } from './api-request';

/** The actor AuthGuard authenticated (never on a @Public() route). */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<ApiRequest>().actor;
  if (!actor) throw new UnauthorizedException({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'a bearer token is required' });
  return actor;
});
