/**
 * The Node piece the GetImages facade needs beyond the engine: catalog `source` strings that
 * are file paths open through `node:fs`. Kept apart from `./node.ts` so that the HarmonyOS entry,
 * which imports that one, loads no Kinesis code.
 */
import { openPathSource } from '../kinesis/catalog-file.js';
import { registerPathSourceOpener } from '../kinesis/source-opener.js';

/** Registers how catalog sources that are file paths are opened in Node. */
export function registerNodeCatalogPaths(): void {
  registerPathSourceOpener(openPathSource);
}
