import { CanActivate, ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCEPTED_MEDIA_TYPES } from './accepts-media-types.decorator';

/** The metadata key of @nestjs/swagger's @ApiConsumes (DECORATORS.API_CONSUMES). */
const SWAGGER_API_CONSUMES = 'swagger/apiConsumes';

/**
 * A body the reader did not parse (not JSON) reaches no handler that did not ask for its media
 * type: before this, a text/plain command ran with an empty body and recorded the client's
 * intent without its data.
 */
@Injectable()
export class MediaTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<{ unparsedMediaType?: string }>();
    const mediaType = request.unparsedMediaType;
    if (mediaType === undefined) return true;
    const targets = [context.getHandler(), context.getClass()];
    // @AcceptsMediaTypes, or what the OpenAPI document says the route consumes (@ApiConsumes):
    // documented and enforced cannot drift apart.
    const accepted = [
      ...(this.reflector.getAllAndOverride<string[] | undefined>(ACCEPTED_MEDIA_TYPES, targets) ?? []),
      ...(this.reflector.getAllAndOverride<string[] | undefined>(SWAGGER_API_CONSUMES, targets) ?? []).map((m) => m.toLowerCase()),
    ];
    if (accepted.includes(mediaType)) return true;
    throw new UnsupportedMediaTypeException({
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: `the body must be application/json${accepted.length ? ` or ${accepted.join(', ')}` : ''}; got ${mediaType || 'no Content-Type'}`,
    });
  }
}
