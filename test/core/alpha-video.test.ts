/**
 * VP9 with alpha, end to end: the frames a query names come out as RGBA whose alpha is the alpha
 * plane native ffmpeg decodes (with libvpx, the decoder that reads it), in all four modes and at
 * a reduced size — through the core, through `AVImageGenerator` (an RGBA_8888 PixelMap that
 * reports PREMUL and reads out premultiplied) and through GetImages (a PNG with that alpha).
 */
import { openSync } from 'node:fs';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { image, media } from '../../src/harmony/index.js';
import { KinesisVideoArchivedMedia } from '../../src/kinesis/archived-media.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { openVideoFile, type QueryMode } from '../../src/video-file.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { pixelsOf, useEngine } from '../harmony/helpers.js';
import { fixture, requireSharedMedia, sharedMedia } from '../helpers/fixtures.js';
import { ffmpeg, requireNativeTool } from '../helpers/native.js';
import { alphaDifference, rgbDifference } from '../helpers/pixels.js';
import { expectedFrame, referenceFrames } from '../helpers/reference.js';

useEngine();
const runner = createNodeRunner({ instances: 2 });
afterAll(() => runner.close());

const native = requireNativeTool('ffmpeg') && requireNativeTool('ffprobe');
const MODES: QueryMode[] = ['next-sync', 'previous-sync', 'closest-sync', 'closest'];

/** Native ffmpeg's RGBA of presented frame `n`, decoded by libvpx, scaled as the reference frames are. */
function nativeRgba(path: string, n: number, width: number, height: number) {
  const data = ffmpeg([
    '-c:v', 'libvpx-vp9', '-i', path, '-map', '0:v:0',
    '-vf', `select=eq(n\\,${n}),scale=${width}:${height}:flags=area+accurate_rnd+full_chroma_int`,
    '-frames:v', '1', '-pix_fmt', 'rgba', '-f', 'rawvideo', '-',
  ]);
  return { width, height, data: new Uint8Array(data) };
}

/** Our RGBA against native's: alpha within a level (exact at the natural size), colour as close as other frames. */
function expectMatchesNative(ours: { width: number; height: number; data: Uint8Array }, path: string, n: number, where: string): void {
  const reference = nativeRgba(path, n, ours.width, ours.height);
  const alpha = alphaDifference(ours, reference);
  expect(alpha.max, `${where}: alpha`).toBeLessThanOrEqual(1);
  expect(alpha.mean, `${where}: alpha`).toBeLessThan(0.05);
  // Colour under a transparent pixel is whatever the encoder left there: compare opaque pixels only.
  const opaque = (image: { data: Uint8Array }) => image.data.map((v, i) => (reference.data[i - (i % 4) + 3]! === 255 ? v : 0));
  expect(rgbDifference({ ...ours, data: opaque(ours) }, { ...reference, data: opaque(reference) }).mean, `${where}: colour`).toBeLessThan(2);
}

const FILES = [
  { name: 'vp9-alpha.webm', path: () => fixture('vp9-alpha.webm'), shared: false },
  { name: 'transparency.webm', path: () => sharedMedia('transparency.webm'), shared: true },
];

describe.skipIf(!native)('VP9 with alpha through the core', () => {
  for (const file of FILES) {
    it.skipIf(file.shared && !requireSharedMedia())(`${file.name}: every mode gives the named frame with its alpha`, async () => {
      const path = file.path();
      const reference = referenceFrames(path);
      const video = await openVideoFile(await openFileSource(path), { runner });
      try {
        const last = reference.at(-1)!.timeUs;
        for (const mode of MODES) {
          for (const timeUs of [Math.round(last * 0.37), Math.round(last * 0.81)]) {
            const expected = expectedFrame(reference, timeUs, mode);
            const frame = await video.extractFrame(timeUs, { mode, size: ({ width, height }) => ({ width: width / 4, height: height / 4 }) });
            expect(frame.timeUs, `${mode} @ ${timeUs}`).toBe(expected.timeUs);
            expectMatchesNative(frame, path, expected.n, `${file.name} ${mode} @ ${timeUs}`);
          }
        }
        // At the natural size the alpha is the decoder's plane, exactly.
        const expected = expectedFrame(reference, 1_000_000, 'closest');
        const full = await video.extractFrame(1_000_000);
        expect(alphaDifference(full, nativeRgba(path, expected.n, full.width, full.height)).max).toBe(0);
      } finally {
        await video.close();
      }
    }, 120_000);
  }
});

describe.skipIf(!native)('VP9 with alpha through the facades', () => {
  const path = fixture('vp9-alpha.webm');

  it('AVImageGenerator: an RGBA_8888 PixelMap reports PREMUL and reads out native alpha, colour premultiplied', async () => {
    const generator = await media.createAVImageGenerator();
    generator.fdSrc = { fd: openSync(path, 'r') };
    try {
      const pixelMap = await generator.fetchFrameByTime(1_000_000, media.AVImageQueryOptions.AV_IMAGE_QUERY_CLOSEST, { width: 160, height: 120, colorFormat: media.PixelFormat.RGBA_8888 });
      expect(pixelMap.getImageInfoSync().alphaType).toBe(image.AlphaType.PREMUL);
      const read = await pixelsOf(pixelMap);
      const expected = nativeRgba(path, expectedFrame(referenceFrames(path), 1_000_000, 'closest').n, 160, 120);
      for (let i = 0; i < read.length; i += 4) {
        const a = read[i + 3]!;
        expect(Math.abs(a - expected.data[i + 3]!), `alpha of pixel ${i / 4}`).toBeLessThanOrEqual(1);
        // Premultiplied colour is never above its alpha.
        expect(Math.max(read[i]!, read[i + 1]!, read[i + 2]!), `pixel ${i / 4}`).toBeLessThanOrEqual(a);
      }
      pixelMap.release();
    } finally {
      await generator.release();
    }
  });

  it('GetImages: a PNG image carries the alpha', async () => {
    const T0 = Date.parse('2026-11-21T10:00:00Z');
    const service = new KinesisVideoArchivedMedia({
      catalog: { streams: [{ name: 'alpha', fragments: [{ source: () => openFileSource(path), producerStartTime: new Date(T0) }] }] },
      runner,
      minSamplingIntervalMs: 1,
    });
    try {
      const { Images } = await service.getImages({
        StreamName: 'alpha', ImageSelectorType: 'PRODUCER_TIMESTAMP', Format: 'PNG',
        StartTimestamp: new Date(T0 + 1000), EndTimestamp: new Date(T0 + 1000), SamplingInterval: 1000,
      });
      const png = PNG.sync.read(Buffer.from(Images![0]!.ImageContent!, 'base64'));
      const ours = { width: png.width, height: png.height, data: new Uint8Array(png.data) };
      expectMatchesNative(ours, path, expectedFrame(referenceFrames(path), 1_000_000, 'closest').n, 'GetImages PNG');
    } finally {
      await service.close();
    }
  });
});
