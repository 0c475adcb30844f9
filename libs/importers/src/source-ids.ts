/**
 * Ids derived from the source's own ids: the same source record always gets the same deal (and
 * event) id, which is what makes a re-import append nothing and a later export land on the
 * deal's existing stream.
 */
import { createHash } from 'node:crypto';

/** A name-based uuid (sha1, laid out as version 5) of its parts. */
export function nameBasedUuid(...parts: string[]): string {
  const hash = createHash('sha1').update(parts.join('\u0000')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The Funnel deal id of a source system's deal. */
export function sourceDealId(system: string, externalDealId: string): string {
  return nameBasedUuid('funnel-import-deal', system, externalDealId);
}

/** The event id of an imported source record: a repeated append of it is recognised by the store. */
export function sourceEventId(system: string, externalId: string): string {
  return nameBasedUuid('funnel-import-event', system, externalId);
}
