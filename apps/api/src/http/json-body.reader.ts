import { BadRequestException, HttpException, HttpStatus, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { brotliDecompress, gunzip, inflate, InputType, ZlibOptions } from 'node:zlib';
import { promisify } from 'node:util';
import { FieldProblem, inspectJson, inspectText, JsonLimits, nestingDepthExceeds } from './json-limits';

/**
 * Reads every request body itself, instead of Express's body parsers, so that the limits hold
 * before anything becomes an object: size (also after decompression), nesting depth on the raw
 * text, then strings, arrays and keys. Only JSON is read and parsed; a body of another media
 * type is left unread and marked (`unparsedMediaType`) for the media-type guard, which refuses it
 * with 415 unless the route takes that type, so a command never runs with a body it did not
 * understand. Query parameters get the same text checks.
 */
export interface BodyLimits extends JsonLimits {
  maxBytes: number;
}

interface BodyRequest extends NodeJS.ReadableStream {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  /** Set when a non-empty body is not JSON: its media type ('' without Content-Type); the body is left unread. */
  unparsedMediaType?: string;
  /** body-parser's "already read" flag: Nest's own parsers then leave the request alone. */
  _body?: boolean;
}

type Next = (error?: unknown) => void;

const DECODERS: Record<string, (input: InputType, options: ZlibOptions & { maxOutputLength?: number }) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress) as never,
};

export function jsonBodyReader(limits: BodyLimits) {
  return (request: BodyRequest, _response: unknown, next: Next): void => {
    const queryProblem = queryProblems(request.url, limits);
    if (queryProblem) return next(queryProblem);
    readBody(request, limits).then(
      () => next(),
      (error: unknown) => next(error),
    );
  };
}

async function readBody(request: BodyRequest, limits: BodyLimits): Promise<void> {
  request._body = true;
  const [mediaType, ...parameters] = (header(request, 'content-type') ?? '').split(';').map((p) => p.trim().toLowerCase());
  if (!isJson(mediaType)) {
    // Not read here: a route that takes this media type streams the body itself (an import of a
    // large CSV); every other route answers 415 before the body matters (MediaTypeGuard).
    if (hasBody(request)) request.unparsedMediaType = mediaType;
    return;
  }
  const raw = await collect(request, limits.maxBytes);
  if (raw.length === 0) return;
  const bytes = await decode(raw, header(request, 'content-encoding'), limits.maxBytes);
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new UnsupportedMediaTypeException({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: `JSON bodies must be UTF-8, not ${charset}` });
  }
  request.body = parseJson(bytes, limits);
}

function hasBody(request: BodyRequest): boolean {
  const length = header(request, 'content-length');
  return header(request, 'transfer-encoding') !== undefined || (length !== undefined && Number(length) > 0);
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

export function header(request: { headers: Record<string, string | string[] | undefined> }, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function collect(request: BodyRequest, maxBytes: number): Promise<Buffer> {
  const declared = Number(header(request, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      request.removeListener('data', onData);
      if (error) {
        // Keep reading (and discarding) so the client gets the answer instead of a reset.
        request.resume();
        reject(error);
      } else resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(tooLarge(maxBytes));
      else chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => finish());
    request.on('error', (error) => finish(new BadRequestException({ statusCode: 400, code: 'BODY_UNREADABLE', message: `the body could not be read: ${error.message}` })));
  });
}

async function decode(raw: Buffer, encoding: string | undefined, maxBytes: number): Promise<Buffer> {
  let bytes = raw;
  for (const coding of codingsToUndo(encoding)) {
    try {
      bytes = await DECODERS[coding](bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
      throw notValidCoding(coding);
    }
  }
  return bytes;
}

/**
 * The codings of a Content-Encoding header in the order they come off (they apply in the order
 * listed, so in reverse); 415 for one this server does not decode.
 */
export function codingsToUndo(encoding: string | undefined): string[] {
  const codings = (encoding ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c && c !== 'identity');
  for (const coding of codings) {
    if (!Object.hasOwn(DECODERS, coding)) {
      throw new UnsupportedMediaTypeException({
        statusCode: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: `Content-Encoding ${coding} is not supported (gzip, deflate, br or identity)`,
      });
    }
  }
  return codings.reverse();
}

export function notValidCoding(coding: string): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    code: 'BODY_UNREADABLE',
    message: `the body is not valid ${coding} data, as its Content-Encoding says`,
  });
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function parseJson(bytes: Buffer, limits: JsonLimits): unknown {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw invalid([{ field: 'body', messages: ['body is not valid UTF-8'] }]);
  }
  if (nestingDepthExceeds(text, limits.maxDepth)) {
    throw invalid([{ field: 'body', messages: [`body is nested deeper than ${limits.maxDepth} levels`] }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid([{ field: 'body', messages: [`body is not valid JSON: ${(error as Error).message}`] }]);
  }
  const problems = inspectJson(value, limits);
  if (problems.length) throw invalid(problems);
  return value;
}

function queryProblems(url: string, limits: JsonLimits): HttpException | undefined {
  const at = url.indexOf('?');
  if (at < 0) return undefined;
  const problems: FieldProblem[] = [];
  for (const [name, value] of new URLSearchParams(url.slice(at + 1))) {
    for (const text of [name, value]) {
      const message = inspectText(text, limits);
      if (message) problems.push({ field: name.replace(/[^\x20-\x7e]/g, '?'), messages: [`${name === text ? 'the name' : 'the value'} ${message}`] });
    }
  }
  return problems.length ? invalid(problems) : undefined;
}

function invalid(problems: FieldProblem[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    code: 'VALIDATION_FAILED',
    message: problems.flatMap((p) => p.messages.map((m) => `${p.field}: ${m}`)),
    errors: problems,
  });
}

export function tooLarge(maxBytes: number): PayloadTooLargeException {
  return new PayloadTooLargeException({
    statusCode: HttpStatus.PAYLOAD_TOO_LARGE,
    code: 'PAYLOAD_TOO_LARGE',
    message: `the body is larger than ${maxBytes} bytes`,
  });
}
