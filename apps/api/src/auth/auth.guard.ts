import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { API_ROLES, ApiRole, actorFromClaims } from './actor';
import { ApiRequest } from './api-request';
import { IS_PUBLIC } from './public.decorator';
import { REQUIRED_ROLES } from './roles.decorator';

/**
 * The global guard: every route needs a valid bearer token (401 otherwise) unless it is
 * @Public(), and one of the roles its @Roles() names (403 otherwise).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<ApiRequest>();
    const token = bearerToken(request.header('authorization'));
    if (!token) throw unauthenticated('a bearer token is required (Authorization: Bearer <token>)');
    let claims: unknown;
    try {
      // The module's verify options: HS256, iss/aud when configured, bounded clock skew.
      claims = await this.jwt.verifyAsync(token);
    } catch (error) {
      throw unauthenticated(`the bearer token is not valid: ${(error as Error).message}`);
    }
    // jsonwebtoken accepts a token without `exp`; such a token would be valid forever.
    if (typeof (claims as { exp?: unknown }).exp !== 'number') throw unauthenticated('the bearer token must carry `exp`');
    const actor = actorFromClaims(claims);
    if (!actor) throw unauthenticated('the bearer token must carry `sub` and a `roles` list');
    request.actor = actor;

    const required = this.reflector.getAllAndOverride<ApiRole[] | undefined>(REQUIRED_ROLES, targets) ?? API_ROLES;
    if (!actor.roles.some((role) => required.includes(role))) {
      throw new ForbiddenException({
        statusCode: 403,
        code: 'FORBIDDEN',
        rule: `roles: ${required.join(' | ')}`,
        message: `this needs one of the roles ${required.join(', ')}; the token has ${actor.roles.join(', ') || 'none'} (rule roles: ${required.join(' | ')})`,
      });
    }
    return true;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

function unauthenticated(message: string): UnauthorizedException {
  return new UnauthorizedException({ statusCode: 401, code: 'UNAUTHENTICATED', message });
}
