import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isStillframeError } from '../../src/errors.js';
import type { ColorMatrix, ColorRange, RawVideoFrame } from '../../src/image/raw-frame.js';
import { SUPPORTED_PIXEL_FORMATS, yuvToRgba } from '../../src/image/yuv-to-rgba.js';
import { requireNativeTool } from '../helpers/native.js';
import { noise } from '../helpers/noise.js';
import { rgbDifference } from '../helpers/pixels.js';
import { lavfiFrame, nativeYuvToRgba } from './native-reference.js';

const MATRICES: readonly ColorMatrix[] = ['bt601', 'bt709', 'bt2020'];
const RANGES: readonly ColorRange[] = ['limited', 'full'];
const KR_KB: Record<ColorMatrix, [number, number]> = {
  bt601: [0.299, 0.114],
  bt709: [0.2126, 0.0722],
  bt2020: [0.2627, 0.0593],
};

/** A 1×1 (or larger, all pixels alike) yuv444p / yuv444p10le frame of one Y'CbCr triple. */
function solid444(y: number, u: number, v: number, depth: 8 | 10, matrix: ColorMatrix, range: ColorRange): RawVideoFrame {
  const data =
    depth === 8 ? new Uint8Array([y, u, v]) : new Uint8Array([y & 255, y >> 8, u & 255, u >> 8, v & 255, v >> 8]);
  return { width: 1, height: 1, pixelFormat: depth === 8 ? 'yuv444p' : 'yuv444p10le', colorRange: range, matrix, data };
}

function rgbOf(frame: RawVideoFrame): number[] {
  return Array.from(yuvToRgba(frame).data.subarray(0, 4));
}

/**
 * Textbook floating-point conversion, rounded and clamped: the independent reference.
 * Limited range as in ITU-T H.273; full range spans 255·2^(n-8) codes, the way ffmpeg reads
 * 10-bit full range (so code 1020 is white, not 1023).
 */
function floatReference(y: number, u: number, v: number, depth: 8 | 10, matrix: ColorMatrix, range: ColorRange): number[] {
  const [kr, kb] = KR_KB[matrix];
  const kg = 1 - kr - kb;
  const s = 1 << (depth - 8);
  const yn = range === 'full' ? y / (255 * s) : (y - 16 * s) / (219 * s);
  const cb = (u - 128 * s) / ((range === 'full' ? 255 : 224) * s);
  const cr = (v - 128 * s) / ((range === 'full' ? 255 : 224) * s);
  const r = yn + 2 * (1 - kr) * cr;
  const g = yn - ((2 * kb * (1 - kb)) / kg) * cb - ((2 * kr * (1 - kr)) / kg) * cr;
  const b = yn + 2 * (1 - kb) * cb;
  return [r, g, b].map((c) => Math.min(255, Math.max(0, Math.round(c * 255))));
}

/** Writes 16-bit little-endian samples, as ffmpeg's rawvideo muxer does for >8-bit formats. */
function le16(samples: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    out[i * 2] = samples[i] & 255;
    out[i * 2 + 1] = samples[i] >> 8;
  }
  return out;
}

/** One Y'CbCr triple and the RGBA it must give exactly. */
type KnownValue = [label: string, yuv: [number, number, number], depth: 8 | 10, matrix: ColorMatrix, range: ColorRange, rgba: number[]];

