/**
 * Injected into the browser build (`tsup.config.ts`) wherever code names the global `Buffer`
 * (`pngjs` hands out Node Buffers): the `buffer` package, the
 * same Buffer that bundlers have long provided for browsers. Other builds never see it.
 */
export { Buffer } from 'buffer';
