/**
 * `stillframe/harmony` for browsers (`dist/browser/`): the HarmonyOS facade alone, with the Web
 * Worker decode engine registered (see `./index.browser.ts`).
 */
import { registerBrowserEngine } from './runtime/browser.js';

registerBrowserEngine();

export * from './harmony.neutral.js';
export { configureBrowserEngine, type BrowserEngineOptions } from './runtime/browser.js';