const KNOWN_VALUES: KnownValue[] = [
  // Limited-range BT.709 white, black, mid grey and the primaries. For the 8-bit codes of pure
  // red/green/blue the exact results are what the (rounded) codes really mean, e.g. red's G is 0.58 → 1.
  ['limited BT.709 white', [235, 128, 128], 8, 'bt709', 'limited', [255, 255, 255, 255]],
  ['limited BT.709 black', [16, 128, 128], 8, 'bt709', 'limited', [0, 0, 0, 255]],
  ['limited BT.709 mid grey', [126, 128, 128], 8, 'bt709', 'limited', [128, 128, 128, 255]],
  ['limited BT.709 red', [63, 102, 240], 8, 'bt709', 'limited', [255, 1, 0, 255]],
  ['limited BT.709 green', [173, 42, 26], 8, 'bt709', 'limited', [0, 255, 1, 255]],
  ['limited BT.709 blue', [32, 240, 118], 8, 'bt709', 'limited', [1, 0, 255, 255]],
  // The same at 10 bits.
  ['limited BT.709 10-bit white', [940, 512, 512], 10, 'bt709', 'limited', [255, 255, 255, 255]],
  ['limited BT.709 10-bit black', [64, 512, 512], 10, 'bt709', 'limited', [0, 0, 0, 255]],
  ['limited BT.709 10-bit red', [250, 409, 960], 10, 'bt709', 'limited', [255, 0, 0, 255]],
  ['limited BT.709 10-bit green', [691, 167, 105], 10, 'bt709', 'limited', [0, 255, 0, 255]],
  ['limited BT.709 10-bit blue', [127, 960, 471], 10, 'bt709', 'limited', [0, 0, 255, 255]],
  // BT.601 and BT.2020 red codes (the BT.709 ones misread as BT.601: see below).
  ['limited BT.601 red', [81, 90, 240], 8, 'bt601', 'limited', [254, 0, 0, 255]],
  ['limited BT.2020 red', [74, 97, 240], 8, 'bt2020', 'limited', [255, 0, 1, 255]],
  // Full range passes through (10-bit full-range white is 1020, and 1023 clamps to it).
  ['full BT.709 235 (not expanded)', [235, 128, 128], 8, 'bt709', 'full', [235, 235, 235, 255]],
  ['full BT.709 16 (not expanded)', [16, 128, 128], 8, 'bt709', 'full', [16, 16, 16, 255]],
  ['full BT.601 white', [255, 128, 128], 8, 'bt601', 'full', [255, 255, 255, 255]],
  ['full BT.601 black', [0, 128, 128], 8, 'bt601', 'full', [0, 0, 0, 255]],
  ['full BT.2020 10-bit 1023', [1023, 512, 512], 10, 'bt2020', 'full', [255, 255, 255, 255]],
  // Below-black and above-white limited-range codes clamp instead of wrapping.
  ['limited BT.709 below black', [0, 128, 128], 8, 'bt709', 'limited', [0, 0, 0, 255]],
  ['limited BT.709 above white', [255, 128, 128], 8, 'bt709', 'limited', [255, 255, 255, 255]],
  ['limited BT.709 out of gamut', [255, 0, 255], 8, 'bt709', 'limited', [...floatReference(255, 0, 255, 8, 'bt709', 'limited'), 255]],
];

