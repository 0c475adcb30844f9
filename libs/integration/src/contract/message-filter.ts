import { OutboundMessage } from './outbound-contract';

/**
 * A consumer's filter: for each attribute named, the values it wants (any of them); attributes
 * not named are not filtered. `{ team: ['north'], to: ['WON', 'LOST'] }` = north's closings.
 */
export type MessageFilter = Readonly<Record<string, readonly string[]>>;

export function matchesFilter(message: OutboundMessage, filter: MessageFilter): boolean {
  for (const [attribute, wanted] of Object.entries(filter)) {
    if (wanted.length === 0) continue;
    const value = message.attributes[attribute];
    if (value === null || value === undefined || !wanted.includes(value)) return false;
  }
  return true;
}

/** Whether matching needs attributes a reader must look up (everything but the message itself). */
export function filterNeedsAttributes(filter: MessageFilter, ownAttributes: readonly string[]): boolean {
  return Object.entries(filter).some(([attribute, wanted]) => wanted.length > 0 && !ownAttributes.includes(attribute));
}
