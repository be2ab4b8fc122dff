/**
 * Deterministic, non-periodic test data from one xorshift32 generator, so that reading the
 * wrong offset (or the wrong plane) can never accidentally produce the expected values.
 */

/** A xorshift32 generator: each call returns the next unsigned 32-bit value. */
function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** `length` values in `[0, limit)`. */
export function noise(length: number, seed: number, limit = 256): number[] {
  const next = xorshift32(seed);
  return Array.from({ length }, () => next() % limit);
}

/** `length` bytes. */
export function testBytes(length: number, seed = 0x9e3779b9): Uint8Array<ArrayBuffer> {
  const next = xorshift32(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = next() & 0xff;
  return out;
}
