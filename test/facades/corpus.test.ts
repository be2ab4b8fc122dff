/**
 * The real-world corpus through both facades: every media file in `../shared/media/` that has a
 * video stream gives, through HarmonyOS `AVImageGenerator` and through Kinesis Video `GetImages`,
 * the frames native ffmpeg gives — checked by pixels — and the files that cannot give them get
 * their typed errors.
 *
 * The corpus is enumerated when the file runs (every mp4, mov, mkv, webm and ts in it), and each
 * file is classified by native ffprobe, never by its name, so a file added to the corpus is
 * covered without touching this spec:
 *
 * - **A file with video**: `fetchFrameByTime` in each of the four `AVImageQueryOptions` modes, at
 *   one time inside the video and one at its edge (past the end, or 0 where the last GOP is too
 *   long to decode quickly), returns an RGBA_8888 PixelMap of the asked size (about 160 px on the
 *   long side, at the display aspect ratio) whose `frameTimeUs` and pixels are those of the frame
 *   the mode names by native ffprobe's presentation times and key flags; `fetchScaledFrameByTime`
 *   keeps the display aspect ratio; `GetImages` (PNG) over a stream whose one fragment is the
 *   file shows, at each sampled point, the frame native ffmpeg has on screen there, and
 *   `NO_MEDIA` past the end.
 * - **A truncated file** (the container lists more samples than the file holds): a time inside
 *   the part that is present gives the right frame, a time past it 5400103 (`MEDIA_ERROR` in
 *   GetImages), and the generator keeps working afterwards.
 * - **A file without a video stream**: every fetch rejects with 5400106; GetImages reports
 *   `MEDIA_ERROR` where the fragment stands (it cannot be opened as video) and `NO_MEDIA` before it.
 *
 * Pixels: the image must be within a mean of 4 levels per channel of native ffmpeg's decode of
 * the frame, scaled to the same size (as in `test/core/conformance.test.ts`), and closer to it
 * than to either neighbouring frame, so that an off-by-one frame cannot pass. Colour is compared
 * premultiplied by alpha against native RGBA (libvpx for VP8/VP9 with an alpha channel), so a
 * video with alpha is held to the same rule; for opaque video this is plain RGB.
 *
 * Times are picked to keep decoding short (the file runs on 2 cores in CI): the time inside the
 * video lies three quarters into a short GOP where one exists (so previous-sync and closest-sync
 * name different key frames), otherwise just after a key frame.
 */
