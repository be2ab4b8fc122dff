/**
 * How the workerd entry points (Cloudflare Workers, miniflare, and other edge runtimes that
 * hand wasm over as a precompiled `WebAssembly.Module`) set up the runtime. There are no
 * workers and no file system there, and compiling wasm from bytes at run time is not allowed:
 * the worker script imports the core's wasm as a module (with wrangler, `import wasm from
 * '@ffmpeg/core/dist/esm/ffmpeg-core.wasm'`: its `**\/*.wasm` rule makes a `CompiledWasm`
 * module of it) and the core's JS (`import createFFmpegCore from '@ffmpeg/core'`), and passes
 * both here.
 *
 * Decoding then runs in the request's own thread (see `wasm/in-process-runner.ts` for what
 * that costs: each decode blocks the isolate, and the time limit is soft).
 */
import { registerRunnerFactory } from '../engine/shared-runner.js';
import { coreFromModule, createInProcessRunner, type CreateFFmpegCore } from '../../wasm/in-process-runner.js';

/** What the worker script imported: the core's factory and its precompiled wasm. */
export interface WorkerdEngineOptions {
  /** The default export of `@ffmpeg/core` (`createFFmpegCore`). */
  readonly createFFmpegCore: CreateFFmpegCore;
  /** `ffmpeg-core.wasm`, imported as a module (a `WebAssembly.Module`). */
  readonly wasmModule: WebAssembly.Module;
}

/**
 * Registers the in-process decode engine (ffmpeg.wasm in the calling thread) as this isolate's
 * engine. Call it once, at the top level of the worker script, before the first decode.
 */
export function registerWorkerdEngine({ createFFmpegCore, wasmModule }: WorkerdEngineOptions): void {
  if (!(wasmModule instanceof WebAssembly.Module)) {
    throw new TypeError('registerWorkerdEngine: wasmModule must be a WebAssembly.Module (import ffmpeg-core.wasm as a CompiledWasm module)');
  }
  registerRunnerFactory(() => createInProcessRunner({ createCore: coreFromModule(createFFmpegCore, wasmModule) }));
}
