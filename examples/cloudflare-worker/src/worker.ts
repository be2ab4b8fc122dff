/**
 * stillframe as a Cloudflare Worker: the ffmpeg.wasm core runs in the request's isolate, with
 * its wasm imported as a precompiled module; sources are URLs (a Worker has no file system).
 *
 * - `POST /getImages`: Kinesis Video Streams GetImages over the streams of the `CATALOG` var
 *   (a catalog as in a catalog file, JSON, whose fragment sources are `http(s)://` URLs). No
 *   authentication here (`auth: 'none'`): put it behind Cloudflare Access, or pass `AccessKeys`.
 * - `GET /frame?url=…&timeUs=…[&mode=AV_IMAGE_QUERY_CLOSEST_SYNC][&width=…&height=…][&format=png|rgba]`:
 *   one frame of the video at `url` (read with HTTP Range requests), through the HarmonyOS
 *   AVImageGenerator facade, as a PNG or as raw RGBA. Headers: `x-frame-time-us`, `x-width`,
 *   `x-height`.
 */
import createFFmpegCore from '@ffmpeg/core';
import wasmModule from '@ffmpeg/core/dist/esm/ffmpeg-core.wasm';
// In an application: `from 'stillframe'` (its `workerd`/`worker` export condition: the runtime-neutral build).
import { createGetImagesApp, image, KinesisVideoArchivedMedia, media, registerWorkerdEngine, type Catalog } from '../../../src/index.neutral.js';

registerWorkerdEngine({ createFFmpegCore, wasmModule });

export interface Env {
  /** The catalog, as JSON: `{ "streams": [{ "name": "cam-1", "fragments": [{ "source": "https://…", "producerStartTime": "…" }] }] }`. */
  readonly CATALOG?: string;
}

type Mode = keyof typeof media.AVImageQueryOptions;

let getImages: { catalog: string; app: ReturnType<typeof createGetImagesApp> } | undefined;

function getImagesApp(env: Env): ReturnType<typeof createGetImagesApp> {
  const catalog = env.CATALOG ?? '{"streams":[]}';
  if (getImages?.catalog !== catalog) {
    const kvam = new KinesisVideoArchivedMedia({ catalog: JSON.parse(catalog) as Catalog });
    getImages = { catalog, app: createGetImagesApp({ kvam, auth: 'none' }) };
  }
  return getImages.app;
}

async function frame(params: URLSearchParams): Promise<Response> {
  const url = params.get('url');
  if (!url) return new Response('url is required', { status: 400 });
  const mode = (params.get('mode') ?? 'AV_IMAGE_QUERY_CLOSEST_SYNC') as Mode;
  if (!(mode in media.AVImageQueryOptions)) return new Response(`unknown mode ${mode}`, { status: 400 });
  const format = params.get('format') ?? 'png';
  const generator = await media.createAVImageGenerator();
  const packer = image.createImagePacker();
  try {
    generator.url = url;
    const pixelMap = await generator.fetchFrameByTime(Number(params.get('timeUs') ?? 0), media.AVImageQueryOptions[mode], {
      width: Number(params.get('width') ?? -1),
      height: Number(params.get('height') ?? -1),
      colorFormat: media.PixelFormat.RGBA_8888,
    });
    const { width, height } = pixelMap.getImageInfoSync().size;
    const headers = { 'x-frame-time-us': String(pixelMap.frameTimeUs), 'x-width': String(width), 'x-height': String(height) };
    let body: ArrayBuffer;
    if (format === 'rgba') {
      body = new ArrayBuffer(pixelMap.getPixelBytesNumber());
      await pixelMap.readPixelsToBuffer(body);
    } else {
      body = await packer.packToData(pixelMap, { format: 'image/png', quality: 100 });
    }
    await pixelMap.release();
    return new Response(body, { headers: { ...headers, 'content-type': format === 'rgba' ? 'application/octet-stream' : 'image/png' } });
  } catch (error) {
    return new Response(error instanceof Error ? `${error.name}: ${error.message}` : String(error), { status: 500 });
  } finally {
    await generator.release();
    await packer.release();
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === 'GET' && url.pathname === '/frame') return frame(url.searchParams);
    return getImagesApp(env).fetch(request);
  },
};