import { closeSync, openSync, readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { image, media, type BusinessError, type PixelMap } from '../../src/harmony/index.js';
import { KinesisVideoArchivedMedia } from '../../src/kinesis/archived-media.js';
import type { GetImagesInput, Image } from '../../src/kinesis/get-images-types.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { expectBusinessError, pixelsOf, useEngine } from '../harmony/helpers.js';
import { requireSharedMedia, sharedMedia } from '../helpers/fixtures.js';
import { ffmpeg, ffprobe, requireNativeTool } from '../helpers/native.js';
import { expectedFrame, meanAbsDiff, referenceFrames, type ReferenceFrame } from '../helpers/reference.js';
import { at, decodeImage } from '../kinesis/helpers.js';

// One engine (two instances) for both facades: GetImages without a runner uses the shared one.
useEngine();

const { AV_IMAGE_QUERY_NEXT_SYNC, AV_IMAGE_QUERY_PREVIOUS_SYNC, AV_IMAGE_QUERY_CLOSEST_SYNC, AV_IMAGE_QUERY_CLOSEST } =
  media.AVImageQueryOptions;
type Mode = 'next-sync' | 'previous-sync' | 'closest-sync' | 'closest';
const MODES: ReadonlyArray<[Mode, media.AVImageQueryOptions]> = [
  ['next-sync', AV_IMAGE_QUERY_NEXT_SYNC],
  ['previous-sync', AV_IMAGE_QUERY_PREVIOUS_SYNC],
  ['closest-sync', AV_IMAGE_QUERY_CLOSEST_SYNC],
  ['closest', AV_IMAGE_QUERY_CLOSEST],
];

const available = requireNativeTool('ffmpeg') && requireNativeTool('ffprobe') && requireSharedMedia();

/** The containers a corpus file may come in. */
const MEDIA_FILE = /\.(mp4|mov|mkv|webm|ts)$/i;
/** Long side of the thumbnails compared. */
const LONG_SIDE = 160;
/** Most frames a chosen time may cost to decode (from its key frame); keeps big HEVC files quick. */
const GOP_BUDGET = 60;
/** Mean difference per channel allowed against native ffmpeg (as conformance.test.ts). */
const TOLERANCE = 4;

/** A corpus file as native ffprobe sees it. */
interface CorpusFile {
  readonly name: string;
  readonly path: string;
  /** Its first video stream (not a cover picture), if it has one. */
  readonly video?: {
    readonly codec: string;
    /** Upright display size: sample aspect ratio and display rotation applied. */
    readonly display: { readonly width: number; readonly height: number };
    /** The thumbnail size compared at: LONG_SIDE on the long side, display aspect kept. */
    readonly thumb: { readonly width: number; readonly height: number };
    /** VP8/VP9 whose WebM track says it carries alpha (`alpha_mode` 1). */
    readonly alpha: boolean;
    /** The container lists more samples than the file holds (it was cut short). */
    readonly truncated: boolean;
  };
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  nb_frames?: string;
  nb_read_packets?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: Array<{ rotation?: number }>;
}

/** Classifies a corpus file with native ffprobe (header and packet count only: no decoding). */
function survey(name: string): CorpusFile {
  const path = sharedMedia(name);
  const { streams = [] } = JSON.parse(ffprobe(['-count_packets', '-show_streams', '-of', 'json', path])) as { streams?: ProbeStream[] };
  const stream = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  if (!stream) return { name, path };
  const [sarW, sarH] = (stream.sample_aspect_ratio ?? '1:1').split(':').map(Number) as [number, number];
  const sar = sarW > 0 && sarH > 0 ? sarW / sarH : 1;
  const rotation = Number(stream.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? stream.tags?.rotate ?? 0);
  // As players show it (and as native ffmpeg's `scale=iw*sar:ih` would): the width stretched.
  const wide = { width: Math.max(1, Math.round(stream.width! * sar)), height: stream.height! };
  const display = Math.abs(rotation) % 180 === 90 ? { width: wide.height, height: wide.width } : wide;
  const scale = LONG_SIDE / Math.max(display.width, display.height);
  const thumb = { width: Math.max(2, Math.round(display.width * scale)), height: Math.max(2, Math.round(display.height * scale)) };
  const listed = Number(stream.nb_frames);
  return {
    name,
    path,
    video: {
      codec: stream.codec_name ?? '?',
      display,
      thumb,
      alpha: /^vp[89]$/.test(stream.codec_name ?? '') && stream.tags?.alpha_mode === '1',
      truncated: Number.isFinite(listed) && listed > Number(stream.nb_read_packets),
    },
  };
}

/** Everything native says about a video file, gathered once per file. */
interface Reference {
  readonly frames: ReferenceFrame[];
  /** Frames whose packet lies wholly inside the file (all of them unless it was cut short). */
  readonly whole: ReferenceFrame[];
  /** The container's duration, in microseconds. */
  readonly durationUs: number;
  /** The longest packet duration, in microseconds (how long a last frame may stay on screen). */
  readonly longestFrameUs: number;
}

const references = new Map<string, Reference>();

function referenceOf(file: CorpusFile): Reference {
  let reference = references.get(file.path);
  if (!reference) {
    const frames = referenceFrames(file.path);
    const size = statSync(file.path).size;
    const { packets = [] } = JSON.parse(
      ffprobe(['-select_streams', 'v:0', '-show_entries', 'packet=pts_time,duration_time,pos,size', '-of', 'json', file.path]),
    ) as { packets?: Array<{ pts_time?: string; duration_time?: string; pos?: string; size?: string }> };
    const wholeTimes = new Set(
      packets.filter((p) => Number(p.pos) + Number(p.size) <= size).map((p) => Math.round(Number(p.pts_time) * 1e6)),
    );
    const longestFrameUs = Math.max(0, ...packets.map((p) => Number(p.duration_time) * 1e6).filter(Number.isFinite));
    const duration = Number(ffprobe(['-show_entries', 'format=duration', '-of', 'csv=p=0', file.path]).trim());
    reference = {
      frames,
      whole: frames.filter((f) => wholeTimes.has(f.timeUs)),
      durationUs: Math.round(duration * 1e6),
      longestFrameUs,
    };
    references.set(file.path, reference);
  }
  return reference;
}

/** Native RGBA of presented frames, per file and size, filled in batches. */
const nativePixels = new Map<string, Map<number, Uint8Array>>();

/**
 * Native ffmpeg's RGBA pixels of presented frames `ns` of `file`, at `width`×`height`: upright,
 * scaled as `referencePixels` (test/helpers/reference.ts) scales, but all wanted frames in one
 * decoding pass (a pass per frame would decode the big files from their start again and again).
 */
function nativeFrames(file: CorpusFile, ns: Iterable<number>, width: number, height: number): Map<number, Uint8Array> {
  const key = `${file.path}|${width}x${height}`;
  const cache = nativePixels.get(key) ?? new Map<number, Uint8Array>();
  nativePixels.set(key, cache);
  const missing = [...new Set(ns)].filter((n) => n >= 0 && !cache.has(n)).sort((a, b) => a - b);
  if (missing.length > 0) {
    const select = missing.map((n) => `eq(n\\,${n})`).join('+');
    const out = ffmpeg([
      // Native ffmpeg's own VP8/VP9 decoders ignore the alpha plane; libvpx reads it.
      ...(file.video!.alpha ? ['-c:v', file.video!.codec === 'vp8' ? 'libvpx' : 'libvpx-vp9'] : []),
      '-i', file.path, '-map', '0:v:0',
      '-vf', `select=${select},scale=${width}:${height}:flags=area+accurate_rnd+full_chroma_int`,
      '-fps_mode', 'passthrough', '-frames:v', String(missing.length), '-f', 'rawvideo', '-pix_fmt', 'rgba', '-',
    ]);
    const frameBytes = width * height * 4;
    expect(out.length, `native ffmpeg decoded frames ${missing.join(', ')} of ${file.name}`).toBe(frameBytes * missing.length);
    missing.forEach((n, i) => cache.set(n, out.slice(i * frameBytes, (i + 1) * frameBytes)));
  }
  return cache;
}

/** RGBA with colour premultiplied by alpha (rounded); unchanged where opaque. */
function premultiplied(rgba: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgba);
  for (let i = 0; i < out.length; i += 4) {
    const a = out[i + 3]!;
    if (a === 255) continue;
    for (let c = 0; c < 3; c++) out[i + c] = Math.round((out[i + c]! * a) / 255);
  }
  return out;
}

