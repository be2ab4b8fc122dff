/**
 * How a catalog's `source` strings become byte sources. URLs are opened the same way in every
 * runtime; file paths need the runtime's file system, which this runtime-neutral module must not
 * import, so the runtime entry point registers how to open them (Node: `openPathSource` from
 * `./catalog-file.ts`), as it registers its decode engine.
 */
import { StillframeError, ioError } from '../errors.js';
import { httpSource } from '../sources/http-source.js';
import type { ByteSource } from '../sources/byte-source.js';
import { openVideoFile, type OpenOptions, type VideoFile } from '../video-file.js';
import type { CatalogFragment } from './catalog.js';

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
function openerFor(source: string, custom?: SourceOpener): SourceOpener | undefined {
  if (custom) return custom;
  if (isHttpUrl(source)) return (url) => httpSource(url);
  return pathOpener;
}

/**
 * Opens a catalog fragment's media: a function source is called, a string goes through
 * {@link openerFor}. Whatever a source throws becomes this fragment's `io` failure, naming it.
 */
export async function openFragmentSource(fragment: Pick<CatalogFragment, 'source' | 'label'>, custom?: SourceOpener): Promise<ByteSource> {
  try {
    if (typeof fragment.source === 'function') return await fragment.source();
    const open = openerFor(fragment.source, custom);
    if (!open) throw ioError(`no opener for the file path ${fragment.source}: pass openSource, or use the Node entry point`);
    return await open(fragment.source);
  } catch (error) {
    // Sources are user code: whatever they throw is this fragment's I/O failure, not the request's.
    if (error instanceof StillframeError) throw error;
    throw ioError(`cannot open ${fragment.label}: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}

/** Opens and indexes a catalog fragment's video; its source is closed again when that fails. */
export async function openFragmentVideo(
  fragment: Pick<CatalogFragment, 'source' | 'label'>,
  custom: SourceOpener | undefined,
  options?: OpenOptions,
): Promise<VideoFile> {
  const source = await openFragmentSource(fragment, custom);
  try {
    return await openVideoFile(source, options);
  } catch (error) {
    await source.close?.().catch(() => undefined);
    throw error;
  }
}
