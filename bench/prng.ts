/**
 * A seeded PRNG (mulberry32): the "random" times of job 3 are the same on every run and machine,
 * so runs compare like with like.
 */

/** A generator of floats in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` times in [0, maxS), in seconds rounded to the millisecond, from `seed`. */
export function randomTimes(count: number, maxS: number, seed: number): number[] {
  const next = mulberry32(seed);
  return Array.from({ length: count }, () => Math.round(next() * maxS * 1000) / 1000);
}
