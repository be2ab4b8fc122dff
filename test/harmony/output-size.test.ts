/**
 * The two thumbnail size rules, by numbers, for a 320×240 frame (and a portrait 240×320 one).
 * These functions receive the frame's upright display size from the core; the generator specs
 * check that wiring with real decodes.
 */
import { describe, expect, it } from 'vitest';
import { checkPixelBudget, MAX_PIXEL_BYTES, outputSizeSize, pixelMapParamsSize } from '../../src/harmony/output-size.js';

const LANDSCAPE = { width: 320, height: 240 };
const PORTRAIT = { width: 240, height: 320 };

describe('PixelMapParams rule (fetchFrameByTime)', () => {
  const cases: Array<[string, number | undefined, number | undefined, number, number]> = [
    ['no sides: original', undefined, undefined, 320, 240],
    ['both sides within the original: used', 160, 120, 160, 120],
    ['both sides equal to the original: used', 320, 240, 320, 240],
    ['only width: height stays original (no aspect ratio)', 160, undefined, 160, 240],
    ['only height: width stays original', undefined, 100, 320, 100],
    ['width larger than the original: width not scaled', 400, 120, 320, 120],
    ['height larger than the original: height not scaled', 100, 241, 100, 240],
    ['zero sides: not scaled', 0, 0, 320, 240],
    ['negative sides (-1, "keep original"): not scaled', -1, -1, 320, 240],
    ['a valid side next to an invalid one', -5, 60, 320, 60],
  ];
  it.each(cases)('%s', (_, width, height, w, h) => {
    expect(pixelMapParamsSize(LANDSCAPE, width, height)).toEqual({ width: w, height: h });
  });

  it('compares each side with the upright original (portrait video)', () => {
    // 300 > 240 (upright width) is ignored, 300 <= 320 (upright height) is used.
    expect(pixelMapParamsSize(PORTRAIT, 300, 300)).toEqual({ width: 240, height: 300 });
  });
});

describe('OutputSize rule (fetchScaledFrameByTime)', () => {
  const cases: Array<[string, number | undefined, number | undefined, number, number]> = [
    ['no sides: original', undefined, undefined, 320, 240],
    ['both 0: original', 0, 0, 320, 240],
    ['both negative: original', -1, -7, 320, 240],
    ['only width: height follows the ratio', 160, undefined, 160, 120],
    ['width and height 0: height follows the ratio', 160, 0, 160, 120],
    ['only height: width follows the ratio', undefined, 60, 80, 60],
    ['ratio results are rounded', 101, undefined, 101, 76], // 240 × 101 / 320 = 75.75
    ['a ratio never yields 0 pixels', 1, undefined, 1, 1], // 0.75 → 1
    ['both given: used as is, even if that stretches', 100, 100, 100, 100],
    ['larger than the original: upscaled', 640, undefined, 640, 480],
    ['negative width keeps it, height given', -1, 120, 320, 120],
    ['negative width keeps it, height 0 follows (scale 1)', -1, 0, 320, 240],
    ['width given, negative height keeps it', 100, -1, 100, 240],
    ['width 0 follows, negative height keeps it (scale 1)', 0, -1, 320, 240],
  ];
  it.each(cases)('%s', (_, width, height, w, h) => {
    expect(outputSizeSize(LANDSCAPE, width, height)).toEqual({ width: w, height: h });
  });

  it('takes the ratio of the upright original (portrait video)', () => {
    expect(outputSizeSize(PORTRAIT, 120, undefined)).toEqual({ width: 120, height: 160 });
  });
});

describe('pixel budget', () => {
  it('accepts a size up to 128 MiB of pixels and refuses a larger one with 401', () => {
    expect(MAX_PIXEL_BYTES).toBe(128 * 1024 * 1024);
    expect(checkPixelBudget({ width: 8192, height: 4096 }, 4)).toEqual({ width: 8192, height: 4096 });
    expect(() => checkPixelBudget({ width: 8192, height: 4097 }, 4)).toThrow(expect.objectContaining({ code: 401 }));
  });
});
