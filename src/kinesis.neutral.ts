/**
 * `stillframe/kinesis` where no decode engine is registered yet (the `browser`, `workerd`,
 * `worker` and `default` export conditions): the GetImages library call and its Hono endpoint,
 * over URL and byte sources; catalog sources that are file paths are refused, and the first
 * decode fails with "no decode engine is registered for this runtime". Runtime entries
 * (`./kinesis.ts` for Node) re-export this after registering their engine.
 */
export * from './kinesis/index.js';
export { createGetImagesApp, type GetImagesAppOptions } from './kinesis/http/app.js';
export type { AccessKey, AccessKeys } from './kinesis/http/access-keys.js';
export { closeSharedRunner } from './engine/shared-runner.js';
// The in-process engine for runtimes that hand wasm over as a precompiled module (workerd).
export { registerWorkerdEngine, type WorkerdEngineOptions } from './runtime/workerd.js';
