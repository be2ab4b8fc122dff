/**
 * The cross-runtime conformance suite: a fixed table of cases — file, time, query mode, size,
 * pixel format, source kind, API call — and the code that runs it through the HarmonyOS facade
 * and hashes what comes out (SHA-256 of the pixel buffer, of the PNG and of the JPEG, or the
 * error code). The same file runs in Node (on the sources), Deno (the built package), Chromium
 * (the browser build) and workerd (the neutral build with the in-process engine);
 * `runtimes.test.ts` checks that all four give identical results.
 *
 * Self-contained on purpose: it is copied into Deno's scratch project, transpiled for the
 * browser page and bundled into the Worker, so it imports nothing at run time (type imports
 * are erased) and uses only Web APIs (`fetch`, `crypto.subtle`).
 */
import type { image as imageNamespace, media as mediaNamespace } from '../../src/harmony/index.js';

/** The HarmonyOS facade, from wherever the runtime imported it. */
export interface HarmonyApi {
  readonly media: typeof mediaNamespace;
  readonly image: typeof imageNamespace;
}

type Mode = 'AV_IMAGE_QUERY_NEXT_SYNC' | 'AV_IMAGE_QUERY_PREVIOUS_SYNC' | 'AV_IMAGE_QUERY_CLOSEST_SYNC' | 'AV_IMAGE_QUERY_CLOSEST';
type ColorFormat = 'RGBA_8888' | 'RGB_888' | 'RGB_565';

/** One fetch: what is asked of which file, and how. */
export interface ConformanceCase {
  /** Unique and stable: results are matched by it. */
  readonly id: string;
  /** A generated fixture (`test/helpers/fixtures.ts`), or `shared:NAME` for `../shared/media/NAME`. */
  readonly file: string;
  readonly timeUs: number;
  readonly mode: Mode;
  /**
   * `fetchFrameByTime` with these `PixelMapParams` (never larger than the original; sides left
   * out follow the HarmonyOS rules), or `fetchScaledFrameByTime` with this output size
   * (`scaled: true`: any size, RGBA only).
   */
  readonly width?: number;
  readonly height?: number;
  readonly colorFormat?: ColorFormat;
  readonly scaled?: true;
  /**
   * How the generator gets the file: `url`, read with Range requests; or fetched whole and set
   * as `dataSrc` — `bytes` (a Uint8Array), `blob` (a Blob) or `callback` (the HarmonyOS
   * `{ fileSize, callback }` descriptor).
   */
  readonly source: 'url' | 'bytes' | 'blob' | 'callback';
}

/** What a case gave: the frame's hashes, or the error's code. */
export type ConformanceResult =
  | {
      readonly id: string;
      readonly frameTimeUs: number;
      readonly width: number;
      readonly height: number;
      /** SHA-256 (hex) of the pixel buffer (`readPixelsToBuffer`), in the case's colour format. */
      readonly pixels: string;
      readonly png: string;
      /** JPEG at quality 90. */
      readonly jpeg: string;
    }
  | { readonly id: string; readonly errorCode: number };

const ALL_MODES: readonly Mode[] = ['AV_IMAGE_QUERY_NEXT_SYNC', 'AV_IMAGE_QUERY_PREVIOUS_SYNC', 'AV_IMAGE_QUERY_CLOSEST_SYNC', 'AV_IMAGE_QUERY_CLOSEST'];
const short = (mode: Mode) => mode.replace('AV_IMAGE_QUERY_', '').toLowerCase();

