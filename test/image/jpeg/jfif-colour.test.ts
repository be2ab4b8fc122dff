/**
 * The two ways into JFIF Y'CbCr: from RGBA (libjpeg's integer matrix) and from decoder
 * Y'CbCr (limited/full range, BT.601/709/2020) — each against the floating-point definition,
 * and the decoder route against the library's own yuvToRgba, directly and through a JPEG
 * decoded by native ffmpeg.
 */
import { describe, expect, it } from 'vitest';
import { encodeJpegFromRgba, encodeJpegFromYuv, rawFrameToJfif420, rgbaToJfif420, rgbaToJfif444, yuv420ToJfif } from '../../../src/image/jpeg/index.js';
import type { JfifYcbcr420 } from '../../../src/image/jpeg/ycbcr-planes.js';
import { jfifConversionCoefficients } from '../../../src/image/jpeg/yuv-to-jfif.js';
import type { ColorMatrix, ColorRange, RawVideoFrame } from '../../../src/image/raw-frame.js';
import type { RgbaImage } from '../../../src/image/rgba-image.js';
import { yuvToRgba } from '../../../src/image/yuv-to-rgba.js';
import { ffmpeg, requireNativeTool } from '../../helpers/native.js';
import { noise } from '../../helpers/noise.js';
import { rgbDifference } from '../../helpers/pixels.js';
import { ffmpegDecode, smoothImage } from './helpers.js';

const KR_KB: Record<ColorMatrix, [number, number]> = { bt601: [0.299, 0.114], bt709: [0.2126, 0.0722], bt2020: [0.2627, 0.0593] };
const MATRICES: readonly ColorMatrix[] = ['bt601', 'bt709', 'bt2020'];
const RANGES: readonly ColorRange[] = ['limited', 'full'];

/** JFIF 1.02's RGB → Y'CbCr in floating point (unrounded). */
function jfifFromRgb(r: number, g: number, b: number): [number, number, number] {
  const y = 0.299 * r + 0.587 * g + 0.114 * b;
  return [y, 128 + (b - y) / 1.772, 128 + (r - y) / 1.402];
}

/** JFIF Y'CbCr → RGB in floating point, rounded and clamped. */
function rgbFromJfif(y: number, cb: number, cr: number): [number, number, number] {
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  const g = y - (0.114 * 1.772 * (cb - 128) + 0.299 * 1.402 * (cr - 128)) / 0.587;
  return [clamp(y + 1.402 * (cr - 128)), clamp(g), clamp(y + 1.772 * (cb - 128))];
}

/** RGB of JFIF 4:2:0 planes, chroma repeated over its 2×2 block. */
function rgbaFromJfif420(p: JfifYcbcr420): RgbaImage {
  const data = new Uint8Array(p.width * p.height * 4);
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      const c = (y >> 1) * p.uvStride + (x >> 1);
      data.set([...rgbFromJfif(p.y[y * p.yStride + x], p.u[c], p.v[c]), 255], (y * p.width + x) * 4);
    }
  }
  return { width: p.width, height: p.height, data };
}

/**
 * A yuv420p frame of `image` in `matrix`/`range`, made in floating point: the way an encoder
 * would have produced what a decoder hands us. Chroma is the 2×2 average.
 */