/** The RGB24 of premultiplied RGBA, for `meanAbsDiff`. */
function rgbOf(rgba: Uint8Array): Uint8Array {
  const rgb = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) rgb.set(rgba.subarray(i, i + 3), j);
  return rgb;
}

/** Mean absolute difference of the alpha channels of two RGBA images. */
function alphaDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 3; i < a.length; i += 4) sum += Math.abs(a[i]! - b[i]!);
  return sum / (a.length / 4);
}

/**
 * Asserts that premultiplied RGBA `ours` (`width`×`height`) shows presented frame `n` of `file`:
 * within {@link TOLERANCE} of native ffmpeg's decode, alpha within a level on average, and closer
 * to it than to either neighbouring frame (unless that neighbour looks the same).
 */
function expectShows(ours: Uint8Array, width: number, height: number, file: CorpusFile, n: number, where: string): void {
  const count = referenceOf(file).frames.length;
  const natives = nativeFrames(file, [n - 1, n, n + 1].filter((i) => i < count), width, height);
  const own = natives.get(n)!;
  const diff = meanAbsDiff(ours, rgbOf(premultiplied(own)));
  expect(diff, `${where}: pixels differ from native frame ${n}`).toBeLessThan(TOLERANCE);
  expect(alphaDiff(ours, own), `${where}: alpha differs from native frame ${n}`).toBeLessThan(1);
  for (const neighbour of [n - 1, n + 1]) {
    const pixels = natives.get(neighbour);
    if (!pixels) continue;
    const other = meanAbsDiff(ours, rgbOf(premultiplied(pixels)));
    if (other > 0.5) expect(diff, `${where}: closer to neighbour ${neighbour}`).toBeLessThan(other);
  }
}

