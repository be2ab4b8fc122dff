/**
 * `stillframe/harmony` where no decode engine is registered yet (the `browser`, `workerd`,
 * `worker` and `default` export conditions): the HarmonyOS facade, with its validation,
 * sources and encoders working, whose first decode fails with a `BusinessError` (5400102,
 * "no decode engine is registered for this runtime"). Runtime entries (`./harmony.ts` for Node)
 * re-export this after registering their engine.
 */
export * from './harmony/index.js';
export { closeSharedRunner } from './engine/shared-runner.js';
// The in-process engine for runtimes that hand wasm over as a precompiled module (workerd).
export { registerWorkerdEngine, type WorkerdEngineOptions } from './runtime/workerd.js';