/** The cases over generated fixtures (made with native ffmpeg). */
export const FIXTURE_CASES: readonly ConformanceCase[] = [
  // Every mode between key frames (one a second), where each picks its own frame.
  ...ALL_MODES.map((mode): ConformanceCase => ({ id: `h264-bframes ${short(mode)}`, file: 'h264-bframes.mp4', timeUs: 1_300_000, mode, width: 160, height: 120, source: 'url' })),
  // The same frames through each other source.
  { id: 'h264-bframes bytes', file: 'h264-bframes.mp4', timeUs: 1_300_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 160, height: 120, source: 'bytes' },
  { id: 'h264-bframes blob', file: 'h264-bframes.mp4', timeUs: 1_300_000, mode: 'AV_IMAGE_QUERY_PREVIOUS_SYNC', width: 160, height: 120, source: 'blob' },
  { id: 'h264-bframes callback', file: 'h264-bframes.mp4', timeUs: 1_300_000, mode: 'AV_IMAGE_QUERY_NEXT_SYNC', width: 160, height: 120, source: 'callback' },
  { id: 'h264-bframes original size', file: 'h264-bframes.mp4', timeUs: 2_480_000, mode: 'AV_IMAGE_QUERY_CLOSEST', source: 'url' },
  { id: 'h264-no-bframes RGB_565', file: 'h264-no-bframes.mp4', timeUs: 1_000_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 301, height: 201, colorFormat: 'RGB_565', source: 'url' },
  { id: 'h264-no-bframes upscaled', file: 'h264-no-bframes.mp4', timeUs: 2_000_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 643, height: 487, scaled: true, source: 'url' },
  { id: 'h264-irregular-gop next sync', file: 'h264-irregular-gop.mp4', timeUs: 1_000_000, mode: 'AV_IMAGE_QUERY_NEXT_SYNC', width: 160, height: 120, source: 'url' },
  { id: 'hevc closest', file: 'hevc.mp4', timeUs: 1_100_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 200, height: 150, source: 'url' },
  { id: 'hevc-open-gop leading picture', file: 'hevc-open-gop.mp4', timeUs: 760_000, mode: 'AV_IMAGE_QUERY_CLOSEST', source: 'bytes' },
  { id: 'fragmented RGB_888', file: 'fragmented.mp4', timeUs: 2_500_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 97, height: 55, colorFormat: 'RGB_888', source: 'url' },
  { id: 'rotated-90 scaled to width', file: 'rotated-90.mp4', timeUs: 500_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 90, scaled: true, source: 'url' },
  { id: 'anamorphic original size', file: 'anamorphic.mp4', timeUs: 700_000, mode: 'AV_IMAGE_QUERY_CLOSEST', source: 'url' },
  { id: 'full-range', file: 'full-range.mp4', timeUs: 1_200_000, mode: 'AV_IMAGE_QUERY_PREVIOUS_SYNC', width: 160, height: 120, source: 'url' },
  { id: 'h264-10bit', file: 'h264-10bit.mp4', timeUs: 900_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 160, height: 120, source: 'url' },
  { id: 'edit-list-cut first frame', file: 'edit-list-cut.mp4', timeUs: 0, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 160, height: 120, source: 'url' },
  { id: 'prores 4:2:2 10-bit', file: 'prores.mov', timeUs: 500_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 160, height: 120, source: 'url' },
  { id: 'mpeg4 part 2', file: 'mpeg4.mp4', timeUs: 1_100_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 160, height: 120, source: 'bytes' },
  { id: 'scaled, both sides', file: 'h264.mov', timeUs: 1_500_000, mode: 'AV_IMAGE_QUERY_CLOSEST_SYNC', width: 64, height: 64, scaled: true, source: 'url' },
  // Other containers: Matroska indexed from its Cues (range requests) and walked whole (a live
  // recording's unknown sizes), VP9 with alpha (libvpx, a PREMUL PixelMap), MPEG-TS.
  { id: 'matroska cues, mid-file', file: 'cues-long.mkv', timeUs: 11_030_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 160, height: 120, source: 'url' },
  { id: 'webm live, unknown sizes', file: 'vp9-live.webm', timeUs: 1_500_000, mode: 'AV_IMAGE_QUERY_PREVIOUS_SYNC', width: 160, height: 120, source: 'bytes' },
  { id: 'vp9 alpha RGBA', file: 'vp9-alpha.webm', timeUs: 1_000_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 160, height: 120, colorFormat: 'RGBA_8888', source: 'url' },
  { id: 'mpegts h264 b-frames', file: 'h264-bframes.ts', timeUs: 1_300_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 160, height: 120, source: 'url' },
  { id: 'mpegts hevc open gop', file: 'hevc-open-gop.ts', timeUs: 1_300_000, mode: 'AV_IMAGE_QUERY_CLOSEST_SYNC', width: 160, height: 120, source: 'blob' },
  // Bad input: the same error everywhere.
  { id: 'audio only', file: 'audio-only.m4a', timeUs: 0, mode: 'AV_IMAGE_QUERY_CLOSEST', source: 'bytes' },
  { id: 'truncated', file: 'truncated.mp4', timeUs: 3_000_000, mode: 'AV_IMAGE_QUERY_CLOSEST', source: 'url' },
];

