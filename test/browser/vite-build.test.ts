/**
 * The browser build of the package goes through a bundler: a Vite application (`vite-app/`)
 * imports `stillframe` by name from a project that has the built package installed, and
 * `vite build` (Vite's `build()` API) turns it into a static site that works in headless
 * Chromium. What it proves:
 *
 * - Vite resolves the package's `browser` build and finds the engine's worker through the
 *   `new Worker(new URL('./ffmpeg-worker.mjs', import.meta.url), { type: 'module' })` pattern: the
 *   worker is emitted as its own module, and the bundle starts it from there.
 * - The core's files, imported the bundler way (`@ffmpeg/core?url`, `@ffmpeg/core/wasm?url`),
 *   are emitted as assets, and the emitted JavaScript imports nothing a browser cannot load.
 * - In the page, a frame decodes to the same RGBA bytes as in Node, with the core's files given
 *   explicitly (`configureBrowserEngine({ coreUrl, wasmUrl })` with the asset URLs) and by
 *   default: Vite leaves `new URL('./ffmpeg-core.wasm', import.meta.url)` as it is when the file
 *   is not beside the package's bundle at build time, so it points beside the built chunk, where
 *   the app puts the core (`public/assets/`).
 *
 * Vite runs with its defaults (no config file), so the worker is emitted in Vite's default
 * classic format (`iife`), which is why `ffmpeg-worker.mjs` has no top-level await.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { build, parseSync, type Rolldown } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { media } from '../../src/harmony/index.js';
import { closeSharedRunner, registerRunnerFactory } from '../../src/core.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture } from '../helpers/fixtures.js';
import { requireChromium, requireNativeTool } from '../helpers/native.js';
import { serveSite, type Site } from '../helpers/static-site.js';
import { builtPackage } from '../package-build.js';
import { launchChromium } from './chromium.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CORE_PACKAGE = join(ROOT, 'node_modules/@ffmpeg/core');
const CORE_DIR = join(CORE_PACKAGE, 'dist/esm');
const CORE_FILES = ['ffmpeg-core.js', 'ffmpeg-core.wasm'];

/** What `closestFrame` of `vite-app/main.js` returns. */
interface Frame {
  readonly frameTimeUs: number;
  readonly size: { readonly width: number; readonly height: number };
  readonly rgba: string;
}

/**
 * A copy of `vite-app/` in a scratch folder of the consumer project (so `stillframe` resolves to
 * the built package), with `@ffmpeg/core` installed beside it as npm would install the package's
 * dependency, and the public files: the video and the core where the bundle looks by default.
 */
function prepareApp(consumer: string, video: string): string {
  const app = mkdtempSync(join(consumer, 'vite-app-'));
  cpSync(join(import.meta.dirname, 'vite-app'), app, { recursive: true });
  mkdirSync(join(app, 'node_modules/@ffmpeg'), { recursive: true });
  symlinkSync(CORE_PACKAGE, join(app, 'node_modules/@ffmpeg/core'), 'dir');
  mkdirSync(join(app, 'public/assets'), { recursive: true });
  cpSync(video, join(app, 'public/video.mp4'));
  for (const name of CORE_FILES) cpSync(join(CORE_DIR, name), join(app, 'public/assets', name));
  return app;
}

/** `vite build` of the app into `app/dist/`: what was emitted. */
async function viteBuild(app: string): Promise<Rolldown.RolldownOutput['output']> {
  const result = await build({
    root: app,
    configFile: false,
    logLevel: 'silent',
    build: { outDir: join(app, 'dist'), reportCompressedSize: false },
  });
  return (result as Rolldown.RolldownOutput).output;
}

