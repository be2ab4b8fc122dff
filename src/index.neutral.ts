/**
 * `stillframe` where no decode engine is registered yet (the `browser`, `workerd`, `worker` and
 * `default` export conditions): the runtime-neutral core and both facades. Everything that does
 * not decode works (sources, validation, pixel conversion, encoders, the GetImages endpoint's
 * request handling); the first decode fails with a `StillframeError` of kind `not-allowed`,
 * "no decode engine is registered for this runtime", unless the application registers one:
 * `registerWorkerdEngine` in workerd and other runtimes that import wasm as a precompiled
 * module, or any engine with `registerRunnerFactory`. Runtime entries (`./index.ts` for Node) re-export this after
 * registering their engine.
 */
export * from './core.js';
export { media, image, BusinessError } from './harmony/index.js';
export * from './kinesis/index.js';
export { createGetImagesApp, type GetImagesAppOptions } from './kinesis/http/app.js';
export type { AccessKey, AccessKeys } from './kinesis/http/access-keys.js';
// The in-process engine for runtimes that hand wasm over as a precompiled module (workerd).
export { registerWorkerdEngine, type WorkerdEngineOptions } from './runtime/workerd.js';
export { createInProcessRunner, coreFromModule } from '../wasm/in-process-runner.js';
export type { InProcessRunnerOptions, CreateFFmpegCore, FFmpegCore } from '../wasm/in-process-runner.js';
