import { SetMetadata } from '@nestjs/common';

export const ACCEPTED_MEDIA_TYPES = 'funnel:acceptedMediaTypes';

/**
 * The route also takes bodies of these media types besides JSON (e.g. `text/csv` for an
 * import) and reads them itself from the request stream, unread so far. `@ApiConsumes` of
 * @nestjs/swagger counts the same. Every other route answers 415 to a body that is not JSON.
 */
export const AcceptsMediaTypes = (...mediaTypes: string[]) =>
  SetMetadata(ACCEPTED_MEDIA_TYPES, mediaTypes.map((m) => m.toLowerCase()));
