/**
 * A {@link ByteSource} over a `Blob` — in browsers typically a `File` picked by the user,
 * which may be gigabytes large and must therefore never be read whole.
 */

import { invalidArgument, ioError } from '../errors.js';
import type { ByteSource } from './byte-source.js';
import { clipRange } from './range.js';

/**
 * Wraps a `Blob` (or `File`, which is a `Blob`) as a {@link ByteSource}.
 *
 * Each read slices the blob and materialises only that slice with `arrayBuffer()`.
 * `Blob.slice` is lazy in every engine (and in Node), so only the requested bytes are
 * loaded. `Blob.arrayBuffer()` is used instead of `FileReader` because it exists in Node
 * and in workers as well as in windows.
 *
 * A `File` can become unreadable after it was picked (deleted or modified on disk); the
 * browser then rejects `arrayBuffer()` with `NotReadableError`, which is reported as a
 * `StillframeError` of kind `'io'` with the original error as `cause`.
 *
 * @param blob The blob to read. Its `size` is captured once: blobs are immutable.
 */
export function blobSource(blob: Blob): ByteSource {
  // Duck-typed rather than `instanceof Blob`: Blob polyfills and blobs from another realm
  // (an iframe, a worker's transfer) are just as readable but fail `instanceof`.
  if (blob === null || typeof blob !== 'object' || typeof blob.size !== 'number' || typeof blob.slice !== 'function') {
    throw invalidArgument('blobSource expects a Blob or File');
  }
  return {
    size: blob.size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const { start, end } = clipRange(offset, length, blob.size);
      if (start === end) return new Uint8Array(0);
      let buffer: ArrayBuffer;
      try {
        buffer = await blob.slice(start, end).arrayBuffer();
      } catch (cause) {
        throw ioError(`could not read bytes ${start}..${end - 1} of the blob: ${describe(cause)}`, cause);
      }
      return new Uint8Array(buffer);
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
