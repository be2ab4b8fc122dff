/**
 * A small local HTTP server on 127.0.0.1 for the specs that read over HTTP (httpSource, and
 * the HarmonyOS `url` source). Each behaviour a client must cope with is a `mode`; `ranges` is
 * a static file server honouring single `Range: bytes=a-b` / `bytes=a-` requests, like the web
 * servers and CDNs met in practice. Every request is recorded so tests can assert what went
 * over the wire.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

export type ServerMode =
  /** Honours single byte ranges like a static file server. */
  | 'ranges'
  /** Ignores Range: always 200 with the whole body and Content-Length. */
  | 'ignore-range'
  /** Ignores Range and streams the whole body chunked, without Content-Length. */
  | 'ignore-range-chunked'
  /** Honours ranges but reports the total as `*`; HEAD gives Content-Length. */
  | 'unknown-total'
  /** Like unknown-total, but HEAD is not allowed (405). */
  | 'unknown-total-no-head'
  /** Answers the 0-0 probe with 206, then ignores ranges (a CDN in front of the origin). */
  | 'ranges-then-ignore'
  /** Answers ranged reads (not the probe) with a Content-Range for other bytes. */
  | 'wrong-range'
  /** Answers ranged reads (not the probe) with fewer bytes than asked for. */
  | 'short-range'
  /** Honours the probe, then fails every other request with 500. */
  | 'fail-after-probe'
  /** Always 500. */
  | 'error-500'
  /** Always 404. */
  | 'error-404'
  /** Honours the probe, then accepts ranged reads and never answers them. */
  | 'stall-after-probe'
  /** Honours the probe; ranged reads send headers and half the body, then stall. */
  | 'stall-mid-body';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  /** Body bytes the server has written so far. */
  bytesSent(): number;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Content to serve; or a length for a lazily generated body of zeros (for huge resources). */
  body: Uint8Array | { length: number };
  mode: ServerMode;
}

export async function startServer({ body, mode }: ServeOptions): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  let sent = 0;
  const total = body.length;
  const bytes = (start: number, end: number): Uint8Array =>
    body instanceof Uint8Array ? body.subarray(start, end) : new Uint8Array(end - start);

  function sendBody(res: ServerResponse, start: number, end: number): void {
    if (body instanceof Uint8Array) {
      sent += end - start;
      res.end(bytes(start, end));
      return;
    }
    // Lazily generated, with backpressure: lets a test prove the client stopped reading.
    let at = start;
    const stream = new Readable({
      read() {
        if (at >= end) return void this.push(null);
        const n = Math.min(64 * 1024, end - at);
        at += n;
        sent += n;
        this.push(new Uint8Array(n));
      },
    });
    stream.pipe(res);
    res.on('close', () => stream.destroy());
  }

  function full(res: ServerResponse, method: string, chunked = false): void {
    const headers: Record<string, string | number> = { 'content-type': 'video/mp4' };
    if (!chunked) headers['content-length'] = total;
    res.writeHead(200, headers);
    if (method === 'HEAD') return void res.end();
    if (chunked) {
      // Several writes without Content-Length → chunked transfer encoding.
      const step = Math.max(1, Math.ceil(total / 3));
      if (body instanceof Uint8Array) {
        for (let at = 0; at < total; at += step) {
          sent += Math.min(step, total - at);
          res.write(bytes(at, Math.min(total, at + step)));
        }
        return void res.end();
      }
    }
    sendBody(res, 0, total);
  }

  function ranged(res: ServerResponse, range: string, opts: { totalText?: string; shift?: number; cut?: number } = {}) {
    const match = /^bytes=(\d+)-(\d*)$/.exec(range);
    if (!match) return full(res, 'GET');
    const start = Number(match[1]);
    const last = Math.min(match[2] ? Number(match[2]) : total - 1, total - 1);
    if (start >= total) {
      res.writeHead(416, { 'content-range': `bytes */${opts.totalText ?? total}` });
      return void res.end();
    }
    const from = start + (opts.shift ?? 0);
    const to = last + 1 + (opts.shift ?? 0) - (opts.cut ?? 0);
    res.writeHead(206, {
      'content-type': 'video/mp4',
      'content-length': to - from,
      'content-range': `bytes ${from}-${to - 1}/${opts.totalText ?? total}`,
    });
    sendBody(res, from, to);
  }

  const server: Server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    requests.push({ method, url: req.url ?? '', headers: req.headers });
    const range = req.headers.range;
    const isProbe = range === 'bytes=0-0';
    switch (mode) {
      case 'error-500':
        res.writeHead(500, { 'content-type': 'text/plain' });
        return void res.end('internal error');
      case 'error-404':
        res.writeHead(404, { 'content-type': 'text/plain' });
        return void res.end('not found');
      case 'ignore-range':
        return full(res, method);
      case 'ignore-range-chunked':
        return full(res, method, true);
      case 'fail-after-probe':
        if (isProbe) return ranged(res, range);
        res.writeHead(500);
        return void res.end();
      case 'ranges-then-ignore':
        return isProbe ? ranged(res, range) : full(res, method);
      case 'unknown-total':
      case 'unknown-total-no-head':
        if (method === 'HEAD') {
          if (mode === 'unknown-total-no-head') {
            res.writeHead(405);
            return void res.end();
          }
          return full(res, method);
        }
        return range ? ranged(res, range, { totalText: '*' }) : full(res, method);
      case 'wrong-range':
        return range && !isProbe ? ranged(res, range, { shift: 1 }) : range ? ranged(res, range) : full(res, method);
      case 'short-range':
        return range && !isProbe ? ranged(res, range, { cut: 1 }) : range ? ranged(res, range) : full(res, method);
      case 'stall-after-probe':
        if (isProbe) return ranged(res, range);
        return; // Never answered: the client's time limit must end the request.
      case 'stall-mid-body':
        if (isProbe || !range) return ranged(res, range ?? 'bytes=0-');
        res.writeHead(206, { 'content-range': `bytes 0-${total - 1}/${total}`, 'content-length': String(total) });
        res.write(bytes(0, Math.floor(total / 2)));
        return; // Half a body, then silence.
      case 'ranges':
        if (method === 'HEAD') return full(res, method);
        return range ? ranged(res, range) : full(res, method);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/video.mp4`,
    requests,
    bytesSent: () => sent,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
