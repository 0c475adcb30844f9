import { BadRequestException } from '@nestjs/common';
import { PassThrough, Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { codingsToUndo, header, notValidCoding, tooLarge } from './json-body.reader';

/**
 * A request body as a stream, for a route that reads it as it arrives (an import of a large CSV)
 * instead of the JSON reader's whole-body read, under the same rules: a declared Content-Length
 * over the limit is refused before a byte is read; the limit holds on the bytes received and again
 * after decompression (so a small gzip bomb stops at the limit); gzip, deflate and br are
 * decoded, any other coding is a 415. A failure becomes the stream's error (413, or 400 for a body
 * that is not what its Content-Encoding says), and the rest of the body is read and discarded so
 * the client gets that answer instead of a reset.
 */
export function streamedBody(request: Readable & { headers: Record<string, string | string[] | undefined> }, maxBytes: number): Readable {
  const declared = Number(header(request, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const codings = codingsToUndo(header(request, 'content-encoding'));

  const body = new PassThrough();
  const fail = (error: Error) => {
    if (body.destroyed) return;
    discardUnread(request);
    body.destroy(error);
  };
  const limit = () => atMost(maxBytes).on('error', fail);
  const stages: Transform[] = [limit()];
  for (const coding of codings) {
    const decoder = DECODERS[coding]().on('error', () => fail(notValidCoding(coding)));
    stages.push(decoder, limit());
  }
  request.on('error', (error) => fail(new BadRequestException({ statusCode: 400, code: 'BODY_UNREADABLE', message: `the body could not be read: ${error.message}` })));
  [...stages, body].reduce<Readable>((upstream, stage) => upstream.pipe(stage), request);
  return body;
}

/** Stops reading a body into the streams it fed and reads the rest into nothing (answer, not reset). */
export function discardUnread(request: Readable): void {
  if (request.readableEnded) return;
  request.unpipe();
  request.resume();
}

const DECODERS: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** Passes bytes through until more than maxBytes have come, then fails with 413. */
function atMost(maxBytes: number): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > maxBytes ? tooLarge(maxBytes) : null, size > maxBytes ? undefined : chunk);
    },
  });
}
