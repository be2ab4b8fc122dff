import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { encodeJpeg, encodePng } from '../../src/image/encode.js';
import type { RgbaImage } from '../../src/image/rgba-image.js';
import { rgbDifference } from '../helpers/pixels.js';

/** A smooth gradient with a soft diagonal feature: typical photographic content for JPEG. */
function gradient(width: number, height: number, alpha: (x: number, y: number) => number = () => 255): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = Math.round((255 * x) / (width - 1));
      data[i + 1] = Math.round((255 * y) / (height - 1));
      data[i + 2] = Math.round(128 + 100 * Math.sin((x + y) / 9));
      data[i + 3] = alpha(x, y);
    }
  }
  return { width, height, data };
}

describe('encodeJpeg', () => {
  it('round-trips through a JPEG decoder with small error', () => {
    const image = gradient(67, 41);
    const bytes = encodeJpeg(image, 92);
    expect([bytes[0], bytes[1], bytes[bytes.length - 2], bytes[bytes.length - 1]]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    expect([decoded.width, decoded.height]).toEqual([67, 41]);
    expect(rgbDifference(decoded, image).mean).toBeLessThan(2);
  });

  it('is 4:4:4 unless told otherwise, also when given { subsampling: undefined }', () => {
    const image = gradient(67, 41);
    const full = encodeJpeg(image, 80);
    expect(Buffer.from(encodeJpeg(image, 80, { subsampling: undefined })).equals(Buffer.from(full))).toBe(true);
    expect(Buffer.from(encodeJpeg(image, 80, { subsampling: '4:2:0' })).equals(Buffer.from(full))).toBe(false);
  });

  it('trades size for fidelity with quality', () => {
    const image = gradient(96, 64);
    const low = encodeJpeg(image, 10);
    const high = encodeJpeg(image, 95);
    expect(low.length).toBeLessThan(high.length);
    const lowError = rgbDifference(jpeg.decode(low, { useTArray: true }), image).mean;
    const highError = rgbDifference(jpeg.decode(high, { useTArray: true }), image).mean;
    expect(lowError).toBeGreaterThan(highError);
  });

  it('returns a plain, exactly sized Uint8Array (not a pooled Buffer)', () => {
    const bytes = encodeJpeg(gradient(8, 8), 50);
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
  });

  it('accepts quality 1 and 100 and rejects anything else', () => {
    const image = gradient(8, 8);
    expect(() => encodeJpeg(image, 1)).not.toThrow();
    expect(() => encodeJpeg(image, 100)).not.toThrow();
    for (const quality of [0, 101, -5, 50.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => encodeJpeg(image, quality), String(quality)).toThrow(expect.objectContaining({ kind: 'invalid-argument' }));
    }
  });

  it('rejects mis-sized data', () => {
    expect(() => encodeJpeg({ width: 4, height: 4, data: new Uint8Array(63) }, 80)).toThrow(
      expect.objectContaining({ kind: 'invalid-argument' }),
    );
  });
});

describe('encodePng', () => {
  it('round-trips RGBA exactly, alpha included, as 8-bit colour type 6', () => {
    const image = gradient(33, 20, (x, y) => (x * 7 + y * 13) & 255);
    const bytes = encodePng(image);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR: bit depth at byte 24, colour type at byte 25.
    expect([bytes[24], bytes[25]]).toEqual([8, 6]);
    const decoded = PNG.sync.read(Buffer.from(bytes));
    expect([decoded.width, decoded.height]).toEqual([33, 20]);
    expect(new Uint8Array(decoded.data)).toEqual(image.data);
  });

  it('encodes from a view at an odd byte offset without copying bugs', () => {
    const image = gradient(5, 3);
    const backing = new Uint8Array(image.data.length + 3);
    backing.set(image.data, 3);
    const decoded = PNG.sync.read(Buffer.from(encodePng({ width: 5, height: 3, data: backing.subarray(3) })));
    expect(new Uint8Array(decoded.data)).toEqual(image.data);
  });

  it('returns a plain Uint8Array and rejects mis-sized data', () => {
    expect(Object.getPrototypeOf(encodePng(gradient(4, 4)))).toBe(Uint8Array.prototype);
    expect(() => encodePng({ width: 4, height: 4, data: new Uint8Array(65) })).toThrow(
      expect.objectContaining({ kind: 'invalid-argument' }),
    );
  });
});
