/**
 * Sampling points: Start, Start + interval, … up to End inclusive; a range shorter than the
 * interval gives the point at Start; pages are the next MaxResults points from a position.
 */
import { describe, expect, it } from 'vitest';
import { samplingPage, samplingPointCount } from '../../src/kinesis/sampling.js';

describe('sampling points', () => {
  it('run from Start every interval up to End inclusive', () => {
    expect(samplingPage(0, 9000, 3000, 0, 100)).toEqual({ pointsMs: [0, 3000, 6000, 9000], next: undefined });
    expect(samplingPointCount(0, 9000, 3000)).toBe(4);
  });

  it('stop at the last point at or before End', () => {
    expect(samplingPage(0, 8999, 3000, 0, 100).pointsMs).toEqual([0, 3000, 6000]);
  });

  it('a range shorter than the interval gives the point at Start', () => {
    expect(samplingPage(1000, 2999, 3000, 0, 100)).toEqual({ pointsMs: [1000], next: undefined });
    expect(samplingPage(1000, 1000, 3000, 0, 100).pointsMs).toEqual([1000]);
  });

  it('stay exact far from Start (integer milliseconds, no accumulated rounding)', () => {
    const start = Date.parse('2026-11-21T10:00:00Z');
    const { pointsMs } = samplingPage(start, start + 300_000, 1, 0, 100);
    expect(pointsMs[99]! - start).toBe(99);
    expect(samplingPointCount(start, start + 300_000, 1)).toBe(300_001);
    expect(samplingPage(start, start + 300_000, 1, 300_000, 100)).toEqual({ pointsMs: [start + 300_000], next: undefined });
  });
});

describe('pages', () => {
  it('hold MaxResults points from the position, and say where the next starts', () => {
    expect(samplingPage(0, 9000, 1000, 0, 4)).toEqual({ pointsMs: [0, 1000, 2000, 3000], next: 4 });
    expect(samplingPage(0, 9000, 1000, 4, 4)).toEqual({ pointsMs: [4000, 5000, 6000, 7000], next: 8 });
    expect(samplingPage(0, 9000, 1000, 8, 4)).toEqual({ pointsMs: [8000, 9000], next: undefined });
  });

  it('the last page is not followed by an empty one when it is exactly full', () => {
    expect(samplingPage(0, 7000, 1000, 4, 4)).toEqual({ pointsMs: [4000, 5000, 6000, 7000], next: undefined });
  });

  it('refuse a position outside the points', () => {
    expect(() => samplingPage(0, 9000, 1000, 10, 4)).toThrow(RangeError);
    expect(() => samplingPage(0, 9000, 1000, -1, 4)).toThrow(RangeError);
  });
});
