/**
 * The wait before retry number `failures` (1 = after the first failure): doubling from `baseMs`
 * up to `maxMs`, with jitter over the upper half so that many receivers coming back at once are
 * not all retried in the same instant.
 */
export function retryDelayMs(failures: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
