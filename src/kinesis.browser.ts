/**
 * `stillframe/kinesis` for browsers (`dist/browser/`): the GetImages facade alone, over URL,
 * `Blob` and byte sources, with the Web Worker decode engine registered (see `./index.browser.ts`).
 */
import { registerBrowserEngine } from './runtime/browser.js';

registerBrowserEngine();

export * from './kinesis.neutral.js';
export { configureBrowserEngine, type BrowserEngineOptions } from './runtime/browser.js';
