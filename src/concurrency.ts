/**
 * Bounded concurrency for batches: enough work in flight to keep every engine instance busy
 * (and the main thread rendering meanwhile), never so much that a batch holds all its inputs
 * in memory at once.
 */

/**
 * Maps `items` through `work` with at most `limit` calls pending at a time, resolving to the
 * results in the order of `items`. A rejection rejects the whole map once the calls in flight
 * have settled (no call is left running unobserved).
 */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        results[index] = await work(items[index]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const lanes = Math.max(1, Math.min(Math.floor(limit), items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure) throw failure.error;
  return results;
}
