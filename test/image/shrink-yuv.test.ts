/**
 * Shrinking before colour conversion: an 8-bit planar frame made smaller is resampled plane by
 * plane, chroma straight to the output size, then converted. It gives what converting first and
 * resampling the RGBA gives, up to rounding, and what native ffmpeg's area scaler gives; a flat
 * colour stays exactly flat; frames it cannot help (enlarged, 10-bit, NV12) are left to the
 * RGBA route.
 */
import { describe, expect, it } from 'vitest';
import type { RawVideoFrame } from '../../src/image/raw-frame.js';
import { renderFrame } from '../../src/image/render.js';
import { resample, resamplePlane } from '../../src/image/resample.js';
import { shrinkYuv } from '../../src/image/shrink-yuv.js';
import { yuvToRgba } from '../../src/image/yuv-to-rgba.js';
import { ffmpeg, requireNativeTool } from '../helpers/native.js';
import { rgbDifference } from '../helpers/pixels.js';
import { lavfiFrame } from './native-reference.js';

const frameOf = (data: Uint8Array, width: number, height: number, pixelFormat: string): RawVideoFrame => ({ width, height, pixelFormat, colorRange: 'limited', matrix: 'bt709', data });
const upright = (size: { width: number; height: number }) => ({ rotation: 0, sampleAspectRatio: { num: 1, den: 1 }, upright: true, size }) as const;

describe('resamplePlane', () => {
  it('filters one channel exactly as resample filters each channel of RGBA', () => {
    const plane = Uint8Array.from({ length: 37 * 23 }, (_, i) => (i * 7919) % 256);
    const rgba = new Uint8Array(plane.length * 4);
    plane.forEach((v, i) => rgba.fill(v, i * 4, i * 4 + 4));
    const viaRgba = resample({ width: 37, height: 23, data: rgba }, 11, 29).data.filter((_, i) => i % 4 === 0);
    expect(resamplePlane(plane, 37, 23, 11, 29)).toEqual(viaRgba);
  });
});

describe('shrinkYuv', () => {
  it('leaves frames it cannot make cheaper to the RGBA route', () => {
    const yuv420 = frameOf(new Uint8Array((64 * 48 * 3) / 2), 64, 48, 'yuv420p');
    expect(shrinkYuv(yuv420, 64, 48)).toBeUndefined(); // not smaller
    expect(shrinkYuv(yuv420, 128, 30)).toBeUndefined(); // not smaller in area
    expect(shrinkYuv(frameOf(new Uint8Array(64 * 48 * 3), 64, 48, 'yuv420p10le'), 32, 24)).toBeUndefined();
    expect(shrinkYuv(frameOf(new Uint8Array((64 * 48 * 3) / 2), 64, 48, 'nv12'), 32, 24)).toBeUndefined();
  });

  it('keeps a flat colour exactly flat, for 4:2:0, 4:2:2 and 4:4:4 at odd sizes', () => {
    for (const [format, chroma] of [['yuv420p', 33 * 17], ['yuv422p', 33 * 33], ['yuvj444p', 65 * 33]] as const) {
      const data = new Uint8Array(65 * 33 + 2 * chroma);
      data.fill(81, 0, 65 * 33).fill(90, 65 * 33, 65 * 33 + chroma).fill(240, 65 * 33 + chroma);
      const frame = frameOf(data, 65, 33, format);
      const shrunk = renderFrame(frame, upright({ width: 13, height: 7 }));
      const expected = yuvToRgba(frame).data.subarray(0, 4);
      for (let i = 0; i < shrunk.data.length; i += 4) expect([...shrunk.data.subarray(i, i + 4)], format).toEqual([...expected]);
    }
  });
});

describe.skipIf(!requireNativeTool('ffmpeg'))('shrinking a real picture before conversion', () => {
  it('matches converting first (within rounding) and native ffmpeg (area scaling)', () => {
    const raw = lavfiFrame('testsrc2', 640, 360, 'yuv420p');
    const frame = frameOf(raw, 640, 360, 'yuv420p');
    const shrunk = renderFrame(frame, upright({ width: 160, height: 90 }));
    const convertedFirst = resample(yuvToRgba(frame), 160, 90);
    expect(rgbDifference(shrunk, convertedFirst).mean).toBeLessThan(1);
    const nativeRgb = ffmpeg([
      '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', '640x360', '-i', '-',
      '-vf', 'scale=160:90:flags=area+accurate_rnd+full_chroma_int:in_color_matrix=bt709', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-',
    ], raw);
    expect(rgbDifference(shrunk, { width: 160, height: 90, data: nativeRgb }).mean).toBeLessThan(2);
  });
});