describe('yuvToRgba: known values', () => {
  it.each(KNOWN_VALUES)('maps %s exactly', (_, [y, u, v], depth, matrix, range, rgba) => {
    expect(rgbOf(solid444(y, u, v, depth, matrix, range))).toEqual(rgba);
  });

  it('tells BT.601 from BT.709 by their red codes', () => {
    // The BT.709 red codes read as BT.601 are a visibly different colour (R ≈ 233).
    const misread = rgbOf(solid444(63, 102, 240, 8, 'bt601', 'limited'));
    expect(255 - misread[0]).toBeGreaterThan(10);
  });

  it('treats yuvj* as full range whatever colorRange says', () => {
    for (const pixelFormat of ['yuvj420p', 'yuvj422p', 'yuvj444p']) {
      const chroma = pixelFormat === 'yuvj444p' ? 4 : pixelFormat === 'yuvj422p' ? 2 : 1;
      const data = new Uint8Array([235, 235, 235, 235, ...new Array(chroma * 2).fill(128)]);
      const image = yuvToRgba({ width: 2, height: 2, pixelFormat, colorRange: 'limited', matrix: 'bt601', data });
      expect(Array.from(image.data.subarray(0, 4)), pixelFormat).toEqual([235, 235, 235, 255]);
    }
  });

  it('converts gray and gray10le honouring the range', () => {
    const gray = (pixelFormat: string, colorRange: ColorRange, data: Uint8Array) =>
      Array.from(yuvToRgba({ width: data.length / (pixelFormat === 'gray' ? 1 : 2), height: 1, pixelFormat, colorRange, matrix: 'bt709', data }).data);
    expect(gray('gray', 'limited', new Uint8Array([16, 235, 126]))).toEqual([0, 0, 0, 255, 255, 255, 255, 255, 128, 128, 128, 255]);
    expect(gray('gray', 'full', new Uint8Array([16, 235]))).toEqual([16, 16, 16, 255, 235, 235, 235, 255]);
    expect(gray('gray10le', 'limited', le16([64, 940, 504]))).toEqual([0, 0, 0, 255, 255, 255, 255, 255, 128, 128, 128, 255]);
    // Full-range 10-bit white is 1020 (255 × 4), as in ffmpeg; 1023 clamps to the same white.
    expect(gray('gray10le', 'full', le16([0, 1020, 1023, 512]))).toEqual([
      0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255, 128, 128, 128, 255,
    ]);
  });

  for (const depth of [8, 10] as const) {
    it(`agrees with the floating-point formula over a ${depth}-bit code grid (every matrix and range)`, () => {
      const max = (1 << depth) - 1;
      const step = depth === 8 ? 9 : 37;
      const codes: number[] = [];
      for (let c = 0; c <= max; c += step) codes.push(c);
      codes.push(max);
      for (const matrix of MATRICES) {
        for (const range of RANGES) {
          // One frame holds the whole grid: one pixel per (Y, U, V) triple.
          const n = codes.length ** 3;
          const ys: number[] = [];
          const us: number[] = [];
          const vs: number[] = [];
          for (const y of codes) for (const u of codes) for (const v of codes) ys.push(y), us.push(u), vs.push(v);
          const planes = [...ys, ...us, ...vs];
          const data = depth === 8 ? new Uint8Array(planes) : le16(planes);
          const out = yuvToRgba({
            width: n, height: 1, pixelFormat: depth === 8 ? 'yuv444p' : 'yuv444p10le', colorRange: range, matrix, data,
          }).data;
          let exact = 0;
          for (let i = 0; i < n; i++) {
            const want = floatReference(ys[i], us[i], vs[i], depth, matrix, range);
            for (let c = 0; c < 3; c++) {
              const diff = Math.abs(out[i * 4 + c] - want[c]);
              if (diff > 1) {
                throw new Error(`${matrix}/${range}/${depth}: YUV ${ys[i]},${us[i]},${vs[i]} gave ${out[i * 4 + c]} for channel ${c}, formula ${want[c]}`);
              }
              if (diff === 0) exact++;
            }
            if (out[i * 4 + 3] !== 255) throw new Error(`alpha ${out[i * 4 + 3]} at pixel ${i}`);
          }
          // Off-by-one only where the exact value is within rounding noise of .5.
          expect(exact / (n * 3), `${matrix}/${range}/${depth}`).toBeGreaterThan(0.995);
        }
      }
    });
  }
});