function yuv420Frame(image: RgbaImage, matrix: ColorMatrix, range: ColorRange): RawVideoFrame {
  const { width, height } = image;
  const [kr, kb] = KR_KB[matrix];
  const [yOff, yRange, cRange] = range === 'limited' ? [16, 219, 224] : [0, 255, 255];
  const cw = (width + 1) >> 1;
  const ch = (height + 1) >> 1;
  const data = new Uint8Array(width * height + 2 * cw * ch);
  const pb = new Float64Array(cw * ch);
  const pr = new Float64Array(cw * ch);
  const count = new Float64Array(cw * ch);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const [r, g, b] = [image.data[i] / 255, image.data[i + 1] / 255, image.data[i + 2] / 255];
      const luma = kr * r + (1 - kr - kb) * g + kb * b;
      data[y * width + x] = Math.round(yOff + yRange * luma);
      const c = (y >> 1) * cw + (x >> 1);
      pb[c] += (b - luma) / (2 * (1 - kb));
      pr[c] += (r - luma) / (2 * (1 - kr));
      count[c]++;
    }
  }
  for (let c = 0; c < cw * ch; c++) {
    data[width * height + c] = Math.round(128 + (cRange * pb[c]) / count[c]);
    data[width * height + cw * ch + c] = Math.round(128 + (cRange * pr[c]) / count[c]);
  }
  return { width, height, pixelFormat: 'yuv420p', colorRange: range, matrix, data };
}

describe('rgbaToJfif444 / rgbaToJfif420', () => {
  it('match the JFIF formula within rounding, and the primaries exactly (no 256 for pure blue/red)', () => {
    const pixels = noise(3 * 5000, 11);
    const data = new Uint8Array(5000 * 4);
    for (let i = 0; i < 5000; i++) data.set([pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2], 255], 4 * i);
    const planes = rgbaToJfif444({ width: 100, height: 50, data });
    let worst = 0;
    for (let i = 0; i < 5000; i++) {
      const expected = jfifFromRgb(data[4 * i], data[4 * i + 1], data[4 * i + 2]);
      [planes.y[i], planes.u[i], planes.v[i]].forEach((v, c) => (worst = Math.max(worst, Math.abs(v - expected[c]))));
    }
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-3);

    const primaries = [[255, 255, 255], [0, 0, 0], [255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [0, 255, 255], [255, 0, 255]];
    const image = { width: 8, height: 1, data: Uint8Array.from(primaries.flatMap((p) => [...p, 255])) };
    const p = rgbaToJfif444(image);
    // Blue's Cb and red's Cr are exactly 255.5 (yellow's Cb and cyan's Cr exactly 0.5): libjpeg's
    // rounding (half − 1) takes these halves down, so nothing reaches 256.
    expect([Array.from(p.y), Array.from(p.u), Array.from(p.v)]).toEqual([
      [255, 0, 76, 150, 29, 226, 179, 105],
      [128, 128, 85, 44, 255, 0, 171, 212],
      [128, 128, 255, 21, 107, 149, 0, 235],
    ]);
  });

  it('4:2:0 keeps luma and averages chroma over each 2×2 block, repeating an odd last row/column', () => {
    for (const [width, height] of [[1, 1], [5, 3], [16, 9], [33, 17]]) {
      const image = smoothImage(width, height);
      const full = rgbaToJfif444(image);
      const sub = rgbaToJfif420(image);
      expect([sub.yStride, sub.uvStride, sub.u.length, sub.v.length]).toEqual([width, (width + 1) >> 1, sub.uvStride * ((height + 1) >> 1), sub.u.length]);
      expect(sub.y).toEqual(full.y);
      for (let cy = 0; cy < (height + 1) >> 1; cy++) {
        for (let cx = 0; cx < sub.uvStride; cx++) {
          let cb = 0;
          let cr = 0;
          for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
            const x = Math.min(2 * cx + dx, width - 1);
            const y = Math.min(2 * cy + dy, height - 1);
            const i = y * width + x;
            const [, u, v] = jfifFromRgb(image.data[4 * i], image.data[4 * i + 1], image.data[4 * i + 2]);
            cb += u / 4;
            cr += v / 4;
          }
          expect(Math.abs(sub.u[cy * sub.uvStride + cx] - cb)).toBeLessThanOrEqual(0.5 + 1e-3);
          expect(Math.abs(sub.v[cy * sub.uvStride + cx] - cr)).toBeLessThanOrEqual(0.5 + 1e-3);
        }
      }
    }
  });
});

