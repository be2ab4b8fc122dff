/**
 * Frames with an alpha plane (`yuva420p`, what libvpx decodes VP9 with alpha to): the alpha
 * plane becomes RGBA's alpha exactly, as native ffmpeg's `-pix_fmt rgba` gives it; colour is
 * what the colour planes alone give; resampling and rotation carry alpha the way native
 * ffmpeg's scaler does (not premultiplied); JPEG leaves it out.
 */
import { describe, expect, it } from 'vitest';
import type { ColorMatrix, ColorRange, RawVideoFrame } from '../../src/image/raw-frame.js';
import { renderFrame, renderJpeg, type RenderOptions } from '../../src/image/render.js';
import { resample } from '../../src/image/resample.js';
import type { RgbaImage } from '../../src/image/rgba-image.js';
import { rotate } from '../../src/image/rotate.js';
import { rawFrameBytes, yuvToRgba } from '../../src/image/yuv-to-rgba.js';
import { ffmpeg, requireNativeTool } from '../helpers/native.js';
import { testBytes } from '../helpers/noise.js';
import { alphaDifference, rgbDifference } from '../helpers/pixels.js';
import { lavfiFrame, nativeResample, nativeYuvToRgba } from './native-reference.js';

const MATRICES: readonly ColorMatrix[] = ['bt601', 'bt709', 'bt2020'];
const RANGES: readonly ColorRange[] = ['limited', 'full'];

const frameOf = (data: Uint8Array, width: number, height: number, pixelFormat: string): RawVideoFrame => ({
  width, height, pixelFormat, colorRange: 'limited', matrix: 'bt709', data,
});

/** `colour` (yuv420p or yuv444p planes) with `alpha` appended as the fourth plane. */
function withAlpha(colour: Uint8Array, alpha: Uint8Array): Uint8Array {
  const out = new Uint8Array(colour.length + alpha.length);
  out.set(colour);
  out.set(alpha, colour.length);
  return out;
}

/** The alpha bytes of an RGBA image. */
const alphaOf = (image: RgbaImage): Uint8Array => image.data.filter((_, i) => i % 4 === 3);

/** A noisy 4:2:0 (or 4:4:4) frame of odd size and a random alpha plane, both formats of it. */
function noisyPair(width: number, height: number, chroma: '420' | '444') {
  const cw = chroma === '420' ? (width + 1) >> 1 : width;
  const ch = chroma === '420' ? (height + 1) >> 1 : height;
  const colour = testBytes(width * height + 2 * cw * ch, 0x1234567);
  const alpha = testBytes(width * height, 0xabcdef);
  return {
    alpha,
    opaque: frameOf(colour, width, height, `yuv${chroma}p`),
    translucent: frameOf(withAlpha(colour, alpha), width, height, `yuva${chroma}p`),
  };
}

describe('yuva420p and yuva444p: layout and conversion', () => {
  it('counts the alpha plane at full resolution after the chroma planes', () => {
    expect(rawFrameBytes('yuva420p', 5, 3)).toBe(15 + 2 * 3 * 2 + 15);
    expect(rawFrameBytes('yuva444p', 5, 3)).toBe(4 * 15);
  });

  for (const chroma of ['420', '444'] as const) {
    it(`yuva${chroma}p: alpha is the alpha plane exactly, colour that of the colour planes (odd size)`, () => {
      const { alpha, opaque, translucent } = noisyPair(33, 17, chroma);
      const rgba = yuvToRgba(translucent);
      expect(alphaOf(rgba)).toEqual(alpha);
      const colourOnly = yuvToRgba(opaque);
      expect(rgbDifference(rgba, colourOnly).max).toBe(0);
      expect(alphaOf(colourOnly).every((a) => a === 255)).toBe(true);
    });
  }

  it('does not scale alpha by the colour range: limited-range frames keep alpha 0, 128 and 255', () => {
    const pixel = (y: number, a: number) => [...yuvToRgba(frameOf(new Uint8Array([y, 128, 128, a]), 1, 1, 'yuva444p')).data];
    expect(pixel(16, 0)).toEqual([0, 0, 0, 0]);
    expect(pixel(126, 128)).toEqual([128, 128, 128, 128]);
    expect(pixel(235, 255)).toEqual([255, 255, 255, 255]);
  });

  it('rejects a yuva420p frame without its alpha plane', () => {
    const { opaque } = noisyPair(8, 6, '420');
    expect(() => yuvToRgba({ ...opaque, pixelFormat: 'yuva420p' })).toThrow(expect.objectContaining({ kind: 'invalid-argument' }));
  });
});

