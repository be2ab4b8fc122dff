import { describe, expect, it } from 'vitest';
import { rgbaToRgb565, rgbaToRgb888 } from '../../src/image/pixel-formats.js';
import type { RgbaImage } from '../../src/image/rgba-image.js';

function pixels(...rgba: number[][]): RgbaImage {
  return { width: rgba.length, height: 1, data: new Uint8Array(rgba.flat()) };
}

describe('rgbaToRgb888', () => {
  it('drops alpha and keeps R, G, B order', () => {
    const image = { width: 2, height: 2, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]) };
    expect(Array.from(rgbaToRgb888(image))).toEqual([1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15]);
  });

  it('rejects mis-sized data', () => {
    expect(() => rgbaToRgb888({ width: 2, height: 2, data: new Uint8Array(15) })).toThrow(
      expect.objectContaining({ kind: 'invalid-argument' }),
    );
  });
});

describe('rgbaToRgb565', () => {
  it('packs R into the high 5 bits of little-endian 16-bit words', () => {
    const out = rgbaToRgb565(
      pixels([255, 255, 255, 255], [0, 0, 0, 255], [255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255]),
    );
    expect(out.length).toBe(10);
    expect(Array.from(out)).toEqual([
      0xff, 0xff, // white 0xFFFF
      0x00, 0x00, // black
      0x00, 0xf8, // red   0xF800: low byte first
      0xe0, 0x07, // green 0x07E0
      0x1f, 0x00, // blue  0x001F
    ]);
  });

  it('truncates to the top 5/6/5 bits and ignores alpha', () => {
    // Just below each channel's first step: all zero.
    expect(Array.from(rgbaToRgb565(pixels([7, 3, 7, 0])))).toEqual([0, 0]);
    // Exactly one step in each: 0b00001_000001_00001 = 0x0821.
    expect(Array.from(rgbaToRgb565(pixels([8, 4, 8, 128])))).toEqual([0x21, 0x08]);
    // A mixed colour, checked against the formula word by word.
    const [r, g, b] = [0x9c, 0x5a, 0x3f];
    const word = ((r >> 3) << 11) | ((g >> 2) << 5) | (b >> 3);
    expect(Array.from(rgbaToRgb565(pixels([r, g, b, 255])))).toEqual([word & 0xff, word >> 8]);
  });

  it('reads as the same colours through a little-endian 16-bit view', () => {
    const out = rgbaToRgb565(pixels([255, 0, 0, 255], [0, 0, 255, 255]));
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    expect([view.getUint16(0, true), view.getUint16(2, true)]).toEqual([0xf800, 0x001f]);
  });

  it('rejects mis-sized data', () => {
    expect(() => rgbaToRgb565({ width: 1, height: 1, data: new Uint8Array(3) })).toThrow(
      expect.objectContaining({ kind: 'invalid-argument' }),
    );
  });
});
