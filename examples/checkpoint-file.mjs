// A consumer's checkpoint and its de-duplication memory, in a small JSON file written atomically
// (write a temp file, rename): a crash leaves either the old or the new state, never half of one.
// In a real service keep both in the same database transaction as the effect of each change.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export function openCheckpoint(path, { remember = 10_000 } = {}) {
  let state = { position: null, seen: [] };
  try {
    state = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // first run: no checkpoint yet
  }
  const seen = new Set(state.seen);
  return {
    /** The position to resume after, or null to start from the beginning. */
    get position() {
      return state.position;
    },
    /** True if this event was handled already (a redelivery): skip it. */
    seen: (eventId) => seen.has(eventId),
    /** Records that `eventId` (at `position`, if the channel has positions) is handled. */
    save(eventId, position) {
      if (eventId) seen.add(eventId);
      state = { position: position ?? state.position, seen: [...seen].slice(-remember) };
      writeFileSync(`${path}.tmp`, JSON.stringify(state));
      renameSync(`${path}.tmp`, path);
    },
  };
}
