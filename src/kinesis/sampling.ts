/**
 * Sampling points and pages. A request names the points Start, Start + interval, … up to End
 * inclusive (just Start when the range is shorter than the interval); a page is the next
 * `MaxResults` of them from a position, so a position (an index) is all a token must carry.
 * All in whole milliseconds, so no point drifts by rounding however many intervals it is from Start.
 */

/** Number of sampling points from `startMs` to `endMs` inclusive, every `intervalMs`: at least 1. */
export function samplingPointCount(startMs: number, endMs: number, intervalMs: number): number {
  return Math.floor((endMs - startMs) / intervalMs) + 1;
}

/** One page of sampling points. */
export interface SamplingPage {
  /** The page's points, epoch milliseconds, ascending. */
  readonly pointsMs: readonly number[];
  /** Index of the first point after this page, or `undefined` when this page is the last. */
  readonly next: number | undefined;
}

/**
 * The page of at most `maxResults` points that starts at point index `position`.
 * @param position Index of the page's first point, from 0 to the point count minus 1.
 */
export function samplingPage(
  startMs: number,
  endMs: number,
  intervalMs: number,
  position: number,
  maxResults: number,
): SamplingPage {
  const count = samplingPointCount(startMs, endMs, intervalMs);
  if (!Number.isInteger(position) || position < 0 || position >= count) {
    throw new RangeError(`position ${position} is outside the ${count} sampling points`);
  }
  const end = Math.min(count, position + maxResults);
  const pointsMs = Array.from({ length: end - position }, (_, i) => startMs + (position + i) * intervalMs);
  return { pointsMs, next: end < count ? end : undefined };
}
