/** Route decorators that give every deal endpoint the same auth, headers and documented answers. */
import { HttpCode, Param, ParseUUIDPipe, Post, applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ApiRole, COMMAND_ROLES } from '../auth/actor';
import { Roles } from '../auth/roles.decorator';
import { ConcurrentChangeDto, DealCommandResultDto, DomainRefusalDto, ErrorResponseDto } from './dto/responses.dto';

const ETAG = { ETag: { description: 'The revision of the deal after the command, e.g. "3".', schema: { type: 'string' } } };

export interface DealCommandRouteOptions {
  /** Command name(s) in the description. */
  command: string;
  description?: string;
  roles?: readonly ApiRole[];
  /** Opening a deal: no :dealId, no If-Match. */
  opensDeal?: boolean;
}

/** POST route of a deal command: 201 `{ dealId, revision, position }`, errors as documented. */
export function DealCommandRoute(path: string, summary: string, options: DealCommandRouteOptions) {
  const roles = options.roles ?? COMMAND_ROLES;
  return applyDecorators(
    Post(path),
    HttpCode(201),
    Roles(...roles),
    ApiBearerAuth(),
    ApiOperation({
      summary,
      description: [`Command: ${options.command}. Roles: ${roles.join(', ')}.`, options.description].filter(Boolean).join('\n\n'),
    }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'The same key and body answer the first response again and append nothing; another body → 422.',
    }),
    ...(options.opensDeal
      ? []
      : [
          ApiParam({ name: 'dealId', format: 'uuid' }),
          ApiHeader({ name: 'If-Match', required: false, description: 'The ETag the caller saw; another revision → 409.' }),
        ]),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Echoed; recorded on every event. New uuid when absent.' }),
    ApiCreatedResponse({ type: DealCommandResultDto, headers: ETAG }),
    ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Bad input: every bad field is listed.' }),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No or invalid bearer token.' }),
    ApiForbiddenResponse({ type: ErrorResponseDto, description: `Needs one of the roles ${roles.join(', ')}.` }),
    ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No deal with this id (code DEAL_NOT_FOUND).' }),
    ApiConflictResponse({ type: ConcurrentChangeDto, description: 'The deal changed meanwhile (If-Match stale, or a lost race).' }),
    ApiUnprocessableEntityResponse({
      type: DomainRefusalDto,
      description: 'Refused by the playbook (GATE_NOT_MET with every unmet criterion, OVERRIDE_NOT_ALLOWED, …) or IDEMPOTENCY_KEY_REUSED.',
    }),
  );
}

/** The :dealId path parameter, which must be a uuid (400 otherwise). */
export const DealId = () => Param('dealId', new ParseUUIDPipe());
