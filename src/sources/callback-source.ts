/**
 * A {@link ByteSource} fed by an application callback, following the HarmonyOS
 * `AVDataSrcDescriptor` contract (`media.AVImageGenerator`/`AVPlayer` `dataSrc`), so code
 * written for HarmonyOS can hand its descriptor over unchanged.
 */

import { invalidArgument, ioError } from '../errors.js';
import type { ByteSource } from './byte-source.js';
import { clipRange } from './range.js';

/**
 * Reads up to `length` bytes starting at byte `pos` of the media into `buffer` (starting at
 * index 0 of the buffer).
 *
 * @returns The number of bytes written (0..length), `-1` at end of stream, or any other
 *   negative value (HarmonyOS uses `-2`) for an unrecoverable error. May return a promise.
 */
export type DataSourceCallback = (buffer: ArrayBuffer, length: number, pos?: number) => number | Promise<number>;

/** The HarmonyOS `AVDataSrcDescriptor` shape: a seekable media of known size read through a callback. */
export interface DataSourceDescriptor {
  /** Size of the media in bytes; must be > 0 (HarmonyOS's `-1` for live streams is not supported). */
  fileSize: number;
  /** Supplies the bytes; see {@link DataSourceCallback}. */
  callback: DataSourceCallback;
}

/**
 * Wraps an `AVDataSrcDescriptor`-style callback as a {@link ByteSource}.
 *
 * A single read may call the callback several times: the contract allows it to return fewer
 * bytes than asked for, so the source keeps asking from the next position until the range
 * is filled or the callback reports end of stream (`-1`; a return of `0` is treated the
 * same way, because asking again at the same position could loop forever). Reaching end of
 * stream early gives a short read, which `readExact` reports as truncation.
 *
 * Calls into the callback are serialised — never two in flight at once — even when the
 * engine issues reads concurrently: HarmonyOS invokes the callback from a single thread,
 * so callbacks written for it are free to keep non-reentrant state (a file cursor, a
 * decryption context) and would break under concurrent calls.
 *
 * @throws StillframeError `'invalid-argument'` (synchronously) when `fileSize` is not a
 *   positive integer or `callback` is not a function. Reads reject with `'io'` when the
 *   callback throws, rejects, or returns a negative value other than `-1`, a non-integer,
 *   or more than it was asked for.
 */
export function callbackSource(descriptor: DataSourceDescriptor): ByteSource {
  if (descriptor === null || typeof descriptor !== 'object') {
    throw invalidArgument('callbackSource expects a { fileSize, callback } descriptor');
  }
  const { fileSize, callback } = descriptor;
  if (fileSize === -1) {
    throw invalidArgument(
      'fileSize -1 (a live stream of unknown length) is not supported: frames can only be extracted from a seekable source of known size',
    );
  }
  if (typeof fileSize !== 'number' || !Number.isSafeInteger(fileSize) || fileSize <= 0) {
    throw invalidArgument(`fileSize must be a positive integer, got ${String(fileSize)}`);
  }
  if (typeof callback !== 'function') {
    throw invalidArgument('descriptor.callback must be a function');
  }

  // Tail of the queue of callback invocations; every read chains onto it.
  let queue: Promise<unknown> = Promise.resolve();

  async function fill(start: number, end: number): Promise<Uint8Array> {
    const wanted = end - start;
    // The first call writes straight into the result's buffer, so the common case (the
    // callback delivers everything at once) costs no copy.
    const result = new Uint8Array(wanted);
    let filled = 0;
    while (filled < wanted) {
      const remaining = wanted - filled;
      // The callback's buffer must start at index 0, so after a partial fill the rest is
      // requested into a scratch buffer and copied over.
      const target = filled === 0 ? result.buffer : new ArrayBuffer(remaining);
      const pos = start + filled;
      let n: number;
      try {
        n = await callback(target, remaining, pos);
      } catch (cause) {
        throw ioError(`data source callback failed at position ${pos}: ${describe(cause)}`, cause);
      }
      if (n === -1 || n === 0) break; // end of stream
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
        throw ioError(`data source callback reported an error (returned ${String(n)}) at position ${pos}`);
      }
      if (n > remaining) {
        throw ioError(`data source callback returned ${n} bytes but only ${remaining} were requested at position ${pos}`);
      }
      if (filled > 0) result.set(new Uint8Array(target, 0, n), filled);
      filled += n;
    }
    return filled === wanted ? result : result.subarray(0, filled);
  }

  return {
    size: fileSize,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const { start, end } = clipRange(offset, length, fileSize);
      if (start === end) return new Uint8Array(0);
      const run = queue.then(() => fill(start, end));
      // The queue must keep going after a failed read; the failure belongs to this caller.
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
