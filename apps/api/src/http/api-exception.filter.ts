import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  ValidationError,
} from '@nestjs/common';
import { AccountError } from '@funnel/domain/account/account.errors';
import { DomainError } from '@funnel/domain/deal/deal.errors';
import { AccountConcurrencyError } from '@funnel/read-models/accounts/account-writer';
import { ConcurrentChangeError, DealNotFoundError } from '../deals/deal-api.errors';
import { IdempotencyKeyReusedError } from '../idempotency/idempotency.errors';

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string | string[];
  [key: string]: unknown;
}

interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): unknown;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
};

/**
 * Every error the API answers, in one shape `{ statusCode, code, message, … }`:
 * DomainError → 422 with `unmet` (DEAL_NOT_FOUND → 404), a lost race or stale If-Match → 409
 * with `expected` and `actual`, a reused Idempotency-Key → 422, HTTP errors keep their status.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<HttpResponse>();
    const body = this.toBody(exception);
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      const statusCode = exception.code === 'DEAL_NOT_FOUND' ? HttpStatus.NOT_FOUND : HttpStatus.UNPROCESSABLE_ENTITY;
      return { statusCode, code: exception.code, message: exception.message, unmet: exception.unmet };
    }
    if (exception instanceof AccountError) {
      const statusCode = exception.code === 'ACCOUNT_NOT_FOUND' ? HttpStatus.NOT_FOUND : HttpStatus.UNPROCESSABLE_ENTITY;
      return { statusCode, code: exception.code, message: exception.message, unmet: exception.unmet };
    }
    if (exception instanceof AccountConcurrencyError) {
      return { statusCode: HttpStatus.CONFLICT, code: 'CONCURRENT_CHANGE', message: exception.message, expected: exception.expected, actual: exception.actual };
    }
    if (exception instanceof DealNotFoundError) {
      return { statusCode: HttpStatus.NOT_FOUND, code: 'DEAL_NOT_FOUND', message: exception.message };
    }
    if (exception instanceof ConcurrentChangeError) {
      return {
        statusCode: HttpStatus.CONFLICT,
        code: 'CONCURRENT_CHANGE',
        message: exception.message,
        expected: exception.expected,
        actual: exception.actual,
      };
    }
    if (exception instanceof IdempotencyKeyReusedError) {
      return { statusCode: HttpStatus.UNPROCESSABLE_ENTITY, code: 'IDEMPOTENCY_KEY_REUSED', message: exception.message, unmet: [] };
    }
    if (exception instanceof HttpException) return httpErrorBody(exception);
    const client = clientErrorOfBodyParser(exception);
    if (client) return client;
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL_ERROR', message: 'Internal server error' };
  }
}

/**
 * Express's body parser refuses a body too large (413), in an unsupported charset or encoding
 * (415), or unreadable (400) with an error of its own kind, not an HttpException: it marks it
 * `expose` and gives the status. Those are the client's errors, not a 500.
 */
function clientErrorOfBodyParser(exception: unknown): ErrorBody | undefined {
  if (!(exception instanceof Error)) return undefined;
  const { status, expose, type } = exception as Error & { status?: unknown; expose?: unknown; type?: unknown };
  if (expose !== true || typeof type !== 'string' || typeof status !== 'number' || status < 400 || status > 499) return undefined;
  return { statusCode: status, code: CODE_BY_STATUS[status] ?? 'HTTP_ERROR', message: exception.message };
}

function httpErrorBody(exception: HttpException): ErrorBody {
  const statusCode = exception.getStatus();
  const given = exception.getResponse();
  const fields = typeof given === 'object' && given !== null ? (given as Record<string, unknown>) : { message: given };
  const { error: _error, ...rest } = fields;
  return {
    ...rest,
    statusCode,
    code: typeof fields.code === 'string' ? fields.code : (CODE_BY_STATUS[statusCode] ?? 'HTTP_ERROR'),
    message: (fields.message as string | string[] | undefined) ?? exception.message,
  };
}

/**
 * For the global ValidationPipe: a 400 that lists every bad field by its path
 * (`account.name`, `preparation.customerAttendees.0.name`), with all of its messages.
 */
export function validationException(errors: ValidationError[]): BadRequestException {
  const fields = flatten(errors, '');
  return new BadRequestException({
    statusCode: 400,
    code: 'VALIDATION_FAILED',
    message: fields.flatMap((f) => f.messages.map((m) => `${f.field}: ${m}`)),
    errors: fields,
  });
}

function flatten(errors: ValidationError[], parent: string): { field: string; messages: string[] }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    // A missing field fails every rule; "should not be null or undefined" says all there is to say.
    const own = constraints.isDefined ? [constraints.isDefined] : [...new Set(Object.values(constraints))];
    return [...(own.length ? [{ field, messages: own }] : []), ...flatten(error.children ?? [], field)];
  });
}
