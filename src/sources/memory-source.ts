/**
 * A {@link ByteSource} over bytes that are already in memory (a downloaded clip, a test
 * fixture, a buffer handed over by another API).
 */

import { invalidArgument } from '../errors.js';
import type { ByteSource } from './byte-source.js';
import { clipRange } from './range.js';

/**
 * Wraps in-memory bytes as a {@link ByteSource}.
 *
 * Reads return `subarray` views, not copies: the demuxer reads many small boxes and sample
 * payloads, and copying each one would double the memory traffic for no benefit. The flip
 * side is that the returned views alias `data`, so callers must treat them as read-only
 * and the owner must not mutate `data` while the source is in use.
 *
 * @param data The bytes. An `ArrayBuffer` is viewed whole; a `Uint8Array` is viewed over
 *   exactly its own window (`byteOffset`/`byteLength`), not its whole backing buffer.
 * @returns A source whose `size` is `data.byteLength`. It holds no handles, so it has no `close`.
 */
export function memorySource(data: Uint8Array | ArrayBuffer): ByteSource {
  let bytes: Uint8Array;
  if (data instanceof Uint8Array) {
    bytes = data;
  } else if (data instanceof ArrayBuffer) {
    bytes = new Uint8Array(data);
  } else {
    throw invalidArgument('memorySource expects a Uint8Array or an ArrayBuffer');
  }
  return {
    size: bytes.byteLength,
    // async so that bad arguments surface as rejections, like every other source.
    async read(offset: number, length: number): Promise<Uint8Array> {
      const { start, end } = clipRange(offset, length, bytes.byteLength);
      return bytes.subarray(start, end);
    },
  };
}
