/**
 * A small seeded pseudo-random generator (mulberry32: 32-bit state, passes the usual quick
 * statistical checks, a few operations per draw). The forecast's Monte Carlo must give the same
 * answer for the same seed on every machine, which Math.random cannot promise.
 */
export type Random = () => number;

/** Uniform in [0, 1), deterministic per 32-bit seed. */
export function seededRandom(seed: number): Random {
  // The state lives in a typed array: a 32-bit number kept in a closure variable would be boxed
  // on every draw, and the forecast draws tens of millions of times.
  const state = Uint32Array.of(seed >>> 0);
  return () => {
    state[0] += 0x6d2b79f5;
    let t = state[0];
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
