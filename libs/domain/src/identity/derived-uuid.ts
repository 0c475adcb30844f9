import { createHash } from 'node:crypto';

/**
 * A uuid derived from its parts (sha1, laid out like a version-5 uuid): the same parts always
 * give the same id. What crosses streams (an account opened for a deal, a suggestion made from
 * a deal's event) gets derived ids, so a retry after a crash appends nothing twice.
 */
export function derivedUuid(...parts: string[]): string {
  const hash = createHash('sha1').update(parts.join('\u0000')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
