/**
 * `extractFrame(t, { upright: false })`: the option that turns display geometry off. The frame
 * comes as the decoder made it — coded size, no track rotation, no pixel aspect ratio — and its
 * pixels are those of native ffmpeg with autorotation off and no scaling.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { openVideoFile, type Size } from '../../src/video-file.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture, type FixtureName } from '../helpers/fixtures.js';
import { ffmpeg, requireNativeTool } from '../helpers/native.js';
import { expectedFrame, meanAbsDiff, referenceFrames } from '../helpers/reference.js';

const runner = createNodeRunner();
afterAll(() => runner.close());

/**
 * Native ffmpeg's RGB24 pixels of presented frame `n` as coded: `-noautorotate`, and no scale
 * to the display aspect ratio (the scale filter is there for its conversion flags only, the
 * ones `referencePixels` uses, which autorotates).
 */
function codedReferencePixels(path: string, n: number): Uint8Array {
  return ffmpeg([
    '-noautorotate', '-i', path, '-map', '0:v:0',
    '-vf', `select=eq(n\\,${n}),scale=iw:ih:flags=accurate_rnd+full_chroma_int`,
    '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-',
  ]);
}

/** Fixtures whose display geometry differs from their 320×240 coded pictures, and how players show them. */
const CASES: Array<[FixtureName, string, Size]> = [
  ['rotated-90.mp4', 'a quarter turn counter-clockwise in the track matrix', { width: 240, height: 320 }],
  ['portrait-h264.mp4', 'a quarter turn clockwise in the track matrix', { width: 240, height: 320 }],
  ['anamorphic.mp4', 'a 2:1 sample aspect ratio', { width: 640, height: 240 }],
];
const CODED: Size = { width: 320, height: 240 };

describe.skipIf(!(requireNativeTool('ffmpeg') && requireNativeTool('ffprobe')))('extractFrame with upright: false', () => {
  it.each(CASES)('%s (%s): the coded picture, as native ffmpeg -noautorotate decodes it', async (name, _geometry, display) => {
    const path = fixture(name);
    const reference = referenceFrames(path);
    const video = await openVideoFile(await openFileSource(path), { runner });
    try {
      // Between key frames, so the frame is decoded from its entry point, not just picked.
      for (const timeUs of [0, 1_300_000]) {
        const expected = expectedFrame(reference, timeUs, 'closest');
        let natural: Size | undefined;
        const frame = await video.extractFrame(timeUs, { upright: false, size: (size) => (natural = size) });
        const where = `${name} @ ${timeUs} µs`;
        expect(natural, `${where}: the natural size is the coded size`).toEqual(CODED);
        expect({ width: frame.width, height: frame.height }, where).toEqual(CODED);
        expect(frame.timeUs, where).toBe(expected.timeUs);
        expect(meanAbsDiff(frame.data, codedReferencePixels(path, expected.n)), `${where}: pixels`).toBeLessThan(4);
      }
      // The default, for contrast: the same frame at its display size.
      let uprightNatural: Size | undefined;
      const upright = await video.extractFrame(1_300_000, { size: (size) => (uprightNatural = size) });
      expect(uprightNatural).toEqual(display);
      expect({ width: upright.width, height: upright.height }).toEqual(display);
    } finally {
      await video.close();
    }
  });
});