describe('yuvToRgba: layouts and upsampling', () => {
  /** A 4:2:0 frame and the 4:4:4 frame with each chroma sample repeated over its 2×2 block. */
  function pair420(width: number, height: number, seed: number) {
    const cw = Math.ceil(width / 2);
    const ch = Math.ceil(height / 2);
    const y = noise(width * height, seed);
    const u = noise(cw * ch, seed + 1);
    const v = noise(cw * ch, seed + 2);
    const up = (plane: number[]) => {
      const out: number[] = [];
      for (let row = 0; row < height; row++) for (let x = 0; x < width; x++) out.push(plane[(row >> 1) * cw + (x >> 1)]);
      return out;
    };
    return { y, u, v, u444: up(u), v444: up(v), cw, ch };
  }

  it('repeats 8-bit 4:2:0 and 4:2:2 chroma, including the odd last row and column', () => {
    for (const [width, height] of [[5, 3], [6, 4], [1, 1], [7, 2]]) {
      const { y, u, v, u444, v444 } = pair420(width, height, width * 31 + height);
      const frame = (pixelFormat: string, planes: number[]): RawVideoFrame => ({
        width, height, pixelFormat, colorRange: 'limited', matrix: 'bt709', data: new Uint8Array(planes),
      });
      const expected = yuvToRgba(frame('yuv444p', [...y, ...u444, ...v444])).data;
      expect(yuvToRgba(frame('yuv420p', [...y, ...u, ...v])).data, `${width}x${height}`).toEqual(expected);

      // 4:2:2: chroma rows are full height; build them by repeating each 4:2:0 row.
      const cw = Math.ceil(width / 2);
      const rows = (plane: number[]) => {
        const out: number[] = [];
        for (let row = 0; row < height; row++) out.push(...plane.slice((row >> 1) * cw, (row >> 1) * cw + cw));
        return out;
      };
      expect(yuvToRgba(frame('yuv422p', [...y, ...rows(u), ...rows(v)])).data, `422 ${width}x${height}`).toEqual(expected);
    }
  });

  it('reads nv12 interleaved chroma and 10-bit planes at the same positions', () => {
    // Chroma constant down each column makes vertical interpolation a no-op, so nv12 and
    // 10-bit 4:2:0 must equal the repeated-chroma yuv420p result.
    const width = 7;
    const height = 5;
    const cw = 4;
    const ch = 3;
    const y = noise(width * height, 7);
    const uRow = noise(cw, 8);
    const vRow = noise(cw, 9);
    const u = Array.from({ length: ch }, () => uRow).flat();
    const v = Array.from({ length: ch }, () => vRow).flat();
    const common = { width, height, colorRange: 'limited', matrix: 'bt601' } as const;
    const expected = yuvToRgba({ ...common, pixelFormat: 'yuv420p', data: new Uint8Array([...y, ...u, ...v]) }).data;
    const uv = u.flatMap((value, i) => [value, v[i]]);
    expect(yuvToRgba({ ...common, pixelFormat: 'nv12', data: new Uint8Array([...y, ...uv]) }).data).toEqual(expected);
    const ten = yuvToRgba({
      ...common, pixelFormat: 'yuv420p10le', data: le16([...y, ...u, ...v].map((s) => s * 4)),
    }).data;
    let maxDiff = 0;
    for (let i = 0; i < ten.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ten[i] - expected[i]));
    expect(maxDiff).toBeLessThanOrEqual(1);
  });

  it('interpolates nv12 and 10-bit 4:2:0 chroma 3:1 between rows', () => {
    // Two chroma rows, V = 128 then 240 (neutral then strongly red), four luma rows at Y=126.
    // Rows 0/3 see only their own chroma row (edge), rows 1/2 see 3/4 own + 1/4 other.
    const width = 2;
    const height = 4;
    const y = new Array(width * height).fill(126);
    const red = (data: Uint8Array) => [0, 1, 2, 3].map((row) => data[row * width * 4]);
    const nv12 = yuvToRgba({
      width, height, pixelFormat: 'nv12', colorRange: 'limited', matrix: 'bt709',
      data: new Uint8Array([...y, 128, 128, 128, 240]),
    }).data;
    const expectedRed = [128, 128 + 0.25 * 112, 128 + 0.75 * 112, 128 + 112].map((dv) =>
      floatReference(126, 128, dv, 8, 'bt709', 'limited')[0],
    );
    expect(red(nv12)).toEqual(expectedRed);
    // yuv420p10le at width 2 has one chroma sample per row: U plane [512, 512], V plane [512, 960].
    const ten = yuvToRgba({
      width, height, pixelFormat: 'yuv420p10le', colorRange: 'limited', matrix: 'bt709',
      data: le16([...y.map((s) => s * 4), 512, 512, 512, 960]),
    }).data;
    expect(red(ten)).toEqual(expectedRed);
    // 8-bit yuv420p repeats instead: rows 0/1 neutral, rows 2/3 fully red-shifted.
    const planar = yuvToRgba({
      width, height, pixelFormat: 'yuv420p', colorRange: 'limited', matrix: 'bt709',
      data: new Uint8Array([...y, 128, 128, 128, 240]),
    }).data;
    expect(red(planar)).toEqual([expectedRed[0], expectedRed[0], expectedRed[3], expectedRed[3]]);
  });

  it('masks 10-bit samples to their low 10 bits', () => {
    const clean = yuvToRgba({ width: 1, height: 1, pixelFormat: 'yuv444p10le', colorRange: 'limited', matrix: 'bt709', data: le16([700, 300, 800]) });
    const dirty = yuvToRgba({ width: 1, height: 1, pixelFormat: 'yuv444p10le', colorRange: 'limited', matrix: 'bt709', data: le16([700 | 0xfc00, 300 | 0x400, 800 | 0x8000]) });
    expect(dirty.data).toEqual(clean.data);
  });

  it('reads 10-bit data from an odd byte offset', () => {
    const samples = le16(noise(6 * 4 * 3, 3, 1024));
    const shifted = new Uint8Array(samples.length + 1);
    shifted.set(samples, 1);
    const frame = { width: 6, height: 4, pixelFormat: 'yuv444p10le', colorRange: 'full', matrix: 'bt2020' } as const;
    expect(yuvToRgba({ ...frame, data: shifted.subarray(1) }).data).toEqual(yuvToRgba({ ...frame, data: samples }).data);
  });

  it('is bit-exact: fixed output for fixed input (guards against float creeping into the per-pixel path)', () => {
    const hashes: Record<string, string> = {};
    for (const [i, pixelFormat] of SUPPORTED_PIXEL_FORMATS.entries()) {
      const wide = pixelFormat.endsWith('10le');
      const [cw, ch] = pixelFormat.startsWith('gray')
        ? [0, 0]
        : pixelFormat.includes('444')
          ? [33, 17]
          : pixelFormat.includes('422')
            ? [17, 17]
            : [17, 9];
      const alpha = pixelFormat.startsWith('yuva') ? 33 * 17 : 0;
      const raw = noise(33 * 17 + 2 * cw * ch + alpha, 99, wide ? 1024 : 256);
      const data = wide ? le16(raw) : new Uint8Array(raw);
      // Vary matrix and range across formats so every coefficient set is covered.
      const matrix = MATRICES[i % 3];
      const colorRange = RANGES[(i >> 1) % 2];
      const image = yuvToRgba({ width: 33, height: 17, pixelFormat, colorRange, matrix, data });
      hashes[`${pixelFormat}/${matrix}/${colorRange}`] = createHash('sha256').update(image.data).digest('hex').slice(0, 16);
    }
    // Deliberately literal (not a snapshot `-u` could rewrite): a change here changes the
    // bytes every engine produces, and must be a conscious decision.
    expect(hashes).toEqual({
      'gray/bt709/full': 'a2f478f609e28054',
      'gray10le/bt2020/full': '54e81b52db9ef6eb',
      'nv12/bt601/full': 'fd0f786707eaaec7',
      'yuv420p/bt601/limited': '20557cc53a0fc426',
      'yuv420p10le/bt709/full': '2435626c3a92ef58',
      'yuv422p/bt2020/full': '16a91d3794b8ccd8',
      'yuv422p10le/bt2020/limited': 'c14f518c6142a32a',
      'yuv444p/bt709/limited': 'da30b4a046613bee',
      'yuv444p10le/bt601/limited': '5e1f62ab264943fe',
      'yuvj420p/bt709/limited': '447c025679f3c58e',
      'yuvj422p/bt601/full': '58a9e44f2d280d2a',
      'yuvj444p/bt2020/limited': 'ef985cdacb8b83e5',
      'yuva420p/bt601/limited': '13e8807785687cf3',
      'yuva444p/bt709/limited': 'bcd1c12caddb6de1',
    });
  });
});

