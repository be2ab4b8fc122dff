/**
 * `mapConcurrently`, the bound on how much of a batch is in flight: results come back in input
 * order, never more than `limit` calls run at once, and a failure rejects the map only after
 * the calls already started have settled.
 */
import { describe, expect, it } from 'vitest';
import { mapConcurrently } from '../../src/concurrency.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapConcurrently', () => {
  it('keeps the input order whatever order the calls finish in', async () => {
    const out = await mapConcurrently([30, 5, 20, 1], 3, async (ms) => (await tick(ms), ms * 2));
    expect(out).toEqual([60, 10, 40, 2]);
  });

  it('never runs more than `limit` calls at once, and keeps that many busy', async () => {
    let running = 0;
    let peak = 0;
    await mapConcurrently(Array.from({ length: 9 }, (_, i) => i), 3, async () => {
      peak = Math.max(peak, ++running);
      await tick(5);
      running--;
    });
    expect(peak).toBe(3);
  });

  it('rejects with the first failure once the calls in flight have settled, starting no new one', async () => {
    const settled: number[] = [];
    const started: number[] = [];
    const map = mapConcurrently([0, 1, 2, 3, 4], 2, async (i) => {
      started.push(i);
      await tick(i === 0 ? 1 : 20);
      settled.push(i);
      if (i === 0) throw new Error('boom');
      return i;
    });
    await expect(map).rejects.toThrow('boom');
    expect(started).toEqual([0, 1]);
    expect(settled.sort()).toEqual([0, 1]);
  });

  it('handles an empty list and a limit above the list length', async () => {
    expect(await mapConcurrently([], 4, async (x: number) => x)).toEqual([]);
    expect(await mapConcurrently([1, 2], 10, async (x) => x + 1)).toEqual([2, 3]);
  });
});
