/**
 * A Worker for the specs (bundled by `buildWorker({ entry })`, see `worker-build.ts`): the
 * example Worker's GetImages endpoint (`examples/cloudflare-worker`), but with SigV4
 * authentication — the accepted keys come, like the catalog, from a var: `ACCESS_KEYS`, an
 * `AccessKeys` object as JSON (`{ "keys": [{ "accessKeyId", "secretAccessKey", "streams" }] }`).
 * Everything except `POST /getImages` is the app's 404.
 */
import createFFmpegCore from '@ffmpeg/core';
import wasmModule from '@ffmpeg/core/dist/esm/ffmpeg-core.wasm';
import { createGetImagesApp, KinesisVideoArchivedMedia, registerWorkerdEngine, type AccessKeys, type Catalog } from '../../src/index.neutral.js';

registerWorkerdEngine({ createFFmpegCore, wasmModule });

export interface Env {
  /** The catalog, as JSON (fragment sources are `http(s)://` URLs). */
  readonly CATALOG: string;
  /** The accepted keys, as JSON. */
  readonly ACCESS_KEYS: string;
}

let app: ReturnType<typeof createGetImagesApp> | undefined;

export default {
  fetch(request: Request, env: Env): Response | Promise<Response> {
    app ??= createGetImagesApp({
      kvam: new KinesisVideoArchivedMedia({ catalog: JSON.parse(env.CATALOG) as Catalog }),
      auth: JSON.parse(env.ACCESS_KEYS) as AccessKeys,
    });
    return app.fetch(request);
  },
};
