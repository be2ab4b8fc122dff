/**
 * The built browser bundle (`dist/browser/`, the `src/index.browser.ts` entry) in headless
 * Chromium (Debian's `chromium`, driven by playwright-core; `../shared/NOTES.md` has the flags):
 * the engine's files are found by explicit URLs (`configureBrowserEngine`; the defaults beside
 * the bundle are what `test/conformance/runtimes.test.ts` uses), with frames byte-identical to
 * Node's over every query mode and source; by default H.264 decodes through WebCodecs, with the
 * same bytes and without fetching the core at all. Decoding runs off the main thread (Web Workers,
 * the browser's decoder): the main thread stays responsive during a batch of thumbnails.
 *
 * No cross-origin isolation (COOP/COEP): the single-thread core does not need it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { transform } from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { image, media } from '../../src/harmony/index.js';
import { closeSharedRunner, registerRunnerFactory } from '../../src/core.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { FIXTURE_CASES, runConformance, type ConformanceResult } from '../conformance/suite.js';
import { fixture, type FixtureName } from '../helpers/fixtures.js';
import { requireChromium, requireNativeTool } from '../helpers/native.js';
import { serveSite, type Site } from '../helpers/static-site.js';
import { builtPackage } from '../package-build.js';
import { launchChromium } from './chromium.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CORE_DIR = join(ROOT, 'node_modules/@ffmpeg/core/dist/esm');
/** The conformance cases over one file (every query mode, every source); `runtimes.test.ts` runs them all. */
const CASES = FIXTURE_CASES.filter((c) => c.file === 'h264-bframes.mp4');

/** The page, the browser bundle, the core's files (beside the bundle and under /core/) and the video. */
async function serve(distBrowser: string, video: Uint8Array): Promise<Site> {
  const suiteJs = (await transform(readFileSync(join(ROOT, 'test/conformance/suite.ts'), 'utf8'), { loader: 'ts', format: 'esm' })).code;
  return serveSite({
    files: {
      '/': '<!doctype html><meta charset="utf-8"><title>stillframe browser test</title><script type="module" src="/page.mjs"></script>',
      '/page.mjs': { path: join(import.meta.dirname, 'page.mjs') },
      '/suite.js': suiteJs,
      '/video.mp4': video,
      '/favicon.ico': '',
      // Where the bundle's `new URL(…, import.meta.url)` defaults look for the core.
      '/dist/ffmpeg-core.js': { path: join(CORE_DIR, 'ffmpeg-core.js') },
      '/dist/ffmpeg-core.wasm': { path: join(CORE_DIR, 'ffmpeg-core.wasm') },
    },
    folders: { '/dist/': distBrowser, '/core/': CORE_DIR, '/media/': dirname(fixture(CASES[0]!.file as FixtureName)) },
  });
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

  /** Runs the conformance cases in the page, with the engine set up as `engine` says (see page.mjs). */
  function conformanceInPage(page: Page, engine: 'explicit' | 'default', base: string): Promise<ConformanceResult[]> {
    return page.evaluate(
      ([e, b, cases]) =>
        (window as unknown as { stillframeTests: { conformance(e: string, b: string, c: unknown): Promise<ConformanceResult[]> } }).stillframeTests.conformance(e, b, cases),
      [engine, base, CASES] as const,
    );
  }

  it('finds the core by the URLs given to configureBrowserEngine, with results byte-identical to Node', { timeout: 180_000 }, async () => {
    const page = await openPage();
    const rangedBefore = site.ranged();
    const base = `${site.url}/media`;
    const inBrowser = await conformanceInPage(page, 'explicit', base);
    await page.close();
    expect(pageErrors).toEqual([]);
    // The core came from where it was configured, not from beside the bundle.
    expect(new Set(site.paths().filter((path) => path.includes('ffmpeg-core')))).toEqual(new Set(['/core/ffmpeg-core.js', '/core/ffmpeg-core.wasm']));
    // The browser read the URL cases with Range requests.
    expect(site.ranged() - rangedBefore).toBeGreaterThan(0);
    expect(inBrowser).toEqual(await runConformance({ media, image }, base, CASES));
  });

  it('decodes H.264 through WebCodecs by default: the same bytes as Node, without fetching the 32 MB core', { timeout: 180_000 }, async () => {
    const page = await openPage();
    const pathsBefore = site.paths().length;
    const base = `${site.url}/media`;
    const inBrowser = await conformanceInPage(page, 'default', base);
    await page.close();
    expect(pageErrors).toEqual([]);
    expect(site.paths().slice(pathsBefore).filter((path) => path.includes('ffmpeg-core'))).toEqual([]);
    expect(inBrowser).toEqual(await runConformance({ media, image }, base, CASES));
  });

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
