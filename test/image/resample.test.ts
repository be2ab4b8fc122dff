import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resample } from '../../src/image/resample.js';
import type { RgbaImage } from '../../src/image/rgba-image.js';
import { requireNativeTool } from '../helpers/native.js';
import { rgbDifference } from '../helpers/pixels.js';
import { lavfiFrame, nativeResample } from './native-reference.js';

function image(width: number, height: number, pixel: (x: number, y: number) => readonly number[]): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  return { width, height, data };
}

/** One channel as rows, for readable expectations. */
function channel(img: RgbaImage, c: number): number[][] {
  const rows: number[][] = [];
  for (let y = 0; y < img.height; y++) {
    rows.push(Array.from({ length: img.width }, (_, x) => img.data[(y * img.width + x) * 4 + c]));
  }
  return rows;
}

/** Deterministic noise image. */
function noisy(width: number, height: number, seed: number): RgbaImage {
  let x = seed;
  return image(width, height, () => {
    const px: number[] = [];
    for (let c = 0; c < 4; c++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      px.push(x >>> 24);
    }
    return px;
  });
}

describe('resample', () => {
  it('keeps a flat colour exactly flat, shrinking and enlarging, at awkward ratios', () => {
    const colour = [201, 17, 99, 255];
    const flat = image(97, 61, () => colour);
    for (const [w, h] of [[13, 7], [48, 30], [96, 60], [1, 1], [97, 1], [300, 200], [98, 62], [500, 11]]) {
      const out = resample(flat, w, h);
      expect([out.width, out.height, out.data.length]).toEqual([w, h, w * h * 4]);
      for (let i = 0; i < out.data.length; i += 4) {
        if (out.data[i] !== 201 || out.data[i + 1] !== 17 || out.data[i + 2] !== 99 || out.data[i + 3] !== 255) {
          throw new Error(`${w}x${h}: pixel ${i / 4} is ${Array.from(out.data.subarray(i, i + 4))}`);
        }
      }
    }
  });

  it('stays exact and unbiased at extreme reductions (thousands of taps per output)', () => {
    const flat = image(3000, 2, () => [7, 250, 128, 255]);
    expect(Array.from(resample(flat, 1, 1).data)).toEqual([7, 250, 128, 255]);
    // Ramps average to their exact mean, at tap counts that do not divide 2^14.
    for (const width of [1920, 3001]) {
      const level = (x: number) => Math.floor((x * 256) / width);
      const ramp = image(width, 1, (x) => [level(x), 255 - level(x), 0, 255]);
      let mean = 0;
      for (let x = 0; x < width; x++) mean += level(x) / width;
      const [r, g] = resample(ramp, 1, 1).data;
      expect(Math.abs(r - mean), `${width}`).toBeLessThanOrEqual(1);
      expect(Math.abs(g - (255 - mean)), `${width}`).toBeLessThanOrEqual(1);
    }
    const halves = image(2048, 1, (x) => [x >> 3, 0, 0, 255]);
    expect(Array.from(resample(halves, 2, 1).data.filter((_, i) => i % 4 === 0))).toEqual([64, 192]); // 63.5, 191.5
  });

  it('averages a one-pixel checkerboard to mid grey when halving (not nearest-neighbour)', () => {
    const board = image(64, 48, (x, y) => ((x + y) & 1 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
    const out = resample(board, 32, 24);
    for (let i = 0; i < out.data.length; i += 4) {
      // (0 + 255 + 255 + 0) / 4 = 127.5, rounded half up.
      expect(Array.from(out.data.subarray(i, i + 4))).toEqual([128, 128, 128, 255]);
    }
    // At a non-integer ratio the board still averages out: no pixel strays far from grey.
    const third = resample(board, 21, 16);
    for (let i = 0; i < third.data.length; i += 4) expect(Math.abs(third.data[i] - 127.5)).toBeLessThan(48);
  });

  it('weights partially covered source pixels by the fraction covered', () => {
    // 3 → 2: output 0 covers source [0, 1.5), output 1 covers [1.5, 3).
    const row = image(3, 1, (x) => [[0, 90, 180][x], 0, 0, 255]);
    expect(channel(resample(row, 2, 1), 0)).toEqual([[(0 * 1 + 90 * 0.5) / 1.5, (90 * 0.5 + 180 * 1) / 1.5]]);
    // 4 → 1 is the plain mean; the same holds vertically.
    const column = image(1, 4, (_, y) => [0, [10, 20, 30, 41][y], 0, 255]);
    expect(channel(resample(column, 1, 1), 1)).toEqual([[25]]); // 25.25 rounds to 25
  });

  it('enlarges with centre-aligned bilinear interpolation, repeating edge pixels', () => {
    // 2 → 4: output centres fall at source −0.25, 0.25, 0.75, 1.25.
    const row = image(2, 1, (x) => [x ? 255 : 0, 0, 0, 255]);
    expect(channel(resample(row, 4, 1), 0)).toEqual([[0, 64, 191, 255]]);
    // 2 → 3 vertically: centres at −⅙, ½, 7⁄6.
    const column = image(1, 2, (_, y) => [0, 0, y ? 200 : 100, 255]);
    expect(channel(resample(column, 1, 3), 2)).toEqual([[100], [150], [200]]);
  });

  it('scales each axis independently (shrink one, enlarge the other)', () => {
    const src = image(4, 2, (x, y) => [x * 60, y * 200, 0, 255]);
    const out = resample(src, 2, 4);
    expect(channel(out, 0)).toEqual([[30, 150], [30, 150], [30, 150], [30, 150]]);
    expect(channel(out, 1)).toEqual([[0, 0], [50, 50], [150, 150], [200, 200]]);
  });

  it('filters alpha like the colour channels', () => {
    const src = image(2, 2, (x) => [0, 0, 0, x ? 255 : 0]);
    expect(channel(resample(src, 1, 1), 3)).toEqual([[128]]);
  });

  it('returns an equal copy at the same size', () => {
    const src = noisy(17, 9, 1);
    const out = resample(src, 17, 9);
    expect(out.data).toEqual(src.data);
    expect(out.data).not.toBe(src.data);
  });

  it('is deterministic to the byte (fixed output for fixed input)', () => {
    const src = noisy(123, 77, 42);
    const hash = (img: RgbaImage) => createHash('sha256').update(img.data).digest('hex').slice(0, 16);
    const down = resample(src, 40, 25);
    expect(hash(resample(src, 40, 25))).toBe(hash(down));
    // Literal hashes: changing them changes the bytes every engine produces.
    expect({ down: hash(down), up: hash(resample(src, 200, 131)) }).toEqual({
      down: '289e996f1d343f95',
      up: 'd24c6a6331291bf3',
    });
  });

  it('rejects sizes that are not positive integers', () => {
    const src = noisy(4, 4, 3);
    for (const [w, h] of [[0, 4], [4, 0], [-1, 4], [2.5, 4], [4, Number.NaN], [Number.POSITIVE_INFINITY, 4]]) {
      expect(() => resample(src, w, h), `${w}x${h}`).toThrow(expect.objectContaining({ kind: 'invalid-argument' }));
    }
    expect(() => resample({ width: 4, height: 4, data: new Uint8Array(60) }, 2, 2)).toThrow(
      expect.objectContaining({ kind: 'invalid-argument' }),
    );
  });
});

describe.skipIf(!requireNativeTool('ffmpeg'))('resample: against native ffmpeg (swscale flags=area)', () => {
  /** A lavfi source rendered as RGBA. */
  const lavfi = (source: string, width: number, height: number): RgbaImage => ({
    width,
    height,
    data: lavfiFrame(source, width, height, 'rgba'),
  });

  const cases: { source: string; from: [number, number]; to: [number, number]; mean: number; max: number }[] = [
    // Integer ratios: swscale's area filter and ours are the same box; only rounding differs.
    { source: 'mandelbrot', from: [1280, 720], to: [320, 180], mean: 0.2, max: 2 },
    { source: 'testsrc2', from: [640, 360], to: [160, 90], mean: 0.2, max: 2 },
    // A non-integer ratio: swscale positions taps in 16.16 fixed point, so hard edges
    // may land a fraction of a pixel apart.
    { source: 'testsrc2', from: [640, 360], to: [213, 120], mean: 0.5, max: 16 },
    // Enlarging: swscale's area flag is bilinear there, as ours is.
    { source: 'mandelbrot', from: [320, 180], to: [500, 301], mean: 0.2, max: 2 },
  ];
  for (const { source, from, to, mean, max } of cases) {
    it(`${source} ${from.join('x')} → ${to.join('x')}`, () => {
      const src = lavfi(source, from[0], from[1]);
      const diff = rgbDifference(resample(src, to[0], to[1]), nativeResample(src, to[0], to[1], 'area'));
      const label = `mean ${diff.mean.toFixed(3)} max ${diff.max}`;
      expect(diff.mean, label).toBeLessThan(mean);
      expect(diff.max, label).toBeLessThanOrEqual(max);
    });
  }
});
