/**
 * How the Node entry points (`stillframe`, `stillframe/harmony`, `stillframe/kinesis`) set up
 * the runtime: one function per piece, called at the top level of each entry module.
 *
 * The calls live in the entry modules, not here, on purpose: the built entry files are what
 * `package.json` lists under `sideEffects`, so a bundler that drops "pure" modules keeps the
 * registration, while this module, like every shared chunk of the build, stays free of side
 * effects. (That holds while no module imports an entry module: see `tsup.config.ts`.)
 */
import { registerRunnerFactory } from '../engine/shared-runner.js';
import { createNodeRunner } from '../../wasm/node-runner.js';

/** Registers the Node decode engine (ffmpeg.wasm in worker threads) as this process's engine. */
export function registerNodeEngine(): void {
  registerRunnerFactory(() => createNodeRunner());
}
