/**
 * stillframe for browsers (`dist/browser/`): the runtime-neutral core and both facades, with the
 * decode engine running ffmpeg.wasm in module Web Workers. Sources: `Blob`/`File` (e.g. from
 * `<input type=file>`), bytes, and URLs read with Range requests. Where the worker and the core's
 * files are: see `configureBrowserEngine` (`./runtime/browser.ts`).
 */
import { registerBrowserEngine } from './runtime/browser.js';

registerBrowserEngine();

export * from './index.neutral.js';
export { configureBrowserEngine, type BrowserEngineOptions } from './runtime/browser.js';
export { createWebWorkerRunner, compileCore, type WebWorkerRunnerOptions, type CoreFiles } from '../wasm/web-worker-runner.js';