/** A time `fraction` of the way from frame `j` to frame `j + 1` (before the midpoint: `closest` names frame `j`). */
function between(frames: readonly ReferenceFrame[], j: number, fraction = 0.4): number {
  const here = frames[j]!.timeUs;
  const next = frames[j + 1]?.timeUs ?? here + 40_000;
  return Math.round(here + fraction * (next - here));
}

/** Positions of the key frames among presented frames. */
const keyPositions = (frames: readonly ReferenceFrame[]): number[] => frames.flatMap((f, i) => (f.key ? [i] : []));

/**
 * A time inside the video that is quick to decode in every mode: three quarters into the first
 * GOP of at most {@link GOP_BUDGET} frames (previous-sync then names its key frame, closest-sync
 * and next-sync the next one); in videos without such a GOP, just after the first key frame.
 */
function insideTime(frames: readonly ReferenceFrame[]): number {
  const keys = keyPositions(frames);
  for (let i = 0; i + 1 < keys.length; i++) {
    const gop = keys[i + 1]! - keys[i]!;
    if (gop >= 4 && gop <= GOP_BUDGET) return between(frames, keys[i]! + Math.floor(gop * 0.75));
  }
  return between(frames, Math.min((keys[0] ?? 0) + 2, frames.length - 2));
}

/**
 * The time at the video's edge: 1 s past its last frame where decoding the last GOP is quick
 * (`closest` then decodes all of it), else 0 (every mode then names the first frames).
 */
function edgeTime(frames: readonly ReferenceFrame[]): { timeUs: number; past: boolean } {
  const lastKey = keyPositions(frames).at(-1) ?? 0;
  const past = frames.length - 1 - lastKey <= GOP_BUDGET;
  return { timeUs: past ? frames.at(-1)!.timeUs + 1_000_000 : 0, past };
}

/** What a PixelMap holds: size, format, frame time and its (RGBA_8888) pixels; then releases it. */
async function readPixelMap(pixelMap: PixelMap): Promise<{ width: number; height: number; format: number; timeUs: number; data: Uint8Array }> {
  const info = pixelMap.getImageInfoSync();
  const data = await pixelsOf(pixelMap);
  const read = { ...info.size, format: info.pixelFormat, timeUs: pixelMap.frameTimeUs, data };
  pixelMap.release();
  return read;
}

/** `promise`, whose rejection names where it happened (a BusinessError's code included). */
function named<T>(where: string, promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) => {
    const { code, message } = error as { code?: number; message?: string };
    throw new Error(`${where}: rejected${code === undefined ? '' : ` with ${code}`}: ${message ?? String(error)}`, { cause: error });
  });
}

/** A generator reading `path` through a file descriptor, as a HarmonyOS app passes files; closes both after `body`. */
async function withGenerator<T>(path: string, body: (generator: media.AVImageGenerator) => Promise<T>): Promise<T> {
  const fd = openSync(path, 'r');
  const generator = await media.createAVImageGenerator();
  generator.fdSrc = { fd };
  try {
    return await body(generator);
  } finally {
    await generator.release();
    closeSync(fd);
  }
}

/** A GetImages service whose one stream has the one fragment `path`, first frame at T0. */
function serviceFor(path: string): KinesisVideoArchivedMedia {
  return new KinesisVideoArchivedMedia({
    catalog: { streams: [{ name: 'corpus', fragments: [{ source: () => openFileSource(path), producerStartTime: at(0) }] }] },
    minSamplingIntervalMs: 1,
  });
}

/** The PNG image GetImages gives at `pointMs` after T0, at `thumb` size. */
async function imageAt(service: KinesisVideoArchivedMedia, pointMs: number, thumb: { width: number; height: number }): Promise<Image> {
  const input: GetImagesInput = {
    StreamName: 'corpus',
    ImageSelectorType: 'PRODUCER_TIMESTAMP',
    StartTimestamp: at(pointMs),
    EndTimestamp: at(pointMs),
    SamplingInterval: 1000,
    Format: 'PNG',
    WidthPixels: thumb.width,
    HeightPixels: thumb.height,
  };
  const { Images } = await service.getImages(input);
  expect(Images).toHaveLength(1);
  expect(Images![0]!.TimeStamp).toEqual(at(pointMs));
  return Images![0]!;
}

