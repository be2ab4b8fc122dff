/**
 * The conformance suite that every ByteSource implementation must pass.
 */

import { describe, expect, it } from 'vitest';
import type { ByteSource } from '../../src/sources/byte-source.js';
import { testBytes } from '../helpers/noise.js';

/** A source under test plus whatever must be released after it. */
export interface SourceFixture {
  source: ByteSource;
  cleanup?: () => Promise<void> | void;
}

/** Size of the conformance data: not a power of two, so off-by-one clipping shows. */
export const CONFORMANCE_SIZE = 4099;

/**
 * The ByteSource contract, as a reusable spec: `make` must return a source whose content
 * is exactly `data`.
 */
export function describeByteSourceContract(name: string, make: (data: Uint8Array<ArrayBuffer>) => Promise<SourceFixture>): void {
  describe(`${name} (ByteSource contract)`, () => {
    const data = testBytes(CONFORMANCE_SIZE);

    async function withSource(run: (source: ByteSource) => Promise<void>): Promise<void> {
      const fixture = await make(data);
      try {
        await run(fixture.source);
      } finally {
        await fixture.cleanup?.();
      }
    }

    it('reports the size of the content', () =>
      withSource(async (source) => {
        expect(source.size).toBe(data.byteLength);
      }));

    it('returns the bytes of a range at the start', () =>
      withSource(async (source) => {
        expect(await source.read(0, 16)).toEqual(data.slice(0, 16));
      }));

    it('returns the bytes of a range in the middle', () =>
      withSource(async (source) => {
        expect(await source.read(1000, 333)).toEqual(data.slice(1000, 1333));
        expect(await source.read(2047, 1)).toEqual(data.slice(2047, 2048));
      }));

    it('returns the bytes of a range that ends exactly at the end', () =>
      withSource(async (source) => {
        expect(await source.read(data.length - 10, 10)).toEqual(data.slice(-10));
      }));

    it('returns the whole content in one read', () =>
      withSource(async (source) => {
        expect(await source.read(0, data.length)).toEqual(data);
      }));

    it('returns a short read for a range running past the end', () =>
      withSource(async (source) => {
        const bytes = await source.read(data.length - 10, 100);
        expect(bytes).toEqual(data.slice(-10));
      }));

    it('returns no bytes for a range starting at or after the end, or of length 0', () =>
      withSource(async (source) => {
        expect((await source.read(data.length, 10)).byteLength).toBe(0);
        expect((await source.read(data.length + 1000, 5)).byteLength).toBe(0);
        expect((await source.read(5, 0)).byteLength).toBe(0);
      }));

    it('serves concurrent reads with the right bytes each', () =>
      withSource(async (source) => {
        const ranges: Array<[number, number]> = [
          [3000, 500],
          [0, 100],
          [4000, 200],
          [1234, 1],
          [2000, 999],
        ];
        const results = await Promise.all(ranges.map(([o, l]) => source.read(o, l)));
        results.forEach((bytes, i) => {
          const [o, l] = ranges[i]!;
          expect(bytes).toEqual(data.slice(o, o + l));
        });
      }));

    it('rejects offsets and lengths that are not non-negative integers with invalid-argument', () =>
      withSource(async (source) => {
        for (const [offset, length] of [
          [-1, 10],
          [Number.NaN, 10],
          [1.5, 10],
          [Number.POSITIVE_INFINITY, 10],
          [0, -1],
          [0, Number.NaN],
          [0, 2.5],
        ] as const) {
          await expect(source.read(offset, length), `read(${offset}, ${length})`).rejects.toMatchObject({
            name: 'StillframeError',
            kind: 'invalid-argument',
          });
        }
      }));
  });
}
