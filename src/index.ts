/**
 * stillframe for Node: the core plus both facades (HarmonyOS AVImageGenerator, Kinesis Video
 * GetImages), with the decode engine running in worker threads and file paths / file
 * descriptors as sources.
 */
import { registerRunnerFactory } from './engine/shared-runner.js';
import { openPathSource } from './kinesis/catalog-file.js';
import { registerPathSourceOpener } from './kinesis/source-opener.js';
import { createNodeRunner } from '../wasm/node-runner.js';

registerRunnerFactory(() => createNodeRunner());
registerPathSourceOpener(openPathSource);

export * from './core.js';
export { openFileSource, fileDescriptorSource } from './sources/node-file-source.js';
export { createNodeRunner } from '../wasm/node-runner.js';
export type { NodeRunnerOptions } from '../wasm/node-runner.js';
export { media, image, BusinessError } from './harmony/index.js';
export * from './kinesis/index.js';
export { loadCatalogFile, openPathSource } from './kinesis/catalog-file.js';
export { createGetImagesApp, type GetImagesAppOptions } from './kinesis/http/app.js';
export { startGetImagesServer } from './kinesis/http/node-server.js';
export { loadKeysFile } from './kinesis/http/keys-file.js';
export type { AccessKey, AccessKeys } from './kinesis/http/access-keys.js';
