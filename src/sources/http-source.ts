/**
 * A {@link ByteSource} over an HTTP(S) resource, read with `Range` requests so that a frame
 * from a multi-gigabyte video costs a few small downloads (the index and one GOP), not the
 * whole file.
 */

import { StillframeError, invalidArgument, ioError } from '../errors.js';
import { concatBytes } from './concat-bytes.js';
import type { ByteSource } from './byte-source.js';
import { clipRange } from './range.js';

/**
 * Default for {@link HttpSourceOptions.maxUnrangedBytes}: 16 MiB. Large enough for short
 * clips and thumbnails-to-be on simple servers, small enough that buffering it is harmless.
 */
export const DEFAULT_MAX_UNRANGED_BYTES = 16 * 1024 * 1024;

/** Options of {@link httpSource}. */
export interface HttpSourceOptions {
  /**
   * The `fetch` to use, e.g. one that adds authentication or goes through a proxy.
   * Defaults to the global `fetch`.
   */
  fetch?: typeof fetch;
  /**
   * Extra request headers sent with every request (e.g. `Authorization`). A `Range` header
   * given here is ignored: the source sets its own.
   */
  headers?: Record<string, string>;
  /**
   * Largest resource, in bytes, accepted from a server that does not honour `Range`
   * requests. Such a resource is downloaded once, kept in memory and served from there.
   * A larger (or unbounded) one is refused with an `'io'` error rather than downloaded
   * whole. Defaults to {@link DEFAULT_MAX_UNRANGED_BYTES}; `0` refuses any server without
   * range support.
   */
  maxUnrangedBytes?: number;
  /**
   * Time limit of each request, body included, in milliseconds: a server that stops
   * answering fails the read with an `'io'` error instead of hanging it. Default 30 000.
   */
  timeoutMs?: number;
}

/** Default {@link HttpSourceOptions.timeoutMs}. */
export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;

/**
 * Opens an HTTP(S) resource as a {@link ByteSource}.
 *
 * Size discovery: a `GET` with `Range: bytes=0-0`. A `206` carries the total size in
 * `Content-Range` (`bytes 0-0/12345`); a `416` for an empty resource carries it the same
 * way, with `*` in place of the range. If the total is missing or `*`, the size is taken from a `HEAD` request's
 * `Content-Length`. A `GET` is used first rather than `HEAD` because it also proves that
 * the server honours ranges, and some servers and signed URLs (S3 presigned GETs) reject `HEAD`.
 *
 * Reads: `GET` with `Range: bytes=a-b`, clipped to the size; a `206` whose body or
 * `Content-Range` does not match the request is an `'io'` error rather than wrong bytes.
 *
 * Servers that ignore `Range` (answer `200` with the whole body): if the resource is at
 * most `maxUnrangedBytes` long, that body is kept (once) and every read is served from
 * memory, so small files on simple servers work with a single download. A larger resource,
 * or one of unknown length that turns out larger while streaming, is refused with an `'io'`
 * error naming the limit — never downloaded whole per read, nor silently buffered.
 *
 * @param url An absolute `http:` or `https:` URL.
 * @throws StillframeError `'invalid-argument'` for a malformed URL, another scheme or a bad
 *   option; `'io'` for network failures and HTTP error statuses (the status is in the
 *   message), when the size cannot be determined, or when the server ignores ranges on a
 *   resource larger than `maxUnrangedBytes`.
 */
