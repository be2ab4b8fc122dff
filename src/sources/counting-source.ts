/**
 * A transparent wrapper that records every read. Tests and benchmarks use it to prove that
 * a frame extraction touched only the bytes it needs (the moov box and one GOP), not the
 * whole file.
 */

import type { ByteSource } from './byte-source.js';

/** One `read` call as the wrapped source's caller issued it. */
export interface ReadRecord {
  /** `offset` argument of the read. */
  readonly offset: number;
  /** `length` argument of the read (what was asked for, not what came back). */
  readonly length: number;
}

/** A {@link ByteSource} that also reports how it was read. */
export interface CountingSource extends ByteSource {
  /** Total number of bytes actually returned by successful reads (short reads count what came back). */
  readonly bytesRead: number;
  /** Every read in call order, including reads that later failed. */
  readonly reads: ReadonlyArray<ReadRecord>;
}

/**
 * Wraps `inner` so that its reads are counted. Reads, `size` and `close` are forwarded
 * unchanged; errors of `inner` propagate untouched.
 *
 * Requests are recorded when issued (so concurrent reads appear in call order and a failing
 * read is still visible), while `bytesRead` grows when a read resolves, counting the bytes
 * that were really delivered.
 */
export function countingSource(inner: ByteSource): CountingSource {
  const reads: ReadRecord[] = [];
  let bytesRead = 0;
  const source: CountingSource = {
    get size() {
      return inner.size;
    },
    get bytesRead() {
      return bytesRead;
    },
    get reads() {
      return reads;
    },
    async read(offset: number, length: number): Promise<Uint8Array> {
      reads.push(Object.freeze({ offset, length }));
      const bytes = await inner.read(offset, length);
      bytesRead += bytes.byteLength;
      return bytes;
    },
  };
  // Only expose close when the inner source has one, so `source.close?.()` behaves the same
  // with and without the wrapper.
  if (inner.close) {
    const close = inner.close.bind(inner);
    return Object.assign(source, { close: () => close() });
  }
  return source;
}