describe('yuvToRgba: errors', () => {
  it('rejects unsupported pixel formats by name', () => {
    for (const pixelFormat of ['rgb24', 'yuva420p10le', 'p010le', 'yuv420p12le', 'toString', '']) {
      let error: unknown;
      try {
        yuvToRgba({ width: 2, height: 2, pixelFormat, colorRange: 'limited', matrix: 'bt709', data: new Uint8Array(12) });
      } catch (e) {
        error = e;
      }
      expect(isStillframeError(error, 'unsupported'), pixelFormat).toBe(true);
      expect((error as Error).message).toContain(`'${pixelFormat}'`);
    }
  });

  it('rejects data of the wrong size and bad dimensions', () => {
    const frame = { width: 4, height: 2, pixelFormat: 'yuv420p', colorRange: 'limited', matrix: 'bt709' } as const;
    expect(() => yuvToRgba({ ...frame, data: new Uint8Array(12) })).not.toThrow();
    for (const data of [new Uint8Array(11), new Uint8Array(13), new Uint8Array(16)]) {
      expect(() => yuvToRgba({ ...frame, data })).toThrow(expect.objectContaining({ kind: 'invalid-argument' }));
    }
    expect(() => yuvToRgba({ ...frame, matrix: 'smpte240m' as 'bt709', data: new Uint8Array(12) })).toThrow(
      expect.objectContaining({ kind: 'invalid-argument' }),
    );
    for (const [width, height] of [[0, 2], [2, -2], [1.5, 2], [Number.NaN, 2]]) {
      expect(() => yuvToRgba({ ...frame, width, height, data: new Uint8Array(12) })).toThrow(
        expect.objectContaining({ kind: 'invalid-argument' }),
      );
    }
  });
});

