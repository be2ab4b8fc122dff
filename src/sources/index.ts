/**
 * Runtime-neutral byte sources (browsers, workers, Node, HarmonyOS). The Node file sources
 * live in `./node-file-source.ts` and are deliberately not re-exported here, so importing
 * this module never pulls in `node:fs`.
 */

export type { ByteSource } from './byte-source.js';
export { memorySource } from './memory-source.js';
export { blobSource } from './blob-source.js';
export { httpSource, DEFAULT_MAX_UNRANGED_BYTES, type HttpSourceOptions } from './http-source.js';
export { callbackSource, DEFAULT_CALLBACK_TIMEOUT_MS, type CallbackSourceOptions, type DataSourceCallback, type DataSourceDescriptor } from './callback-source.js';
export { countingSource, type CountingSource, type ReadRecord } from './counting-source.js';
export { readExact } from './read-exact.js';
