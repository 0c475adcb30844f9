/**
 * `?waitFor=<position>` on query endpoints: the handler runs once the projections it reads have
 * projected that feed position, or after 5 s with `X-Projection-Behind: true` on the answer.
 *
 *   @Get() @WaitForProjections('deal_summary') find(@Query() q: MyQueryDto) { ... }
 *
 * The query DTO extends ProjectionConsistencyQuery so that the validation pipe accepts `waitFor`.
 */
import {
  applyDecorators,
  BadRequestException,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy } from 'class-validator';
import { from, map, Observable, switchMap } from 'rxjs';
import { isFeedPosition, parsePosition } from '@funnel/event-store/global-position';
import { ProjectionPositions } from './projection-positions';

export const PROJECTION_WAIT_TIMEOUT_MS = 5000;
export const PROJECTION_BEHIND_HEADER = 'X-Projection-Behind';
const WAIT_FOR_PROJECTIONS = 'funnel:wait-for-projections';

const WAIT_FOR_MESSAGE = 'waitFor must be a feed position "<commit>:<prepare>", each part at most 2^63-1';

export class ProjectionConsistencyQuery {
  @ApiPropertyOptional({
    description:
      'A feed position returned by a command ("<commit>:<prepare>"). The query waits up to 5 s for the ' +
      'read models to include it; if they do not, the answer carries X-Projection-Behind: true.',
    example: '1042:1310',
  })
  @IsOptional()
  // One rule with the feed's `after`: a part beyond 64 bits is no position (it used to wait 5 s).
  @ValidateBy({ name: 'isFeedPosition', validator: { validate: isFeedPosition, defaultMessage: () => WAIT_FOR_MESSAGE } })
  waitFor?: string;
}

/** Names the projections an endpoint reads and honours `?waitFor=` for them. */
export function WaitForProjections(...projections: string[]) {
  return applyDecorators(
    SetMetadata(WAIT_FOR_PROJECTIONS, projections),
    UseInterceptors(ProjectionWaitInterceptor),
    ApiHeader({
      name: PROJECTION_BEHIND_HEADER,
      required: false,
      description: 'In responses: "true" when ?waitFor= timed out and the answer may not include that position yet.',
    }),
  );
}

@Injectable()
export class ProjectionWaitInterceptor implements NestInterceptor {
  constructor(
    private readonly positions: ProjectionPositions,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const raw = http.getRequest<{ query: Record<string, unknown> }>().query.waitFor;
    if (raw === undefined) return next.handle();
    // Interceptors run before pipes. A malformed waitFor goes on to the validation pipe, so that
    // the 400 lists it together with every other bad field (the DTO validates waitFor too); should
    // a handler's DTO not check it, the answer is still a 400, never a silently ignored waitFor.
    if (!isPosition(raw)) return next.handle().pipe(map(() => badWaitFor()));
    const position = parsePosition(raw);
    const projections =
      this.reflector.getAllAndOverride<string[] | undefined>(WAIT_FOR_PROJECTIONS, [context.getHandler(), context.getClass()]) ?? [];
    return from(this.positions.waitFor(position, PROJECTION_WAIT_TIMEOUT_MS, projections)).pipe(
      switchMap((reached) => {
        if (!reached) http.getResponse<{ setHeader(name: string, value: string): void }>().setHeader(PROJECTION_BEHIND_HEADER, 'true');
        return next.handle();
      }),
    );
  }
}

function isPosition(raw: unknown): raw is string {
  return isFeedPosition(raw);
}

function badWaitFor(): never {
  throw new BadRequestException({
    statusCode: 400,
    message: [WAIT_FOR_MESSAGE],
    error: 'Bad Request',
  });
}
