/**
 * stillframe for Node: the core plus both facades (HarmonyOS AVImageGenerator, Kinesis Video
 * GetImages), with the decode engine running in worker threads and file paths / file
 * descriptors as sources. `stillframe/harmony` and `stillframe/kinesis` (`./harmony.ts`,
 * `./kinesis.ts`) are the same with one facade each.
 */
import { registerNodeEngine } from './runtime/node.js';
import { registerNodeCatalogPaths } from './runtime/node-kinesis.js';

registerNodeEngine();
registerNodeCatalogPaths();

export * from './index.neutral.js';
export { openFileSource, fileDescriptorSource } from './sources/node-file-source.js';
export { createNodeRunner } from '../wasm/node-runner.js';
export type { NodeRunnerOptions } from '../wasm/node-runner.js';
export { loadCatalogFile, openPathSource } from './kinesis/catalog-file.js';
export { startGetImagesServer } from './kinesis/http/node-server.js';
export { loadKeysFile } from './kinesis/http/keys-file.js';
