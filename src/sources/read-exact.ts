/**
 * Reading bytes that *must* be there. `ByteSource.read` returns short at the end of the
 * source, which is right for probing but wrong for a sample a frame needs: a truncated file
 * must fail with a clear, typed error instead of feeding half a packet to the decoder.
 */

import { ioError } from '../errors.js';
import type { ByteSource } from './byte-source.js';
import { checkByteCount } from './range.js';

/**
 * Reads exactly `length` bytes at `offset`, or fails.
 *
 * @returns Exactly `length` bytes. If the source returns more (a misbehaving
 *   implementation), the surplus is cut off so callers can rely on the length.
 * @throws StillframeError `'io'` — "truncated: needed bytes X..Y but source has Z bytes"
 *   (X..Y inclusive) when the source has fewer bytes; `'invalid-argument'` for a negative,
 *   fractional or non-finite `offset`/`length`. Errors of the source itself propagate as is.
 */
export async function readExact(source: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  checkByteCount(offset, 'offset');
  checkByteCount(length, 'length');
  // No read for an empty request: some sources pay a round trip per read.
  if (length === 0) return new Uint8Array(0);
  const bytes = await source.read(offset, length);
  if (bytes.byteLength < length) {
    throw ioError(
      `truncated: needed bytes ${offset}..${offset + length - 1} but source has ${source.size} bytes` +
        ` (got ${bytes.byteLength} of ${length})`,
    );
  }
  return bytes.byteLength === length ? bytes : bytes.subarray(0, length);
}