export async function httpSource(url: string | URL, options: HttpSourceOptions = {}): Promise<ByteSource> {
  const target = parseUrl(url);
  const doFetch = options.fetch ?? globalThis.fetch;
  if (typeof doFetch !== 'function') {
    throw invalidArgument('no fetch implementation available: pass options.fetch');
  }
  const maxUnranged = options.maxUnrangedBytes ?? DEFAULT_MAX_UNRANGED_BYTES;
  if (!Number.isSafeInteger(maxUnranged) || maxUnranged < 0) {
    throw invalidArgument(`maxUnrangedBytes must be a non-negative integer, got ${String(maxUnranged)}`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw invalidArgument(`timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}`);
  }
  const href = target.href;

  async function request(method: 'GET' | 'HEAD', range?: string): Promise<Response> {
    const headers = new Headers(options.headers);
    headers.delete('range');
    if (range !== undefined) {
      headers.set('range', range);
      // Byte ranges of a compressed representation would not be ranges of the file.
      // (Browsers ignore this forbidden header and handle it themselves.)
      headers.set('accept-encoding', 'identity');
    }
    // The signal also aborts reading the body, so a stall mid-body ends the read as well.
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      return await doFetch(href, { method, headers, signal });
    } catch (cause) {
      throw ioError(`${timedOut(cause) ? `timed out after ${timeoutMs} ms` : 'network error'} requesting ${href}: ${describe(cause)}`, cause);
    }
  }

  // --- size discovery -------------------------------------------------------------------

  const probe = await request('GET', 'bytes=0-0');
  let size: number | undefined;
  /** Whole content, once a server has answered a range request with the full body. */
  let whole: Uint8Array | undefined;

  if (probe.status === 206 || probe.status === 416) {
    size = totalFromContentRange(probe.headers.get('content-range'));
    await discardBody(probe);
    if (size === undefined) {
      if (probe.status === 416) throw httpError(probe, href, 'range request rejected and no size in Content-Range');
      size = await sizeFromHead();
    }
  } else if (probe.status === 200) {
    whole = await takeWholeBody(probe);
    size = whole.byteLength;
  } else {
    await discardBody(probe);
    throw httpError(probe, href);
  }

  async function sizeFromHead(): Promise<number> {
    const head = await request('HEAD');
    await discardBody(head);
    if (!head.ok) throw httpError(head, href, 'HEAD for the size failed');
    const length = parseLength(head.headers.get('content-length'));
    if (length === undefined) {
      throw ioError(`cannot determine the size of ${href}: no total in Content-Range and no Content-Length on HEAD`);
    }
    return length;
  }

  /**
   * Accepts a `200` full-body answer to a range request: buffers it if it is within the
   * limit, refuses otherwise. Checks `Content-Length` first so an oversized body is not
   * downloaded at all; counts while streaming because the header may be absent (chunked).
   */
  async function takeWholeBody(response: Response): Promise<Uint8Array> {
    const declared = parseLength(response.headers.get('content-length'));
    if (declared !== undefined && declared > maxUnranged) {
      await discardBody(response);
      throw unrangedTooLarge(`is ${declared} bytes`);
    }
    const body = await readBody(response, maxUnranged, href);
    if (body === undefined) throw unrangedTooLarge(`is over ${maxUnranged} bytes`);
    if (declared !== undefined && body.byteLength !== declared) {
      throw ioError(`incomplete response from ${href}: Content-Length ${declared} but got ${body.byteLength} bytes`);
    }
    return body;
  }

  function unrangedTooLarge(what: string): Error {
    return ioError(
      `server for ${href} does not support Range requests and the resource ${what}; ` +
        `refusing to download it whole (maxUnrangedBytes is ${maxUnranged})`,
    );
  }

  const knownSize = size;

  return {
    size: knownSize,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const { start, end } = clipRange(offset, length, knownSize);
      if (start === end) return new Uint8Array(0);
      if (whole) return whole.subarray(start, end);

      const response = await request('GET', `bytes=${start}-${end - 1}`);
      if (response.status === 200) {
        // The server (or a proxy/CDN in front of it) stopped honouring ranges after the
        // probe. Same policy as at open time: buffer a small resource once, refuse a big one.
        const body = await takeWholeBody(response);
        if (body.byteLength !== knownSize) {
          throw ioError(`${href} changed size while being read: was ${knownSize} bytes, now ${body.byteLength}`);
        }
        whole = body;
        return whole.subarray(start, end);
      }
      if (response.status !== 206) {
        await discardBody(response);
        throw httpError(response, href, `range ${start}-${end - 1}`);
      }
      const expected = end - start;
      const contentRange = response.headers.get('content-range');
      const actualStart = startFromContentRange(contentRange);
      if (contentRange !== null && actualStart !== start) {
        await discardBody(response);
        throw ioError(`server for ${href} answered range ${start}-${end - 1} with "${contentRange}"`);
      }
      const body = await readBody(response, expected, href);
      if (body === undefined || body.byteLength !== expected) {
        throw ioError(
          `server for ${href} sent ${body === undefined ? 'more' : body.byteLength} bytes for range ` +
            `${start}-${end - 1} (${expected} bytes expected)`,
        );
      }
      return body;
    },
  };
}

function parseUrl(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch (cause) {
    throw new StillframeError('invalid-argument', `not a valid absolute URL: ${String(url)}`, { cause });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalidArgument(`httpSource only supports http: and https: URLs, got ${parsed.protocol}`);
  }
  return parsed;
}

// Total size from `Content-Range: bytes a-b/total` (206) or the unsatisfied-range form with
// `*` before the slash (416); undefined when absent, malformed, or the total itself is `*`.
function totalFromContentRange(header: string | null): number | undefined {
  const match = header === null ? null : /^\s*bytes\s+(?:\d+-\d+|\*)\/(\d+)\s*$/i.exec(header);
  return match ? toSafeInteger(match[1]!) : undefined;
}

/** First byte position from `Content-Range: bytes a-b/...`; undefined when absent or malformed. */
function startFromContentRange(header: string | null): number | undefined {
  const match = header === null ? null : /^\s*bytes\s+(\d+)-\d+\//i.exec(header);
  return match ? toSafeInteger(match[1]!) : undefined;
}

function parseLength(header: string | null): number | undefined {
  return header !== null && /^\s*\d+\s*$/.test(header) ? toSafeInteger(header.trim()) : undefined;
}

function toSafeInteger(digits: string): number | undefined {
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * Reads a response body, but at most `limit` bytes: returns `undefined` (and cancels the
 * transfer) as soon as more arrive. This is what keeps a misbehaving server from making us
 * buffer an entire large file.
 */
async function readBody(response: Response, limit: number, href: string): Promise<Uint8Array | undefined> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        return undefined;
      }
      chunks.push(value);
    }
  } catch (cause) {
    const what = timedOut(cause) ? 'timed out reading' : 'network error reading';
    throw ioError(`${what} the response from ${href}: ${describe(cause)}`, cause);
  } finally {
    reader.releaseLock();
  }
  return concatBytes(chunks);
}

/**
 * Disposes of a body we do not need. Cancelling (rather than leaving it unread) releases the
 * connection; leaving it would keep sockets busy until garbage collection.
 */
async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // The body was already consumed or the connection already gone: nothing to release.
  }
}

function httpError(response: Response, href: string, context?: string): Error {
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  return ioError(`${status} from ${href}${context ? ` (${context})` : ''}`);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node's fetch reports "fetch failed" and keeps the useful part (ECONNREFUSED…) in cause.
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

function timedOut(cause: unknown): boolean {
  return cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
}
