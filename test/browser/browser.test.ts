/**
 * The built browser bundle (`dist/browser/`, the `src/index.browser.ts` entry) in headless
 * Chromium (Debian's `chromium`, driven by playwright-core; `../shared/NOTES.md` has the flags):
 * a page served from 127.0.0.1 opens a generated MP4 as a `Blob`, as bytes, through the
 * HarmonyOS callback descriptor and as a URL (read with Range requests), fetches every query
 * mode's frame through `media.createAVImageGenerator()`, and hashes the RGBA and the PNG — the
 * same bytes as in Node. The engine's files are found both ways: beside the bundle (the
 * `new URL(…, import.meta.url)` defaults) and by explicit URLs (`configureBrowserEngine`).
 * Decoding runs in Web Workers: the main thread stays responsive during a batch of thumbnails.
 *
 * No cross-origin isolation (COOP/COEP): the single-thread core does not need it.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { transform } from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { image, media } from '../../src/harmony/index.js';
import { closeSharedRunner, registerRunnerFactory } from '../../src/core.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { frameHashes, MODES, sourcesOf, type FrameHash } from '../deno/frame-hashes.js';
import { fixture } from '../helpers/fixtures.js';
import { requireChromium, requireNativeTool } from '../helpers/native.js';
import { builtPackage } from '../package-build.js';
import { launchChromium } from './chromium.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CORE_DIR = join(ROOT, 'node_modules/@ffmpeg/core/dist/esm');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.mp4': 'video/mp4',
  '.map': 'application/json',
};

interface Site {
  readonly url: string;
  readonly ranged: () => number;
  close(): Promise<void>;
}

/** Serves the page, the browser bundle, the core's files and the video; honours single byte ranges. */
async function serve(distBrowser: string, video: Uint8Array): Promise<Site> {
  const frameHashesJs = (await transform(readFileSync(join(ROOT, 'test/deno/frame-hashes.ts'), 'utf8'), { loader: 'ts', format: 'esm' })).code;
  const inMemory: Record<string, string | Uint8Array> = {
    '/': '<!doctype html><meta charset="utf-8"><title>stillframe browser test</title><script type="module" src="/page.mjs"></script>',
    '/page.mjs': readFileSync(join(import.meta.dirname, 'page.mjs')),
    '/frame-hashes.js': frameHashesJs,
    '/video.mp4': video,
    '/favicon.ico': '',
  };
  const file = (path: string): string | undefined => {
    const name = normalize(path).split('/').pop() ?? '';
    // The core beside the bundle (the defaults) and under /core/ (the explicit option).
    if (path === '/dist/ffmpeg-core.js' || path === '/dist/ffmpeg-core.wasm' || path.startsWith('/core/')) return join(CORE_DIR, name);
    if (path.startsWith('/dist/') && !name.startsWith('.')) return join(distBrowser, name);
    return undefined;
  };
  let ranged = 0;
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    let body: string | Uint8Array | undefined = inMemory[path];
    try {
      if (body === undefined) {
        const onDisk = file(path);
        if (onDisk) body = readFileSync(onDisk);
      }
    } catch {
      body = undefined;
    }
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const headers: Record<string, string> = {
      'content-type': TYPES[extname(path)] ?? 'text/html',
      'accept-ranges': 'bytes',
      'cache-control': 'no-store',
    };
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    if (range) {
      ranged++;
      const start = Number(range[1]);
      const end = Math.min(range[2] ? Number(range[2]) : bytes.length - 1, bytes.length - 1);
      if (start >= bytes.length) {
        response.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end();
        return;
      }
      response.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${bytes.length}`, 'content-length': String(end - start + 1) });
      response.end(request.method === 'HEAD' ? undefined : bytes.subarray(start, end + 1));
      return;
    }
    response.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
    response.end(request.method === 'HEAD' ? undefined : bytes);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ranged: () => ranged,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

describe.skipIf(!requireChromium() || !requireNativeTool('ffmpeg'))('the browser bundle in headless Chromium', () => {
  let site: Site;
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let context: BrowserContext;
  let bytes: Uint8Array;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    const pkg = await builtPackage();
    bytes = new Uint8Array(readFileSync(fixture('h264-bframes.mp4')));
    site = await serve(join(pkg.dir, 'dist/browser'), bytes);
    chromium = await launchChromium();
    context = chromium.context;
    registerRunnerFactory(() => createNodeRunner({ instances: 2 }));
  }, 600_000);
  afterAll(async () => {
    await chromium?.close();
    await site?.close();
    await closeSharedRunner();
  });

  async function openPage(): Promise<Page> {
    pageErrors = [];
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(`${site.url}/`);
    await page.waitForFunction(() => (window as { stillframeReady?: boolean }).stillframeReady === true, undefined, { timeout: 30_000 });
    return page;
  }

  for (const engine of ['default', 'explicit'] as const) {
    it(`extracts every query mode from a Blob, bytes and a URL, byte-identical to Node (core files: ${engine})`, { timeout: 180_000 }, async () => {
      const page = await openPage();
      const rangedBefore = site.ranged();
      const inBrowser = await page.evaluate(
        (which) => (window as unknown as { stillframeTests: { hashes(e: string): Promise<FrameHash[]> } }).stillframeTests.hashes(which),
        engine,
      );
      await page.close();
      expect(pageErrors).toEqual([]);
      // The browser read the URL with Range requests.
      expect(site.ranged() - rangedBefore).toBeGreaterThan(0);

      const inNode = await frameHashes({ media, image }, sourcesOf(bytes, `${site.url}/video.mp4`));
      const fromBlob = inBrowser.filter((hash) => hash.source === 'dataSrc blob');
      expect(inBrowser.filter((hash) => hash.source !== 'dataSrc blob')).toEqual(inNode);
      expect(fromBlob.map((hash) => ({ ...hash, source: 'dataSrc bytes' }))).toEqual(inNode.filter((hash) => hash.source === 'dataSrc bytes'));

      // The comparison means something: 4 sources × 4 modes, one frame per mode whatever the source.
      expect(inBrowser).toHaveLength(4 * MODES.length);
      for (const mode of MODES) {
        const ofMode = inBrowser.filter((hash) => hash.mode === mode);
        expect(new Set(ofMode.map((hash) => `${hash.rgba} ${hash.png} ${hash.frameTimeUs}`)).size, mode).toBe(1);
      }
      expect(new Set(inBrowser.map((hash) => hash.frameTimeUs)).size).toBeGreaterThan(1);
    });
  }

  it('keeps the main thread responsive while a batch of thumbnails decodes in workers', { timeout: 180_000 }, async () => {
    const page = await openPage();
    const result = await page.evaluate(() =>
      (
        window as unknown as {
          stillframeTests: { blocking(n: number): Promise<{ count: number; frames: number[]; batchMs: number; longestMs: number; idleMs: number; longTaskMs: number }>;
          };
        }
      ).stillframeTests.blocking(24),
    );
    await page.close();
    console.info(`browser main thread during ${result.count} thumbnails (${Math.round(result.batchMs)} ms): longest gap ${result.longestMs.toFixed(1)} ms (idle: ${result.idleMs.toFixed(1)} ms), long tasks ${Math.round(result.longTaskMs)} ms in all`);
    expect(pageErrors).toEqual([]);
    expect(result.frames).toHaveLength(24);
    expect(new Set(result.frames).size).toBeGreaterThan(10);
    // Decoding takes far longer than this in all (tens of ms a thumbnail): it is not on the main thread.
    expect(result.batchMs).toBeGreaterThan(200);
    // Measured on a 2-core machine: longest gap ~20–30 ms, no long task. The bounds leave room for
    // a busy machine (the idle page alone has shown gaps of ~80 ms there) and still catch
    // decoding on the main thread, which would block it for most of the batch.
    expect(result.longestMs).toBeLessThan(150);
    expect(result.longTaskMs).toBeLessThan(result.batchMs / 4);
  });
});
