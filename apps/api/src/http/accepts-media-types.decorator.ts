import { SetMetadata } from '@nestjs/common';

export const ACCEPTED_MEDIA_TYPES = 'funnel:acceptedMediaTypes';

/**
 * The route also takes bodies of these media types besides JSON (e.g. `text/csv` for an
 * import); it finds them, unparsed, in `request.rawBody`. Every other route answers 415.
 */
export const AcceptsMediaTypes = (...mediaTypes: string[]) =>
  SetMetadata(ACCEPTED_MEDIA_TYPES, mediaTypes.map((m) => m.toLowerCase()));
