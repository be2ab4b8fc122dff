/**
 * The frames the Deno specs compare, and how they are hashed: the same code runs in Node (the
 * vitest spec, on the sources) and in Deno (the built package). Self-contained on purpose: the
 * Deno run copies this file next to its script inside a scratch copy of the package, so it
 * imports nothing at run time (the type imports are erased).
 */
import type { image as imageNamespace, media as mediaNamespace } from '../../src/harmony/index.js';

/** The HarmonyOS facade, from wherever the caller imported it. */
export interface HarmonyApi {
  readonly media: typeof mediaNamespace;
  readonly image: typeof imageNamespace;
}

/** Between key frames (the fixture has one a second) and not on a frame: each mode picks a different frame. */
export const TIME_US = 1_300_000;
export const MODES = ['AV_IMAGE_QUERY_NEXT_SYNC', 'AV_IMAGE_QUERY_PREVIOUS_SYNC', 'AV_IMAGE_QUERY_CLOSEST_SYNC', 'AV_IMAGE_QUERY_CLOSEST'] as const;

/** One fetched frame: where it came from and SHA-256 (hex) of its RGBA pixels and of its PNG. */
export interface FrameHash {
  readonly source: string;
  readonly mode: (typeof MODES)[number];
  readonly frameTimeUs: number;
  readonly width: number;
  readonly height: number;
  readonly rgba: string;
  readonly png: string;
}

/** How to point a generator at the video: each `dataSrc` form and `url`. */
export function sourcesOf(bytes: Uint8Array, url: string): Record<string, (generator: mediaNamespace.AVImageGenerator) => void> {
  return {
    'dataSrc bytes': (generator) => (generator.dataSrc = bytes),
    'dataSrc callback': (generator) =>
      (generator.dataSrc = {
        fileSize: bytes.length,
        callback: (buffer: ArrayBuffer, length: number, pos?: number) => {
          if (pos === undefined || pos >= bytes.length) return -1;
          const chunk = bytes.subarray(pos, Math.min(pos + length, bytes.length));
          new Uint8Array(buffer).set(chunk);
          return chunk.length;
        },
      }),
    url: (generator) => (generator.url = url),
  };
}

async function sha256(data: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Fetches the frame of every mode at {@link TIME_US} through every source, and hashes each. */
export async function frameHashes(
  { media, image }: HarmonyApi,
  sources: Record<string, (generator: mediaNamespace.AVImageGenerator) => void>,
): Promise<FrameHash[]> {
  const hashes: FrameHash[] = [];
  const packer = image.createImagePacker();
  for (const [source, configure] of Object.entries(sources)) {
    const generator = await media.createAVImageGenerator();
    configure(generator);
    for (const mode of MODES) {
      const pixelMap = await generator.fetchFrameByTime(TIME_US, media.AVImageQueryOptions[mode], {
        width: 160,
        height: 120,
        colorFormat: media.PixelFormat.RGBA_8888,
      });
      const rgba = new ArrayBuffer(pixelMap.getPixelBytesNumber());
      await pixelMap.readPixelsToBuffer(rgba);
      const png = await packer.packToData(pixelMap, { format: 'image/png', quality: 100 });
      const { width, height } = pixelMap.getImageInfoSync().size;
      hashes.push({ source, mode, frameTimeUs: pixelMap.frameTimeUs, width, height, rgba: await sha256(rgba), png: await sha256(png) });
      await pixelMap.release();
    }
    await generator.release();
  }
  await packer.release();
  return hashes;
}