/** The cases over real-world files of `../shared/media`. */
export const SHARED_CASES: readonly ConformanceCase[] = [
  { id: 'video.mp4', file: 'shared:video.mp4', timeUs: 3_000_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 320, height: 180, source: 'url' },
  { id: 'video-h265.mp4', file: 'shared:video-h265.mp4', timeUs: 2_000_000, mode: 'AV_IMAGE_QUERY_CLOSEST_SYNC', width: 320, scaled: true, source: 'url' },
  { id: 'rotate-buck-bunny.mp4', file: 'shared:rotate-buck-bunny.mp4', timeUs: 1_000_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 120, height: 160, source: 'url' },
  { id: 'sar_2x1.mp4', file: 'shared:sar_2x1.mp4', timeUs: 500_000, mode: 'AV_IMAGE_QUERY_CLOSEST', source: 'url' },
  { id: 'cursed-vfr.mp4', file: 'shared:cursed-vfr.mp4', timeUs: 1_500_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 160, height: 90, source: 'url' },
  { id: '0.ts', file: 'shared:0.ts', timeUs: 1_000_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 160, height: 160, source: 'url' },
  { id: 'frames.webm', file: 'shared:frames.webm', timeUs: 1_000_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 160, height: 160, source: 'url' },
  { id: 'transparency.webm RGBA', file: 'shared:transparency.webm', timeUs: 2_000_000, mode: 'AV_IMAGE_QUERY_CLOSEST', width: 160, height: 90, colorFormat: 'RGBA_8888', source: 'url' },
];

/** Where a case file is served: `base` + its name (shared files under `shared/`). */
export function caseUrl(base: string, file: string): string {
  return `${base.replace(/\/$/, '')}/${file.replace(/^shared:/, 'shared/')}`;
}

async function sha256(data: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The numeric code of a BusinessError, or the error itself rethrown (a harness failure). */
function codeOf(error: unknown): number {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'number') return code;
  throw error;
}

/** Points `generator` at the case's file the way the case says. */
async function setSource(generator: mediaNamespace.AVImageGenerator, url: string, source: ConformanceCase['source']): Promise<void> {
  if (source === 'url') {
    generator.url = url;
    return;
  }
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  if (source === 'bytes') generator.dataSrc = bytes;
  else if (source === 'blob') generator.dataSrc = new Blob([bytes]);
  else {
    generator.dataSrc = {
      fileSize: bytes.length,
      callback: (buffer: ArrayBuffer, length: number, pos?: number) => {
        if (pos === undefined || pos >= bytes.length) return -1;
        const chunk = bytes.subarray(pos, Math.min(pos + length, bytes.length));
        new Uint8Array(buffer).set(chunk);
        return chunk.length;
      },
    };
  }
}

/** Runs one case on a fresh generator. */
async function runCase({ media, image }: HarmonyApi, base: string, c: ConformanceCase): Promise<ConformanceResult> {
  const generator = await media.createAVImageGenerator();
  const packer = image.createImagePacker();
  try {
    await setSource(generator, caseUrl(base, c.file), c.source);
    const mode = media.AVImageQueryOptions[c.mode];
    const size = { width: c.width, height: c.height };
    const pixelMap = await (c.scaled
      ? generator.fetchScaledFrameByTime(c.timeUs, mode, size)
      : generator.fetchFrameByTime(c.timeUs, mode, { ...size, colorFormat: media.PixelFormat[c.colorFormat ?? 'RGBA_8888'] })
    ).catch((error: unknown) => codeOf(error));
    if (typeof pixelMap === 'number') return { id: c.id, errorCode: pixelMap };
    try {
      const pixels = new ArrayBuffer(pixelMap.getPixelBytesNumber());
      await pixelMap.readPixelsToBuffer(pixels);
      const png = await packer.packToData(pixelMap, { format: 'image/png', quality: 100 });
      const jpeg = await packer.packToData(pixelMap, { format: 'image/jpeg', quality: 90 });
      const { width, height } = pixelMap.getImageInfoSync().size;
      return { id: c.id, frameTimeUs: pixelMap.frameTimeUs, width, height, pixels: await sha256(pixels), png: await sha256(png), jpeg: await sha256(jpeg) };
    } finally {
      await pixelMap.release();
    }
  } finally {
    await generator.release();
    await packer.release();
  }
}

/** Runs `cases` one after the other over files served under `base`; results in case order. */
export async function runConformance(api: HarmonyApi, base: string, cases: readonly ConformanceCase[]): Promise<ConformanceResult[]> {
  const results: ConformanceResult[] = [];
  for (const c of cases) results.push(await runCase(api, base, c));
  return results;
}
