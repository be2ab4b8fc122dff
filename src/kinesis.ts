/**
 * `stillframe/kinesis` for Node (and Deno through its `node` compatibility): the Kinesis Video
 * GetImages facade alone, with the Node decode engine registered, catalog sources that are file
 * paths, catalog and key files, and the HTTP server. It loads none of the HarmonyOS facade.
 */
import { registerNodeEngine } from './runtime/node.js';
import { registerNodeCatalogPaths } from './runtime/node-kinesis.js';

registerNodeEngine();
registerNodeCatalogPaths();

export * from './kinesis.neutral.js';
export { loadCatalogFile, openPathSource } from './kinesis/catalog-file.js';
export { startGetImagesServer } from './kinesis/http/node-server.js';
export { loadKeysFile } from './kinesis/http/keys-file.js';