describe('yuv420ToJfif', () => {
  it('uses coefficients equal to the composite matrix re-derived in floating point', () => {
    const jfif = [
      [0.299, 0.587, 0.114],
      [-0.299 / 1.772, -0.587 / 1.772, 0.886 / 1.772],
      [0.701 / 1.402, -0.587 / 1.402, -0.114 / 1.402],
    ];
    for (const matrix of MATRICES) {
      const [kr, kb] = KR_KB[matrix];
      const kg = 1 - kr - kb;
      const toRgb = [
        [1, 0, 2 * (1 - kr)],
        [1, (-2 * kb * (1 - kb)) / kg, (-2 * kr * (1 - kr)) / kg],
        [1, 2 * (1 - kb), 0],
      ];
      const m = jfif.map((row) => [0, 1, 2].map((j) => row.reduce((sum, v, k) => sum + v * toRgb[k][j], 0)));
      // Grey stays grey: luma's column is (1, 0, 0), so chroma never depends on luma.
      expect(Math.abs(m[0][0] - 1)).toBeLessThan(1e-12);
      expect(Math.abs(m[1][0]) + Math.abs(m[2][0])).toBeLessThan(1e-12);
      for (const range of RANGES) {
        const [yOff, yRange, cRange] = range === 'limited' ? [16, 219, 224] : [0, 255, 255];
        const fix = (v: number) => Math.round(v * 65536) + 0; // + 0 turns -0 into 0
        expect(jfifConversionCoefficients(matrix, range)).toEqual({
          yScale: fix(255 / yRange),
          yOffset: yOff,
          yCb: fix((m[0][1] * 255) / cRange),
          yCr: fix((m[0][2] * 255) / cRange),
          cbCb: fix((m[1][1] * 255) / cRange),
          cbCr: fix((m[1][2] * 255) / cRange),
          crCb: fix((m[2][1] * 255) / cRange),
          crCr: fix((m[2][2] * 255) / cRange),
        });
      }
    }
  });

  it('returns full-range BT.601 planes as they are, without copying', () => {
    const frame = yuv420Frame(smoothImage(6, 4), 'bt601', 'full');
    const planes = rawFrameToJfif420(frame);
    expect(planes.y.buffer).toBe(frame.data.buffer);
    expect(planes.u.buffer).toBe(frame.data.buffer);
    expect(yuv420ToJfif(planes, 'bt601', 'full').y).toBe(planes.y);
  });

  it('gives the RGB yuvToRgba gives, within rounding, for every matrix and range and odd sizes', () => {
    for (const [width, height] of [[64, 40], [33, 17], [1, 1]]) {
      const image = smoothImage(width, height);
      for (const matrix of MATRICES) {
        for (const range of RANGES) {
          const frame = yuv420Frame(image, matrix, range);
          const reference = yuvToRgba(frame);
          const ours = rgbaFromJfif420(rawFrameToJfif420(frame));
          const difference = rgbDifference(ours, reference);
          const label = `${width}x${height} ${matrix} ${range}`;
          // Two extra roundings (to JFIF codes, then the reference's back to RGB).
          expect(difference.max, label).toBeLessThanOrEqual(3);
          expect(difference.mean, label).toBeLessThan(0.6);
        }
      }
    }
  });

  it('clamps codes outside the limited range and leaves the input untouched', () => {
    // Luma 0, 16, 235, 255 over chroma that is neutral, then extreme.
    const y = Uint8Array.from([0, 16, 235, 255]);
    const u = Uint8Array.from([128, 0]);
    const v = Uint8Array.from([128, 255]);
    const before = [Array.from(y), Array.from(u), Array.from(v)];
    const out = yuv420ToJfif({ width: 4, height: 1, y, u, v, yStride: 4, uvStride: 2 }, 'bt709', 'limited');
    expect([Array.from(y), Array.from(u), Array.from(v)]).toEqual(before);
    expect(Array.from(out.y.subarray(0, 2))).toEqual([0, 0]);
    expect([out.u[1], out.v[1]]).toEqual([0, 255]);
    expect(out.y[3]).toBe(255);
  });

  it('honours input strides and reports bad input', () => {
    const frame = yuv420Frame(smoothImage(9, 5), 'bt709', 'limited');
    const packed = rawFrameToJfif420(frame);
    const n = 9 * 5;
    const strided = new Uint8Array(16 * 5);
    for (let r = 0; r < 5; r++) strided.set(frame.data.subarray(r * 9, r * 9 + 9), r * 16);
    const u = new Uint8Array(8 * 3);
    const v = new Uint8Array(8 * 3);
    for (let r = 0; r < 3; r++) {
      u.set(frame.data.subarray(n + r * 5, n + r * 5 + 5), r * 8);
      v.set(frame.data.subarray(n + 15 + r * 5, n + 15 + r * 5 + 5), r * 8);
    }
    const fromStrided = yuv420ToJfif({ width: 9, height: 5, y: strided, u, v, yStride: 16, uvStride: 8 }, 'bt709', 'limited');
    expect([fromStrided.y, fromStrided.u, fromStrided.v]).toEqual([packed.y, packed.u, packed.v]);

    const invalid = expect.objectContaining({ kind: 'invalid-argument' });
    expect(() => rawFrameToJfif420({ ...frame, data: frame.data.subarray(1) })).toThrow(invalid);
    expect(() => rawFrameToJfif420({ ...frame, matrix: 'smpte240m' as ColorMatrix })).toThrow(invalid);
    expect(() => yuv420ToJfif({ ...packed, yStride: 8 }, 'bt709', 'limited')).toThrow(invalid);
    expect(() => rawFrameToJfif420({ ...frame, pixelFormat: 'nv12' })).toThrow(expect.objectContaining({ kind: 'unsupported' }));
  });

  it('reads yuvj420p as full range whatever the frame says', () => {
    const frame = { ...yuv420Frame(smoothImage(8, 8), 'bt601', 'full'), pixelFormat: 'yuvj420p', colorRange: 'limited' as const };
    expect(rawFrameToJfif420(frame).y.buffer).toBe(frame.data.buffer);
  });
});

