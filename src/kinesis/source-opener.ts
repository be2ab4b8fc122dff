/**
 * How a catalog's `source` strings become byte sources. URLs are opened the same way in every
 * runtime; file paths need the runtime's file system, which this runtime-neutral module must not
 * import, so the runtime entry point registers how to open them (Node: `openPathSource` from
 * `./catalog-file.ts`), as it registers its decode engine.
 */
import { httpSource } from '../sources/http-source.js';
import type { ByteSource } from '../sources/byte-source.js';

/** Opens the media a catalog `source` string names. */
export type SourceOpener = (source: string) => Promise<ByteSource>;

let pathOpener: SourceOpener | undefined;

/** Registers how this runtime opens file paths. Called once by the runtime's entry point. */
export function registerPathSourceOpener(open: SourceOpener): void {
  pathOpener = open;
}

/** True when this runtime has registered how to open file paths. */
export function hasPathSourceOpener(): boolean {
  return pathOpener !== undefined;
}

/** True for `http:` and `https:` URLs, which every runtime opens with `fetch`. */
export function isHttpUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/**
 * The opener to use for `source`: `http(s)://` URLs through {@link httpSource}, anything else
 * through `custom` or else the registered path opener. `undefined` when nothing can open it.
 */
export function openerFor(source: string, custom?: SourceOpener): SourceOpener | undefined {
  if (custom) return custom;
  if (isHttpUrl(source)) return (url) => httpSource(url);
  return pathOpener;
}
