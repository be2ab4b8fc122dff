/**
 * Node-only: catalogs stored as JSON files, and file paths as fragment sources. Kept apart from
 * `./catalog.ts` because it imports `node:fs`, which the runtime-neutral GetImages code (and the
 * HTTP handler that runs in Deno and edge runtimes) must not pull in.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StillframeError, invalidArgument, ioError } from '../errors.js';
import type { ByteSource } from '../sources/byte-source.js';
import { openFileSource } from '../sources/node-file-source.js';
import { resolveCatalog, type Catalog, type FragmentEntry, type StreamEntry } from './catalog.js';
import { withFragmentTagTimes } from './fragment-tags.js';
import { isHttpUrl } from './source-opener.js';

/**
 * Opens a catalog `source` string that is not an `http(s)` URL: a file path (relative paths
 * against the working directory) or a `file:` URL. The Node entry point registers it with
 * `registerPathSourceOpener`, so in-code catalogs may name files too.
 */
export function openPathSource(source: string): Promise<ByteSource> {
  return openFileSource(source.startsWith('file:') ? fileURLToPath(source) : source);
}

/**
 * Reads a catalog file: the JSON form of {@link Catalog},
 * `{ "streams": [ { "name", "arn"?, "fragments": [ { "source", "producerStartTime"?, "serverStartTime"?, "durationMs"? } ] } ] }`.
 * Relative `source` paths are taken relative to the catalog file's folder, so that a catalog
 * and its media can be moved together; in the returned catalog file sources are functions that
 * open those files, and `http(s)://` sources stay URLs. A fragment without `producerStartTime`
 * is opened and its times read from its Kinesis Video tags (see `withFragmentTagTimes`).
 *
 * The catalog is checked as `new KinesisVideoArchivedMedia` would check it, so a mistake is
 * reported here with the file's name.
 *
 * @throws StillframeError `'io'` when the file cannot be read; `'invalid-argument'` when it is
 *   not JSON or not a valid catalog (the message names the file and the entry); a fragment's
 *   own error when one that must be read for its times cannot be opened.
 */
export async function loadCatalogFile(path: string): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw ioError(`cannot read the catalog file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw invalidArgument(`${path}: not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`);
  }
  const folder = dirname(resolve(path));
  try {
    const catalog = await withFragmentTagTimes(withResolvedSources(json, folder));
    resolveCatalog(catalog);
    return catalog;
  } catch (error) {
    if (error instanceof StillframeError) throw new StillframeError(error.kind, `${path}: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * The catalog with every file source opened from its absolute path (relative ones against
 * `folder`). Anything that is
 * not shaped like a catalog is passed through untouched, for `resolveCatalog` to report.
 */
function withResolvedSources(json: unknown, folder: string): Catalog {
  const catalog = json as Catalog;
  if (!catalog || typeof catalog !== 'object' || !Array.isArray(catalog.streams)) return catalog;
  return {
    streams: catalog.streams.map((stream: StreamEntry) =>
      stream && typeof stream === 'object' && Array.isArray(stream.fragments)
        ? { ...stream, fragments: stream.fragments.map((fragment: FragmentEntry) => withResolvedSource(fragment, folder)) }
        : stream,
    ),
  };
}

function withResolvedSource(fragment: FragmentEntry, folder: string): FragmentEntry {
  if (!fragment || typeof fragment !== 'object' || typeof fragment.source !== 'string' || fragment.source === '') return fragment;
  const source = fragment.source;
  if (isHttpUrl(source)) return fragment;
  const absolute = source.startsWith('file:') ? fileURLToPath(source) : isAbsolute(source) ? source : resolve(folder, source);
  // A factory rather than the absolute path, so the catalog works without a registered path opener.
  return { ...fragment, source: () => openFileSource(absolute) };
}