describe.skipIf(!requireNativeTool('ffmpeg'))('yuvToRgba: against native ffmpeg (swscale)', () => {
  const width = 320;
  const height = 180;
  // Formats swscale converts with repeated chroma match closely everywhere; the ones it
  // filters vertically (nv12, 10-bit 4:2:0) differ on hard colour edges only, where its
  // bicubic filter and our linear one disagree.
  const cases: { pixFmt: string; ranges: readonly ColorRange[]; maxDiff: number; over3: number }[] = [
    { pixFmt: 'yuv420p', ranges: RANGES, maxDiff: 4, over3: 0.005 },
    { pixFmt: 'yuvj420p', ranges: ['full'], maxDiff: 4, over3: 0.005 },
    { pixFmt: 'yuv422p', ranges: RANGES, maxDiff: 4, over3: 0.005 },
    { pixFmt: 'yuv444p', ranges: RANGES, maxDiff: 2, over3: 0 },
    { pixFmt: 'nv12', ranges: RANGES, maxDiff: 48, over3: 0.08 },
    { pixFmt: 'yuv420p10le', ranges: RANGES, maxDiff: 48, over3: 0.08 },
    { pixFmt: 'yuv422p10le', ranges: RANGES, maxDiff: 6, over3: 0.005 },
    { pixFmt: 'yuv444p10le', ranges: RANGES, maxDiff: 2, over3: 0 },
    // swscale ignores the range of 8-bit gray (it converts it like a palette); full range
    // is where it and the standard agree.
    { pixFmt: 'gray', ranges: ['full'], maxDiff: 1, over3: 0 },
    { pixFmt: 'gray10le', ranges: RANGES, maxDiff: 2, over3: 0 },
  ];
  for (const { pixFmt, ranges, maxDiff, over3 } of cases) {
    it(`${pixFmt}: every matrix, ${ranges.join(' and ')} range`, () => {
      const raw = lavfiFrame('testsrc2', width, height, pixFmt);
      for (const matrix of MATRICES) {
        for (const range of ranges) {
          const ours = yuvToRgba({ width, height, pixelFormat: pixFmt, colorRange: range, matrix, data: raw });
          const diff = rgbDifference(ours, nativeYuvToRgba(raw, pixFmt, width, height, matrix, range));
          const label = `${pixFmt} ${matrix} ${range}: mean ${diff.mean.toFixed(3)} max ${diff.max} >3 ${(diff.over3 * 100).toFixed(2)}%`;
          expect(diff.mean, label).toBeLessThan(1.5);
          expect(diff.max, label).toBeLessThanOrEqual(maxDiff);
          expect(diff.over3, label).toBeLessThanOrEqual(over3);
        }
      }
    });
  }

  it('picks repeated chroma for yuv420p because it is measurably closer to native ffmpeg', () => {
    // The decision the converter encodes: interpolating 8-bit 4:2:0 chroma would move away
    // from what `ffmpeg -pix_fmt rgb24` produces.
    const raw = lavfiFrame('testsrc2', width, height, 'yuv420p');
    const native = nativeYuvToRgba(raw, 'yuv420p', width, height, 'bt709', 'limited');
    const repeated = yuvToRgba({ width, height, pixelFormat: 'yuv420p', colorRange: 'limited', matrix: 'bt709', data: raw });
    // Same planes through the interpolating nv12 path.
    const ySize = width * height;
    const uv = new Uint8Array(ySize / 2);
    for (let i = 0; i < ySize / 4; i++) {
      uv[i * 2] = raw[ySize + i];
      uv[i * 2 + 1] = raw[ySize + ySize / 4 + i];
    }
    const interpolated = yuvToRgba({
      width, height, pixelFormat: 'nv12', colorRange: 'limited', matrix: 'bt709', data: new Uint8Array([...raw.subarray(0, ySize), ...uv]),
    });
    expect(rgbDifference(repeated, native).mean).toBeLessThan(rgbDifference(interpolated, native).mean);
  });
});
