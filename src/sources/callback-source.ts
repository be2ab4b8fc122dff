/**
 * A {@link ByteSource} fed by an application callback, following the HarmonyOS
 * `AVDataSrcDescriptor` contract (`media.AVImageGenerator`/`AVPlayer` `dataSrc`), so code
 * written for HarmonyOS can hand its descriptor over unchanged.
 */

import { invalidArgument, ioError } from '../errors.js';
import type { ByteSource } from './byte-source.js';
import { checkByteCount, clipRange } from './range.js';

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
  /**
   * Size of the media in bytes, >= 0. HarmonyOS defines `-1` as "size unknown" (a live
   * stream, which cannot be seeked); that is not supported. `0` is a known size: empty media,
   * which reads as empty like any other empty source.
   */
  fileSize: number;
  /** Supplies the bytes; see {@link DataSourceCallback}. */
  callback: DataSourceCallback;
}

/** Options of {@link callbackSource}. */
export interface CallbackSourceOptions {
  /**
   * Longest one call of the callback may take to return (or its promise to settle), in
   * milliseconds. Default {@link DEFAULT_CALLBACK_TIMEOUT_MS}.
   */
  readonly callbackTimeoutMs?: number;
}

/**
 * Default {@link CallbackSourceOptions.callbackTimeoutMs}: generous for a callback that
 * fetches from storage or the network, yet a callback that never settles cannot hang a frame
 * fetch forever.
 */
export const DEFAULT_CALLBACK_TIMEOUT_MS = 30_000;

/**
 * Wraps an `AVDataSrcDescriptor`-style callback as a {@link ByteSource}.
 *
 * A single read may call the callback several times: the contract allows it to return fewer
 * bytes than asked for, so the source keeps asking from the next position until the range
 * is filled or the callback reports end of stream (`-1`; a return of `0` is treated the
 * same way, because asking again at the same position could loop forever). Reaching end of
 * stream early gives a short read, which `readExact` reports as truncation.
 *
 * Each call has a time limit ({@link CallbackSourceOptions.callbackTimeoutMs}): a callback
 * that neither returns nor settles in time fails its read with `'io'`. Until that late call
 * settles, reads that would call the same callback (through this source or another one made
 * from it) fail at once, rather than break the serialisation promised below; once it
 * settles, reads work again.
 *
 * Calls into the callback are serialised — never two in flight at once — even when the
 * engine issues reads concurrently: HarmonyOS invokes the callback from a single thread,
 * so callbacks written for it are free to keep non-reentrant state (a file cursor, a
 * decryption context) and would break under concurrent calls.
 *
 * @throws StillframeError `'invalid-argument'` (synchronously) when `fileSize` is not a
 *   non-negative integer, `callback` is not a function, or the time limit is not a positive
 *   number. Reads reject with `'io'` when the callback throws, rejects, returns a negative
 *   value other than `-1`, a non-integer, or more than it was asked for, or overruns its time
 *   limit.
 */
export function callbackSource(descriptor: DataSourceDescriptor, options: CallbackSourceOptions = {}): ByteSource {
  if (descriptor === null || typeof descriptor !== 'object') {
    throw invalidArgument('callbackSource expects a { fileSize, callback } descriptor');
  }
  const { fileSize, callback } = descriptor;
  if (fileSize === -1) {
    throw invalidArgument(
      'fileSize -1 (a live stream of unknown length) is not supported: frames can only be extracted from a seekable source of known size',
    );
  }
  checkByteCount(fileSize, 'fileSize');
  if (typeof callback !== 'function') {
    throw invalidArgument('descriptor.callback must be a function');
  }
  const call = limitedCaller(callback, options.callbackTimeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS);

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
      const n = await call(target, remaining, pos);
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

/**
 * Callbacks with a call that overran its time limit and has not settled yet, with the position
 * it was asked for. Kept per callback rather than per source: a generator reopens its source
 * after a failed open, and the new source must not call the callback while the late call is out.
 */
const stalledCalls = new WeakMap<DataSourceCallback, { readonly pos: number }>();

/**
 * `callback` with a time limit on each call, its failures reported as `'io'`. A call that
 * overruns the limit rejects, and every later call rejects at once until the late one settles.
 */
function limitedCaller(callback: DataSourceCallback, timeoutMs: number): DataSourceCallback {
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) {
    throw invalidArgument(`callbackTimeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}`);
  }
  return (buffer, length, pos = 0) => {
    const stalled = stalledCalls.get(callback);
    if (stalled) {
      return Promise.reject(
        ioError(`data source callback has not yet returned from its call at position ${stalled.pos}, which exceeded its time limit`),
      );
    }
    // A synchronous throw becomes a rejection, reported like any other callback failure.
    const pending = new Promise<number>((resolve) => resolve(callback(buffer, length, pos))).catch((cause: unknown) => {
      throw ioError(`data source callback failed at position ${pos}: ${describe(cause)}`, cause);
    });
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        const late = { pos };
        stalledCalls.set(callback, late);
        const recover = () => {
          if (stalledCalls.get(callback) === late) stalledCalls.delete(callback);
        };
        pending.then(recover, recover);
        reject(ioError(`data source callback did not return within ${timeoutMs} ms at position ${pos}`));
      }, timeoutMs);
      pending.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