describe('decoder frame → JPEG, decoded by native ffmpeg', () => {
  /** testsrc2 (colour bars, gradients, text) as yuv420p in `matrix`/`range`, made by native swscale. */
  function testsrc(width: number, height: number, matrix: 'bt601' | 'bt709', range: ColorRange): RawVideoFrame {
    const data = ffmpeg([
      '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}`, '-frames:v', '1',
      '-vf', `scale=out_color_matrix=${matrix}:out_range=${range === 'full' ? 'pc' : 'tv'}`,
      '-pix_fmt', 'yuv420p', '-f', 'rawvideo', '-',
    ]);
    return { width, height, pixelFormat: 'yuv420p', colorRange: range, matrix, data };
  }

  it('is as close to yuvToRgba as going through RGBA, with ffmpeg silent', { skip: !requireNativeTool('ffmpeg') }, () => {
    for (const [matrix, range] of [['bt709', 'limited'], ['bt601', 'limited'], ['bt709', 'full']] as const) {
      const frame = testsrc(320, 180, matrix, range);
      const reference = yuvToRgba(frame);
      const direct = ffmpegDecode(encodeJpegFromYuv(rawFrameToJfif420(frame), 95), 320, 180);
      const viaRgba = ffmpegDecode(encodeJpegFromRgba(reference, 95, { subsampling: '4:2:0' }), 320, 180);
      expect(direct.stderr).toBe('');
      const directError = rgbDifference(direct.image, reference).mean;
      const rgbaError = rgbDifference(viaRgba.image, reference).mean;
      expect(directError, `${matrix} ${range}`).toBeLessThan(rgbaError + 0.3);
      expect(directError, `${matrix} ${range}`).toBeLessThan(1.5);
    }
  });
});
