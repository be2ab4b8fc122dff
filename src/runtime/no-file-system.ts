/**
 * Stand-in for the Node file sources (`../sources/node-file-source.ts`) and for `node:url` in
 * the runtime-neutral build (`dist/neutral/`, the `browser`, `workerd`, `worker` and `default`
 * export conditions). The HarmonyOS facade loads those lazily, only for `fdSrc`, `fd://`,
 * `file:` URLs and paths; tsup points those imports here for that build (see
 * `tsup.config.ts`), so its files import no `node:` module at all and bundle for browsers and
 * workerd as they are. Using a file source there fails like any other unsupported operation: a
 * `StillframeError` of kind `not-allowed`, which the facade reports as `BusinessError` 5400102.
 */
import { notAllowed, type StillframeError } from '../errors.js';
import type { FileSource, FileWindow } from '../sources/node-file-source.js';

function noFileSystem(what: string): StillframeError {
  return notAllowed(
    `${what} needs a file system, which this runtime has not: give the video as an http(s) URL, ` +
      'or as bytes, a Blob or a read callback (dataSrc)',
  );
}

export async function openFileSource(path: string): Promise<FileSource> {
  throw noFileSystem(`opening the file ${path}`);
}

export async function fileDescriptorSource(fd: number, _window?: FileWindow): Promise<FileSource> {
  throw noFileSystem(`reading file descriptor ${fd}`);
}

/** Only parses: a `file:` URL is valid here too, opening its file is what fails. */
export function fileURLToPath(url: string | URL): string {
  return decodeURIComponent(new URL(url).pathname);
}
