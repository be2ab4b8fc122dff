/**
 * A static web site on 127.0.0.1 for the specs that load pages and media in other runtimes
 * (Chromium, Deno, workerd): fixed contents by path plus folders mounted under URL prefixes,
 * served with the right content types and single byte ranges (`Range: bytes=a-b`), as web
 * servers and CDNs do. `application/wasm` lets browsers compile the core while it downloads.
 */
import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.m4a': 'audio/mp4',
  '.map': 'application/json',
};

/** A fixed response body, or a file read when asked for. */
export type SiteFile = string | Uint8Array | { readonly path: string };

export interface SiteOptions {
  /** Contents by URL path (`/`, `/page.mjs`). */
  readonly files?: Readonly<Record<string, SiteFile>>;
  /** Folders by URL prefix (`/dist/` → a directory); the longest matching prefix wins. */
  readonly folders?: Readonly<Record<string, string>>;
}

export interface Site {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  /** How many requests asked for a byte range so far. */
  readonly ranged: () => number;
  /** The paths requested so far, in order. */
  readonly paths: () => readonly string[];
  close(): Promise<void>;
}

/** The body for `path`, or undefined (404). Folder paths never leave their folder. */
function lookUp(path: string, { files = {}, folders = {} }: SiteOptions): Uint8Array | undefined {
  const fixed = files[path];
  if (fixed !== undefined) {
    if (typeof fixed === 'string') return Buffer.from(fixed);
    return fixed instanceof Uint8Array ? fixed : readFileSync(fixed.path);
  }
  const prefix = Object.keys(folders)
    .filter((candidate) => path.startsWith(candidate))
    .sort((a, b) => b.length - a.length)[0];
  if (prefix === undefined) return undefined;
  const relativePath = normalize(decodeURIComponent(path.slice(prefix.length)));
  if (relativePath.startsWith('..') || relativePath.split(sep).some((part) => part.startsWith('.'))) return undefined;
  const file = join(folders[prefix]!, relativePath);
  try {
    return statSync(file).isFile() ? readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the site; `close()` stops it, dropping open connections. */
export async function serveSite(options: SiteOptions): Promise<Site> {
  let ranged = 0;
  const paths: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    paths.push(path);
    const body = lookUp(path, options);
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const headers = { 'content-type': TYPES[extname(path)] ?? 'text/html', 'accept-ranges': 'bytes', 'cache-control': 'no-store' };
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    if (!range) {
      response.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
      response.end(request.method === 'HEAD' ? undefined : bytes);
      return;
    }
    ranged++;
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : bytes.length - 1, bytes.length - 1);
    if (start >= bytes.length) {
      response.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end();
      return;
    }
    response.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${bytes.length}`, 'content-length': String(end - start + 1) });
    response.end(request.method === 'HEAD' ? undefined : bytes.subarray(start, end + 1));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ranged: () => ranged,
    paths: () => paths,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
