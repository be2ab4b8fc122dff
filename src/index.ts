/**
 * stillframe for Node: the core plus both facades, with the decode engine running in worker
 * threads and file paths / file descriptors as sources.
 */
import { registerRunnerFactory } from './engine/shared-runner.js';
import { createNodeRunner } from '../wasm/node-runner.js';

registerRunnerFactory(() => createNodeRunner());

export * from './core.js';
export { openFileSource, fileDescriptorSource } from './sources/node-file-source.js';
export { createNodeRunner } from '../wasm/node-runner.js';
export type { NodeRunnerOptions } from '../wasm/node-runner.js';
export { media, image, BusinessError } from './harmony/index.js';
