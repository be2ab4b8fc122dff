/**
 * Node-only {@link ByteSource}s over local files: by path, or by an already open file
 * descriptor with the HarmonyOS `AVFileDescriptor` window semantics.
 *
 * Deliberately not re-exported from `./index.ts`: it imports `node:fs`, and the rest of the
 * sources must stay importable in browsers, workers and HarmonyOS without a Node shim.
 */

import { read as fsRead, fstat as fsFstat, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { StillframeError, invalidArgument, ioError, notAllowed } from '../errors.js';
import type { ByteSource } from './byte-source.js';
import { checkByteCount, clipRange } from './range.js';

/** A {@link ByteSource} whose `close` is always present. */
export interface FileSource extends ByteSource {
  /**
   * Releases the source. Idempotent. Reads issued afterwards reject with `'not-allowed'`.
   * Closes the file handle only if the source opened it itself.
   */
  close(): Promise<void>;
}

/**
 * The part of a file that holds the media, as in HarmonyOS `AVFileDescriptor`
 * (`{ fd, offset?, length? }`), e.g. a raw resource stored inside an application package.
 */
export interface FileWindow {
  /** First byte of the media in the file. Default 0. */
  offset?: number;
  /** Length of the media in bytes. Default: from `offset` to the end of the file. */
  length?: number;
}

/**
 * Opens the file at `path` read-only as a {@link ByteSource}. The source owns the file
 * handle: call `close()` when done, or the descriptor leaks until garbage collection.
 *
 * @throws StillframeError `'invalid-argument'` for an empty or non-string path; `'io'` when
 *   the file does not exist, cannot be opened, or is not a regular file (the error code,
 *   e.g. `ENOENT`, is in the message; the Node error is the `cause`).
 */
export async function openFileSource(path: string): Promise<FileSource> {
  if (typeof path !== 'string' || path.length === 0) {
    throw invalidArgument('openFileSource expects a non-empty file path');
  }
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    throw fsError(cause, `cannot open ${path}`);
  }
  let stats: Stats;
  try {
    stats = await handle.stat();
    if (!stats.isFile()) {
      throw ioError(`${path} is not a regular file`);
    }
  } catch (cause) {
    // Don't leak the descriptor when the source is never handed out.
    await handle.close().catch(() => undefined);
    throw cause instanceof StillframeError ? cause : fsError(cause, `cannot stat ${path}`);
  }

  const size = stats.size;
  let closed = false;
  let closing: Promise<void> | undefined;
  return {
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const { start, end } = clipRange(offset, length, size);
      if (closed) throw notAllowed(`file source for ${path} is closed`);
      if (start === end) return new Uint8Array(0);
      return readFully(
        (buffer, at, count, position) => handle.read(buffer, at, count, position).then((r) => r.bytesRead),
        start,
        end - start,
        () => (closed ? notAllowed(`file source for ${path} was closed during a read`) : undefined),
        path,
      );
    },
    close(): Promise<void> {
      closed = true;
      closing ??= handle.close().catch((cause) => {
        throw fsError(cause, `cannot close ${path}`);
      });
      return closing;
    },
  };
}

/**
 * Reads the media window `[offset, offset + length)` of an already open file descriptor,
 * with HarmonyOS `AVFileDescriptor` semantics: byte 0 of the source is byte `offset` of the
 * file, and the source is `length` bytes long.
 *
 * Reads are positional (`pread`), so the descriptor's own file position is never moved
 * and the caller may keep using the fd (or share it with a player) at the same time. The
 * caller keeps ownership of the fd: `close()` only stops the source, it does not close the
 * descriptor.
 *
 * The window is checked once, against the file size at creation time.
 *
 * @param fd An open, readable file descriptor of a regular file.
 * @param window Where the media lies in the file; defaults to the whole file.
 * @throws StillframeError `'invalid-argument'` when `fd`, `offset` or `length` is not a
 *   non-negative integer (negative, NaN, fractional, infinite) or the window extends past
 *   the end of the file; `'io'` when the descriptor is invalid (`EBADF`), not a regular
 *   file, or cannot be read.
 */
export async function fileDescriptorSource(fd: number, window: FileWindow = {}): Promise<FileSource> {
  if (typeof fd !== 'number' || !Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff) {
    throw invalidArgument(`fd must be a non-negative integer file descriptor, got ${String(fd)}`);
  }
  const windowOffset = window.offset === undefined ? 0 : checkByteCount(window.offset, 'window offset');
  const requestedLength = window.length === undefined ? undefined : checkByteCount(window.length, 'window length');

  const stats = await new Promise<Stats>((resolve, reject) => {
    fsFstat(fd, (error, result) => (error ? reject(fsError(error, `cannot stat fd ${fd}`)) : resolve(result)));
  });
  if (!stats.isFile()) {
    // Pipes and sockets cannot be read at a position, and their size means nothing.
    throw ioError(`fd ${fd} is not a regular file`);
  }
  const fileSize = stats.size;
  if (windowOffset > fileSize) {
    throw invalidArgument(`window offset ${windowOffset} is past the end of the file (${fileSize} bytes)`);
  }
  const size = requestedLength ?? fileSize - windowOffset;
  if (windowOffset + size > fileSize) {
    throw invalidArgument(
      `window [${windowOffset}, ${windowOffset + size}) extends past the end of the file (${fileSize} bytes)`,
    );
  }

  let closed = false;
  const label = `fd ${fd}`;
  const preadAt = (buffer: Uint8Array, at: number, count: number, position: number) =>
    new Promise<number>((resolve, reject) => {
      fsRead(fd, buffer, at, count, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead)));
    });
  return {
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const { start, end } = clipRange(offset, length, size);
      if (closed) throw notAllowed(`source for ${label} is closed`);
      if (start === end) return new Uint8Array(0);
      return readFully(preadAt, windowOffset + start, end - start, () => undefined, label);
    },
    async close(): Promise<void> {
      // The fd belongs to the caller (HarmonyOS apps close the fd they passed in themselves);
      // closing it here would break their later close and any other user of the fd.
      closed = true;
    },
  };
}

type PositionalRead = (buffer: Uint8Array, at: number, count: number, position: number) => Promise<number>;

/**
 * Positional read loop. A single `pread` may return fewer bytes than asked for (large
 * requests, network file systems, signals), so it keeps reading until the range is full.
 * A read of 0 bytes means the file ended early (it shrank since it was measured): the
 * result is then short, which `readExact` reports as truncation.
 */
async function readFully(
  pread: PositionalRead,
  position: number,
  length: number,
  closedError: () => Error | undefined,
  label: string,
): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    let n: number;
    try {
      n = await pread(buffer, filled, length - filled, position + filled);
    } catch (cause) {
      throw closedError() ?? fsError(cause, `cannot read ${label} at byte ${position + filled}`);
    }
    if (n === 0) break;
    filled += n;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}

/** Wraps a Node fs error as `'io'`, keeping its code (ENOENT, EBADF, EACCES…) in the message. */
function fsError(cause: unknown, what: string): StillframeError {
  const code = (cause as { code?: unknown } | null)?.code;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return ioError(`${what}: ${typeof code === 'string' && !detail.includes(code) ? `${code}: ` : ''}${detail}`, cause);
}
