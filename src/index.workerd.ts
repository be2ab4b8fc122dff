/**
 * stillframe for Cloudflare workerd and other edge runtimes (the `workerd` and `worker` export
 * conditions): the runtime-neutral core and both facades, plus `registerWorkerdEngine`, which
 * the worker script calls with the core it imported, since only the script can import wasm as a
 * precompiled module:
 *
 * ```ts
 * import createFFmpegCore from '@ffmpeg/core';
 * import wasmModule from '@ffmpeg/core/wasm'; // a WebAssembly.Module (CompiledWasm)
 * import { registerWorkerdEngine, createGetImagesApp } from 'stillframe';
 * registerWorkerdEngine({ createFFmpegCore, wasmModule });
 * ```
 *
 * Until it is called, decoding fails as in `./index.neutral.ts` ("no decode engine is
 * registered for this runtime"). Sources: bytes and URLs (no file paths: there is no file
 * system).
 */
export * from './index.neutral.js';
export { registerWorkerdEngine, type WorkerdEngineOptions } from './runtime/workerd.js';
export { createInProcessRunner, coreFromModule } from '../wasm/in-process-runner.js';
export type { InProcessRunnerOptions, CreateFFmpegCore, FFmpegCore } from '../wasm/in-process-runner.js';
