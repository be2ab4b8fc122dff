/** Binary search over increasing keys, for the timelines and lists that are sorted by time. */

/** Index of the last of `length` keys, increasing, `keyAt(i)`, that is at or before `value`; -1 when none is. */
export function lastIndexAtOrBefore(length: number, keyAt: (i: number) => number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyAt(mid) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