describe('rendering frames with alpha', () => {
  const natural: RenderOptions = { rotation: 0, sampleAspectRatio: { num: 1, den: 1 }, upright: true };

  it('keeps alpha at the natural size and through rotation', () => {
    const { alpha, translucent } = noisyPair(33, 17, '420');
    expect(alphaOf(renderFrame(translucent, natural))).toEqual(alpha);
    const turned = renderFrame(translucent, { ...natural, rotation: 90 });
    expect(turned.data).toEqual(rotate(yuvToRgba(translucent), 90).data);
  });

  it('shrinks the alpha plane as resampling the RGBA would, and the colour as without alpha', () => {
    const { opaque, translucent } = noisyPair(65, 33, '420');
    const small = { ...natural, size: { width: 13, height: 7 } };
    const shrunk = renderFrame(translucent, small);
    expect(alphaDifference(shrunk, resample(yuvToRgba(translucent), 13, 7)).max).toBe(0);
    expect(rgbDifference(shrunk, renderFrame(opaque, small)).max).toBe(0);
  });

  it('gives the JPEG of the colour planes alone, straight from the planes and when resized', async () => {
    const { opaque, translucent } = noisyPair(64, 48, '420');
    const pause = async () => undefined;
    for (const options of [natural, { ...natural, size: { width: 40, height: 30 } }, { ...natural, rotation: 270 as const }]) {
      const withA = await renderJpeg(translucent, options, 85, pause);
      const without = await renderJpeg(opaque, options, 85, pause);
      expect(Buffer.from(withA.data).equals(Buffer.from(without.data)), JSON.stringify(options)).toBe(true);
    }
  });
});

describe.skipIf(!requireNativeTool('ffmpeg'))('alpha against native ffmpeg (swscale)', () => {
  const width = 320;
  const height = 180;
  /** A testsrc2 picture with a random alpha plane (random, so that any misplaced byte shows). */
  const picture = (pixFmt: 'yuva420p' | 'yuva444p') =>
    withAlpha(lavfiFrame('testsrc2', width, height, pixFmt.replace('yuva', 'yuv')), testBytes(width * height, 0x5eed));

  // The colour tolerances are those of yuv420p and yuv444p in yuv-to-rgba.test.ts.
  for (const { pixFmt, maxDiff } of [{ pixFmt: 'yuva420p', maxDiff: 4 }, { pixFmt: 'yuva444p', maxDiff: 2 }] as const) {
    it(`${pixFmt} → rgba: alpha exactly, colour as close as without alpha (every matrix and range)`, () => {
      const raw = picture(pixFmt);
      for (const matrix of MATRICES) {
        for (const range of RANGES) {
          const ours = yuvToRgba({ width, height, pixelFormat: pixFmt, colorRange: range, matrix, data: raw });
          const native = nativeYuvToRgba(raw, pixFmt, width, height, matrix, range);
          const diff = rgbDifference(ours, native);
          const label = `${pixFmt} ${matrix} ${range}: mean ${diff.mean.toFixed(3)} max ${diff.max}`;
          expect(alphaDifference(ours, native).max, label).toBe(0);
          expect(diff.mean, label).toBeLessThan(1.5);
          expect(diff.max, label).toBeLessThanOrEqual(maxDiff);
        }
      }
    });
  }

  it('resamples RGBA alpha like native area scaling (not premultiplied)', () => {
    const image = yuvToRgba({ width, height, pixelFormat: 'yuva420p', colorRange: 'limited', matrix: 'bt709', data: picture('yuva420p') });
    for (const [w, h] of [[80, 45], [213, 120], [500, 301]] as const) {
      const ours = resample(image, w, h);
      const native = nativeResample(image, w, h, 'area');
      const alpha = alphaDifference(ours, native);
      const colour = rgbDifference(ours, native);
      const label = `${w}x${h}: alpha mean ${alpha.mean.toFixed(3)} max ${alpha.max}, colour mean ${colour.mean.toFixed(3)}`;
      // Measured: alpha at most 1 apart (rounding), colour means below 0.03. Premultiplying on
      // either side would move colour by tens of levels where alpha varies.
      expect(alpha.max, label).toBeLessThanOrEqual(1);
      expect(alpha.mean, label).toBeLessThan(0.1);
      expect(colour.mean, label).toBeLessThan(0.1);
    }
  });

  it('shrinks a yuva420p frame like native area scaling to rgba', () => {
    const raw = picture('yuva420p');
    const shrunk = renderFrame(frameOf(raw, width, height, 'yuva420p'), {
      rotation: 0, sampleAspectRatio: { num: 1, den: 1 }, upright: true, size: { width: 80, height: 45 },
    });
    const nativeRgba = ffmpeg([
      '-f', 'rawvideo', '-pix_fmt', 'yuva420p', '-s', `${width}x${height}`, '-i', '-',
      '-vf', 'scale=80:45:flags=area+accurate_rnd+full_chroma_int:in_color_matrix=bt709', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-',
    ], raw);
    const native = { width: 80, height: 45, data: nativeRgba };
    expect(alphaDifference(shrunk, native).max).toBeLessThanOrEqual(1);
    expect(rgbDifference(shrunk, native).mean).toBeLessThan(0.5);
  });
});