/** The module specifiers a script imports: statically, and dynamically where written as a literal. */
function specifiers(fileName: string, code: string): { static: string[]; dynamic: string[] } {
  const { module, errors } = parseSync(fileName, code);
  expect(errors, fileName).toEqual([]);
  const literal = (text: string) => /^(["'`])([^"'`$]*)\1$/.exec(text)?.[2];
  return {
    static: module.staticImports.map((entry) => entry.moduleRequest.value),
    dynamic: module.dynamicImports.flatMap(({ moduleRequest }) => literal(code.slice(moduleRequest.start, moduleRequest.end)) ?? []),
  };
}

const isRelative = (specifier: string) => /^\.{0,2}\//.test(specifier);

/** Whether a script holds `text` as a string literal (any quotes: the minifier picks backticks). */
const holdsString = (code: string, text: string) => ['"', "'", '`'].some((quote) => code.includes(`${quote}${text}${quote}`));

/** The same fetch as `closestFrame` of `vite-app/main.js`, in Node on the sources. */
async function closestFrameInNode(video: Uint8Array): Promise<Frame> {
  const generator = await media.createAVImageGenerator();
  generator.dataSrc = video;
  const pixelMap = await generator.fetchFrameByTime(1_300_000, media.AVImageQueryOptions.AV_IMAGE_QUERY_CLOSEST, { width: 160, height: 120 });
  const rgba = new ArrayBuffer(pixelMap.getPixelBytesNumber());
  await pixelMap.readPixelsToBuffer(rgba);
  const frame = {
    frameTimeUs: pixelMap.frameTimeUs,
    size: pixelMap.getImageInfoSync().size,
    rgba: createHash('sha256').update(new Uint8Array(rgba)).digest('hex'),
  };
  await pixelMap.release();
  await generator.release();
  return frame;
}

describe.skipIf(!requireChromium() || !requireNativeTool('ffmpeg'))('the package bundled by Vite, in headless Chromium', () => {
  let app: string | undefined;
  let emitted: Rolldown.RolldownOutput['output'];
  let site: Site | undefined;
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let context: BrowserContext;
  let inNode: Frame;

  beforeAll(async () => {
    const { consumer } = await builtPackage();
    const video = fixture('h264-bframes.mp4');
    app = prepareApp(consumer, video);
    const started = performance.now();
    emitted = await viteBuild(app);
    console.info(`vite build of the app: ${Math.round(performance.now() - started)} ms`);
    const dist = join(app, 'dist');
    site = await serveSite({ files: { '/': { path: join(dist, 'index.html') } }, folders: { '/': dist } });
    chromium = await launchChromium();
    context = chromium.context;
    registerRunnerFactory(() => createNodeRunner({ instances: 1 }));
    inNode = await closestFrameInNode(new Uint8Array(readFileSync(video)));
  }, 600_000);
  afterAll(async () => {
    await chromium?.close();
    await site?.close();
    await closeSharedRunner();
    if (app) rmSync(app, { recursive: true, force: true });
  });

  const entryChunk = () => emitted.find((item): item is Rolldown.OutputChunk => item.type === 'chunk' && item.isEntry)!;
  const emittedAsset = (found: (asset: Rolldown.OutputAsset) => boolean) =>
    emitted.find((item): item is Rolldown.OutputAsset => item.type === 'asset' && found(item));
  const workerModule = () => emittedAsset((asset) => /^assets\/ffmpeg-worker-[\w-]+\.js$/.test(asset.fileName));
  const coreAsset = (name: string) => emittedAsset((asset) => asset.originalFileNames.some((path) => path.endsWith(`node_modules/@ffmpeg/core/dist/esm/${name}`)));

  it('emits the engine worker as its own module, started by the bundle', () => {
    const worker = workerModule();
    expect(worker, 'the worker module').toBeDefined();
    // The engine's body, not a stub: it instantiates the compiled core it is sent.
    expect(String(worker!.source)).toContain('instantiateWasm');
    expect(holdsString(entryChunk().code, `/${worker!.fileName}`), 'the bundle names the worker module').toBe(true);
  });

  it("emits the core's files as assets, at the URLs the app imported", () => {
    for (const name of CORE_FILES) {
      const asset = coreAsset(name);
      expect(asset, name).toBeDefined();
      expect(statSync(join(app!, 'dist', asset!.fileName)).size, name).toBe(statSync(join(CORE_DIR, name)).size);
      expect(holdsString(entryChunk().code, `/${asset!.fileName}`), `the bundle names the asset of ${name}`).toBe(true);
    }
  });

  it('leaves no import a browser cannot resolve in the emitted JavaScript', () => {
    const scripts = emitted.filter((item) => item.fileName.endsWith('.js'));
    const bare: string[] = [];
    for (const script of scripts) {
      const found = specifiers(script.fileName, script.type === 'chunk' ? script.code : String(script.source));
      expect(found.static.filter((specifier) => !isRelative(specifier)), script.fileName).toEqual([]);
      bare.push(...found.dynamic.filter((specifier) => !isRelative(specifier)));
    }
    // Only the worker's own, which it imports only when it runs under Node (`process.versions.node`).
    expect(bare).toEqual(['node:worker_threads']);
    // The bundle, the worker and the core's module at least were looked at.
    expect(scripts.length).toBeGreaterThanOrEqual(3);
  });

  for (const engine of ['explicit', 'default'] as const) {
    it(`decodes in the page the frame Node decodes (core files: ${engine})`, { timeout: 180_000 }, async () => {
      const page = await context.newPage();
      const errors: string[] = [];
      const requested: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      // The page's requests and its workers'.
      page.on('request', (request) => requested.push(new URL(request.url()).pathname));
      await page.goto(`${site!.url}/`);
      await page.waitForFunction(() => 'closestFrame' in window, undefined, { timeout: 30_000 });
      const started = performance.now();
      const inBrowser = await page.evaluate((which) => (window as unknown as { closestFrame(e: string): Promise<Frame> }).closestFrame(which), engine);
      console.info(`first frame in the Vite-built page (core files: ${engine}): ${Math.round(performance.now() - started)} ms`);
      await page.close();

      expect(errors).toEqual([]);
      expect(inBrowser).toEqual(inNode);
      expect(inNode.size).toEqual({ width: 160, height: 120 });
      // The worker came from Vite's output; the core from where this engine setting says.
      const assetUrls = CORE_FILES.map((name) => `/${coreAsset(name)!.fileName}`);
      const besideChunk = CORE_FILES.map((name) => `/assets/${name}`);
      const [used, unused] = engine === 'explicit' ? [assetUrls, besideChunk] : [besideChunk, assetUrls];
      expect(requested).toEqual(expect.arrayContaining([`/${workerModule()!.fileName}`, ...used]));
      for (const path of unused) expect(requested).not.toContain(path);
    });
  }
});
