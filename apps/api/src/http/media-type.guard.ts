import { CanActivate, ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCEPTED_MEDIA_TYPES } from './accepts-media-types.decorator';

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
    const accepted = this.reflector.getAllAndOverride<string[] | undefined>(ACCEPTED_MEDIA_TYPES, [context.getHandler(), context.getClass()]) ?? [];
    if (accepted.includes(mediaType)) return true;
    throw new UnsupportedMediaTypeException({
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: `the body must be application/json${accepted.length ? ` or ${accepted.join(', ')}` : ''}; got ${mediaType || 'no Content-Type'}`,
    });
  }
}
