/**
 * `extractJpegs`: the frames of `extractFrames`, as JPEG files. A frame at its coded size with
 * nothing to rotate goes straight from the decoder's 4:2:0 planes to a 4:2:0 JPEG; a resized
 * or rotated one is rendered to RGBA and encoded 4:4:4. Both decode (by native ffmpeg) to the
 * picture native ffmpeg decodes from the video.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { StillframeError } from '../../src/errors.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { openVideoFile, type ExtractedJpeg } from '../../src/video-file.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture, type FixtureName } from '../helpers/fixtures.js';
import { ffmpeg, requireNativeTool } from '../helpers/native.js';
import { expectedFrame, meanAbsDiff, referenceFrames, referencePixels } from '../helpers/reference.js';

const engine = createNodeRunner();
afterAll(() => engine.close());

/** Luma's horizontal and vertical sampling factors, from the JPEG's SOF0 segment: 2×2 is 4:2:0, 1×1 is 4:4:4. */
function lumaSampling(jpeg: Uint8Array): string {
  for (let at = 2; at + 4 < jpeg.length; ) {
    const marker = jpeg[at + 1]!;
    const length = (jpeg[at + 2]! << 8) | jpeg[at + 3]!;
    if (marker === 0xc0) {
      const factors = jpeg[at + 11]!;
      return `${factors >> 4}x${factors & 15}`;
    }
    at += 2 + length;
  }
  throw new Error('no SOF0 segment');
}

/** The JPEG decoded by native ffmpeg to RGB24. */
const decodeJpeg = (jpeg: Uint8Array) => ffmpeg(['-f', 'image2pipe', '-c:v', 'mjpeg', '-i', '-', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], jpeg);

async function jpegsOf(name: FixtureName, timesUs: number[], options: { size?: { width: number; height: number }; quality: number }): Promise<ExtractedJpeg[]> {
  const video = await openVideoFile(await openFileSource(fixture(name)), { runner: engine });
  const jpegs = await video.extractJpegs(timesUs, { mode: 'closest', ...options });
  await video.close();
  return jpegs.map((jpeg) => {
    if (jpeg instanceof StillframeError) throw jpeg;
    return jpeg;
  });
}

describe.skipIf(!requireNativeTool('ffmpeg'))('extractJpegs', () => {
  it('encodes full-size 4:2:0 frames straight from the planes, 4:2:0, true to native ffmpeg', async () => {
    const path = fixture('h264-bframes.mp4');
    const frames = referenceFrames(path);
    const times = [1_300_000, 2_480_000];
    const jpegs = await jpegsOf('h264-bframes.mp4', times, { quality: 90 });
    for (const [i, jpeg] of jpegs.entries()) {
      const expected = expectedFrame(frames, times[i]!, 'closest');
      expect(jpeg.timeUs).toBe(expected.timeUs);
      expect([jpeg.width, jpeg.height, lumaSampling(jpeg.data)]).toEqual([320, 240, '2x2']);
      // Measured: 3.5 and 4.05 (testsrc2 is all sharp coloured edges; at 1.3 s the RGBA frame itself
      // is 2.7 from native ffmpeg's, and a 4:2:0 JPEG made from that RGBA 3.6).
      expect(meanAbsDiff(rgbaOf(decodeJpeg(jpeg.data)), referencePixels(path, expected.n, 320, 240))).toBeLessThan(5);
    }
  });

  it('encodes resized and rotated frames from RGBA, 4:4:4, true to native ffmpeg', async () => {
    for (const [name, size] of [['h264-bframes.mp4', { width: 160, height: 120 }], ['rotated-90.mp4', undefined]] as const) {
      const path = fixture(name);
      const [jpeg] = await jpegsOf(name, [500_000], { quality: 90, ...(size ? { size } : {}) });
      expect(lumaSampling(jpeg!.data), name).toBe('1x1');
      const expected = expectedFrame(referenceFrames(path), 500_000, 'closest');
      expect(meanAbsDiff(rgbaOf(decodeJpeg(jpeg!.data)), referencePixels(path, expected.n, jpeg!.width, jpeg!.height)), name).toBeLessThan(4);
    }
  });

  it('refuses a quality outside 1–100 before decoding anything', async () => {
    const video = await openVideoFile(await openFileSource(fixture('h264-bframes.mp4')), { runner: engine });
    for (const quality of [0, 101, 50.5, Number.NaN]) {
      await expect(video.extractJpegs([0], { quality })).rejects.toMatchObject({ kind: 'invalid-argument' });
    }
    expect(video.decodeStats.passes).toBe(0);
    await video.close();
  });
});

/** RGB24 to RGBA, as `meanAbsDiff` compares RGBA against RGB. */
function rgbaOf(rgb: Uint8Array): Uint8Array {
  const rgba = new Uint8Array((rgb.length / 3) * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    rgba[j] = rgb[i]!;
    rgba[j + 1] = rgb[i + 1]!;
    rgba[j + 2] = rgb[i + 2]!;
    rgba[j + 3] = 255;
  }
  return rgba;
}
