/**
 * How the browser entry (`src/index.browser.ts`, built into `dist/browser/`) sets up the
 * runtime: H.264 goes to the browser's WebCodecs decoder where it gives ffmpeg's very frames
 * (`./webcodecs-decoder.ts`); everything else to ffmpeg.wasm in module Web Workers
 * (`wasm/web-worker-runner.ts`), so decoding never blocks the page's main thread, and the 32 MB
 * core is fetched only when something needs it.
 *
 * Where the files are: by default beside the bundle, written as the bundler pattern
 * `new URL('./file', import.meta.url)` — `ffmpeg-worker.mjs` (shipped in `dist/browser/`),
 * and `@ffmpeg/core`'s `ffmpeg-core.js` and `ffmpeg-core.wasm` (from
 * `node_modules/@ffmpeg/core/dist/esm/`, which the application copies or serves there: they
 * are 32 MB and not shipped in this package). Any of them can be given explicitly instead, with
 * {@link configureBrowserEngine} (a CDN, a bundler's asset URL).
 *
 * The single-thread core needs no cross-origin isolation (COOP/COEP).
 */
import { registerSampleDecoder } from '../engine/sample-decoder.js';
import { closeSharedRunner, registerRunnerFactory } from '../engine/shared-runner.js';
import { createWebCodecsDecoder } from './webcodecs-decoder.js';
import { compileCore, createWebWorkerRunner } from '../../wasm/web-worker-runner.js';

/** Where the browser engine finds its files. Each one defaults to a file beside the bundle. */
export interface BrowserEngineOptions {
  /** URL of `@ffmpeg/core`'s ES module (`ffmpeg-core.js`). */
  readonly coreUrl?: string | URL;
  /** URL of `@ffmpeg/core`'s wasm (`ffmpeg-core.wasm`); served as `application/wasm` it compiles while it downloads. */
  readonly wasmUrl?: string | URL;
  /** URL of stillframe's worker script (`ffmpeg-worker.mjs`). */
  readonly workerUrl?: string | URL;
  /** Workers decoding in parallel. Default: the number of cores, at most 2. */
  readonly instances?: number;
  /**
   * Decode H.264 with the browser's WebCodecs decoder where it gives ffmpeg's very frames (see
   * `webcodecs-decoder.ts`), ffmpeg.wasm for everything else. Default true.
   */
  readonly webCodecs?: boolean;
}

let configured: BrowserEngineOptions = {};

/** The defaults, each written as one `new URL(literal, import.meta.url)` so bundlers see the asset. */
function defaultCoreUrl(): URL {
  return new URL('./ffmpeg-core.js', import.meta.url);
}
function defaultWasmUrl(): URL {
  return new URL('./ffmpeg-core.wasm', import.meta.url);
}

/**
 * Sets where the browser engine finds its files (see {@link BrowserEngineOptions}). Takes
 * effect for the next decode: an engine already started is closed (its workers terminated).
 */
export async function configureBrowserEngine(options: BrowserEngineOptions): Promise<void> {
  configured = { ...options };
  registerSampleDecoder(configured.webCodecs === false ? undefined : createWebCodecsDecoder());
  await closeSharedRunner();
}

/** Registers the browser decode engines (WebCodecs where present, ffmpeg.wasm in module Web Workers) as this page's. */
export function registerBrowserEngine(): void {
  registerSampleDecoder(createWebCodecsDecoder());
  registerRunnerFactory(() => {
    const options = configured;
    return createWebWorkerRunner({
      core: () => compileCore(options.coreUrl ?? defaultCoreUrl(), options.wasmUrl ?? defaultWasmUrl()),
      workerUrl: options.workerUrl,
      instances: options.instances,
    });
  });
}