/**
 * The frame on screen at `pointMs` after the fragment's start by native's times: the last frame
 * presented at or before it (the fragment's start is its first frame), or none past the last
 * frame's end. Points are chosen away from the end, where native and container durations may differ.
 */
function shownAt(reference: Reference, pointMs: number): ReferenceFrame | undefined {
  const mediaUs = pointMs * 1000 + reference.frames[0]!.timeUs;
  const last = reference.frames.at(-1)!;
  if (mediaUs >= last.timeUs + Math.max(1_000_000, 2 * reference.longestFrameUs)) return undefined;
  return [...reference.frames].reverse().find((f) => f.timeUs <= mediaUs);
}

/** Milliseconds after the first frame at which media time `timeUs` is shown. */
const pointOf = (reference: Reference, timeUs: number): number => Math.round((timeUs - reference.frames[0]!.timeUs) / 1000);

const files = available
  ? readdirSync(sharedMedia('.'))
      .filter((name) => MEDIA_FILE.test(name))
      .sort()
      .map(survey)
  : [];
const playable = files.filter((f) => f.video && !f.video.truncated);
const truncated = files.filter((f) => f.video?.truncated);
const withoutVideo = files.filter((f) => !f.video);

describe.skipIf(!available)('the shared corpus through both facades', () => {
  it('has media files, each classified by native ffprobe as with or without a video stream', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(playable.length).toBeGreaterThan(0);
    for (const file of withoutVideo) {
      const streams = ffprobe(['-show_entries', 'stream=codec_type', '-of', 'csv=p=0', file.path]).trim().split('\n');
      expect(streams, `${file.name} has streams, none of them video`).not.toContain('video');
    }
  });

  for (const file of playable) {
    const video = file.video!;
    const label = `${file.name} (${video.codec}, shown ${video.display.width}x${video.display.height})`;

    describe(`a file with video: ${label}`, () => {
      it(`AVImageGenerator.fetchFrameByTime: each of the four modes, inside the video and at its edge, gives a ${video.thumb.width}x${video.thumb.height} RGBA_8888 PixelMap of the frame native ffmpeg names`, async () => {
        const { frames } = referenceOf(file);
        const edge = edgeTime(frames);
        const times = [insideTime(frames), edge.timeUs];
        const cases = times.flatMap((timeUs) => MODES.map(([mode, option]) => ({ timeUs, mode, option, expected: expectedFrame(frames, timeUs, mode) })));
        await withGenerator(file.path, async (generator) => {
          // All at once, so both engine instances work; native decodes its references meanwhile.
          const fetches = cases.map(({ timeUs, option }) =>
            generator.fetchFrameByTime(timeUs, option, { ...video.thumb, colorFormat: media.PixelFormat.RGBA_8888 }).then(readPixelMap),
          );
          fetches.forEach((fetch) => fetch.catch(() => undefined));
          nativeFrames(file, cases.flatMap(({ expected }) => [expected.n - 1, expected.n, expected.n + 1]).filter((n) => n < frames.length), video.thumb.width, video.thumb.height);
          for (const [i, { timeUs, mode, expected }] of cases.entries()) {
            const where = `${file.name} ${mode} @ ${timeUs} µs${timeUs === edge.timeUs ? (edge.past ? ' (past the end)' : ' (time 0)') : ''}`;
            const got = await named(where, fetches[i]!);
            expect({ width: got.width, height: got.height, format: got.format }, where).toEqual({ ...video.thumb, format: image.PixelMapFormat.RGBA_8888 });
            expect(Math.abs(got.timeUs - expected.timeUs), `${where}: frame time ${got.timeUs}, native ${expected.timeUs}`).toBeLessThanOrEqual(1);
            expectShows(got.data, got.width, got.height, file, expected.n, where);
          }
        });
      }, 120_000);

      it('AVImageGenerator.fetchScaledFrameByTime: given the long side, keeps the display aspect ratio and gives the frame native ffmpeg names', async () => {
        const { frames } = referenceOf(file);
        const timeUs = insideTime(frames);
        const expected = expectedFrame(frames, timeUs, 'closest-sync');
        const landscape = video.display.width >= video.display.height;
        const got = await withGenerator(file.path, async (generator) =>
          readPixelMap(await generator.fetchScaledFrameByTime(timeUs, AV_IMAGE_QUERY_CLOSEST_SYNC, landscape ? { width: LONG_SIDE } : { height: LONG_SIDE })),
        );
        const where = `${file.name} scaled, closest-sync @ ${timeUs} µs`;
        expect({ width: got.width, height: got.height, format: got.format }, where).toEqual({ ...video.thumb, format: image.PixelMapFormat.RGBA_8888 });
        expect(Math.abs(got.timeUs - expected.timeUs), `${where}: frame time`).toBeLessThanOrEqual(1);
        expectShows(got.data, got.width, got.height, file, expected.n, where);
      }, 120_000);

      it('GetImages (PNG): each sampled point shows the frame native ffmpeg has on screen there, and past the end NO_MEDIA', async () => {
        const reference = referenceOf(file);
        const { frames } = reference;
        const last = frames.at(-1)!;
        const points = [
          0,
          pointOf(reference, insideTime(frames)),
          // Just into the last frame, where decoding up to it is quick.
          ...(edgeTime(frames).past ? [Math.ceil((last.timeUs - frames[0]!.timeUs) / 1000) + 1] : []),
          pointOf(reference, last.timeUs + Math.max(1_000_000, 2 * reference.longestFrameUs)) + 1,
        ];
        const service = serviceFor(file.path);
        try {
          const images = points.map((pointMs) => imageAt(service, pointMs, video.thumb));
          images.forEach((image) => image.catch(() => undefined));
          for (const [i, pointMs] of points.entries()) {
            const where = `${file.name} GetImages @ T0 + ${pointMs} ms`;
            const image = await named(where, images[i]!);
            const expected = shownAt(reference, pointMs);
            if (!expected) {
              expect(image, where).toEqual({ TimeStamp: at(pointMs), Error: 'NO_MEDIA' });
              continue;
            }
            expect(image.Error, where).toBeUndefined();
            const decoded = decodeImage(image.ImageContent!, 'PNG');
            expect({ width: decoded.width, height: decoded.height }, where).toEqual(video.thumb);
            expectShows(premultiplied(decoded.data), decoded.width, decoded.height, file, expected.n, where);
          }
          expect(points.filter((p) => shownAt(reference, p)).length, 'points with an image').toBeGreaterThanOrEqual(2);
        } finally {
          await service.close();
        }
      }, 120_000);
    });
  }

  for (const file of truncated) {
    const video = file.video!;

    describe(`a truncated file: ${file.name} (${video.codec}, cut short of the samples its container lists)`, () => {
      /** A time between two whole frames of the part that is present, and one well past it. */
      const times = (reference: Reference) => {
        const { whole } = reference;
        expect(whole.length, 'native ffmpeg decodes a few whole frames of it').toBeGreaterThan(2);
        return { insideUs: between(whole, Math.floor((whole.length - 1) / 2)), pastUs: Math.round(reference.durationUs / 2) };
      };

      it('AVImageGenerator: inside the present part the modes give native frames (next-sync, whose key frame is missing, 5400103); past it every mode gives 5400103; the next fetch still works', async () => {
        const reference = referenceOf(file);
        const { whole } = reference;
        const { insideUs, pastUs } = times(reference);
        expect(pastUs, 'the container lasts past the present part').toBeGreaterThan(whole.at(-1)!.timeUs + 1_000_000);
        const param = { ...video.thumb, colorFormat: media.PixelFormat.RGBA_8888 };
        await withGenerator(file.path, async (generator) => {
          for (const [mode, option] of MODES) {
            const where = `${file.name} ${mode} @ ${insideUs} µs`;
            const missingKey = mode === 'next-sync' && !whole.some((f) => f.key && f.timeUs >= insideUs);
            if (missingKey) {
              await expectBusinessError(generator.fetchFrameByTime(insideUs, option, param), 5400103);
              continue;
            }
            const expected = expectedFrame(whole, insideUs, mode);
            const got = await readPixelMap(await named(where, generator.fetchFrameByTime(insideUs, option, param)));
            expect({ width: got.width, height: got.height }, where).toEqual(video.thumb);
            expect(Math.abs(got.timeUs - expected.timeUs), `${where}: frame time`).toBeLessThanOrEqual(1);
            expectShows(got.data, got.width, got.height, file, expected.n, where);
          }
          for (const [, option] of MODES) {
            const error: BusinessError = await expectBusinessError(generator.fetchFrameByTime(pastUs, option, param), 5400103);
            expect(error.message).toMatch(/truncated/);
          }
          const expected = expectedFrame(whole, insideUs, 'closest');
          const again = await readPixelMap(await named('closest after the failures', generator.fetchFrameByTime(insideUs, AV_IMAGE_QUERY_CLOSEST, param)));
          expect(again.timeUs, 'after the failures').toBe(expected.timeUs);
          expectShows(again.data, again.width, again.height, file, expected.n, `${file.name} closest after the failures`);
        });
      }, 120_000);

      it('GetImages (PNG): the present part shows native frames; past the cut MEDIA_ERROR; past the end NO_MEDIA', async () => {
        const reference = referenceOf(file);
        const { whole } = reference;
        const { insideUs, pastUs } = times(reference);
        const service = serviceFor(file.path);
        try {
          for (const pointMs of [0, pointOf(reference, insideUs)]) {
            const where = `${file.name} GetImages @ T0 + ${pointMs} ms`;
            const mediaUs = pointMs * 1000 + reference.frames[0]!.timeUs;
            const expected = [...whole].reverse().find((f) => f.timeUs <= mediaUs)!;
            const image = await imageAt(service, pointMs, video.thumb);
            expect(image.Error, where).toBeUndefined();
            const decoded = decodeImage(image.ImageContent!, 'PNG');
            expectShows(premultiplied(decoded.data), decoded.width, decoded.height, file, expected.n, where);
          }
          const cut = pointOf(reference, pastUs);
          expect(await imageAt(service, cut, video.thumb)).toEqual({ TimeStamp: at(cut), Error: 'MEDIA_ERROR' });
          const end = pointOf(reference, reference.durationUs) + 5_000;
          expect(await imageAt(service, end, video.thumb)).toEqual({ TimeStamp: at(end), Error: 'NO_MEDIA' });
        } finally {
          await service.close();
        }
      }, 120_000);
    });
  }

  for (const file of withoutVideo) {
    describe(`a file without video: ${file.name}`, () => {
      it('AVImageGenerator: every fetch, in every mode and scaled, rejects with BusinessError 5400106', async () => {
        await withGenerator(file.path, async (generator) => {
          for (const [, option] of MODES) {
            await expectBusinessError(generator.fetchFrameByTime(0, option, { width: 96, height: 54 }), 5400106);
          }
          await expectBusinessError(generator.fetchScaledFrameByTime(1_000_000, AV_IMAGE_QUERY_CLOSEST, { width: LONG_SIDE }), 5400106);
        });
      });

      it('GetImages: MEDIA_ERROR from the fragment on (it cannot be opened as video), NO_MEDIA before it', async () => {
        const service = serviceFor(file.path);
        try {
          const { Images } = await service.getImages({
            StreamName: 'corpus',
            ImageSelectorType: 'PRODUCER_TIMESTAMP',
            StartTimestamp: at(-1000),
            EndTimestamp: at(2000),
            SamplingInterval: 1000,
            Format: 'PNG',
          });
          expect(Images).toEqual([
            { TimeStamp: at(-1000), Error: 'NO_MEDIA' },
            { TimeStamp: at(0), Error: 'MEDIA_ERROR' },
            { TimeStamp: at(1000), Error: 'MEDIA_ERROR' },
            { TimeStamp: at(2000), Error: 'MEDIA_ERROR' },
          ]);
        } finally {
          await service.close();
        }
      });
    });
  }
});
