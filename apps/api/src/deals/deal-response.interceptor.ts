import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, map } from 'rxjs';
import { ApiResponse } from '../auth/api-request';
import { VersionedResponse } from './versioned-response';

export const formatETag = (revision: number): string => `"${revision}"`;

/** Unwraps a VersionedResponse: the body goes out, the revision becomes the ETag. */
@Injectable()
export class DealResponseInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((value: unknown) => {
        if (!(value instanceof VersionedResponse)) return value;
        const response = context.switchToHttp().getResponse<ApiResponse>();
        response.setHeader('ETag', formatETag(value.revision));
        if (value.replayed) response.setHeader('Idempotent-Replayed', 'true');
        return value.body;
      }),
    );
  }
}
