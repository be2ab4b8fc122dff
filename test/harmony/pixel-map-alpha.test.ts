/**
 * PixelMaps of frames with alpha (VP9 with alpha): RGBA_8888 keeps the alpha and, like a
 * HarmonyOS decoder's PixelMap, reports PREMUL and reads out premultiplied colour; RGB_888 and
 * RGB_565 drop it and are OPAQUE; opaque frames stay OPAQUE; ImagePacker writes an RGBA PNG
 * holding the straight pixels exactly, and a JPEG of the colour alone.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../src/image/rgba-image.js';
import { image, media } from '../../src/harmony/index.js';
import { createPixelMap } from '../../src/harmony/pixel-map.js';
import { rgbDifference } from '../helpers/pixels.js';
import { pixelsOf } from './helpers.js';

/** A colour gradient whose alpha runs 0…255 across, so every alpha value occurs. */
function translucent(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data.set([(x * 7 + y) & 255, (y * 11) & 255, 200 - ((x + y) & 127), Math.round((255 * x) / (width - 1))], i);
    }
  }
  return { width, height, data };
}

const opaque = (picture: RgbaImage): RgbaImage => ({ ...picture, data: picture.data.map((v, i) => (i % 4 === 3 ? 255 : v)) });

const FRAME = translucent(256, 12);

describe('PixelMap of a frame with alpha', () => {
  it('RGBA_8888: reports PREMUL and reads out colour premultiplied by alpha (rounded), alpha as is', async () => {
    const pixelMap = createPixelMap(FRAME, media.PixelFormat.RGBA_8888, 0);
    expect(pixelMap.getImageInfoSync().alphaType).toBe(image.AlphaType.PREMUL);
    const read = await pixelsOf(pixelMap);
    for (let i = 0; i < read.length; i += 4) {
      const a = FRAME.data[i + 3]!;
      const expected = [0, 1, 2].map((c) => Math.round((FRAME.data[i + c]! * a) / 255));
      expect([...read.subarray(i, i + 4)]).toEqual([...expected, a]);
    }
  });

  it('RGBA_8888 of an opaque frame: OPAQUE, and the pixels read out unchanged', async () => {
    const frame = opaque(FRAME);
    const pixelMap = createPixelMap(frame, media.PixelFormat.RGBA_8888, 0);
    expect(pixelMap.getImageInfoSync().alphaType).toBe(image.AlphaType.OPAQUE);
    expect(await pixelsOf(pixelMap)).toEqual(frame.data);
  });

  it('RGB_888 and RGB_565 drop alpha and are OPAQUE', async () => {
    for (const format of [media.PixelFormat.RGB_888, media.PixelFormat.RGB_565]) {
      const withAlpha = createPixelMap(FRAME, format, 0);
      expect(withAlpha.getImageInfoSync().alphaType).toBe(image.AlphaType.OPAQUE);
      expect(await pixelsOf(withAlpha)).toEqual(await pixelsOf(createPixelMap(opaque(FRAME), format, 0)));
    }
  });

  it('packs to an RGBA PNG holding the straight pixels exactly', async () => {
    const pixelMap = createPixelMap(FRAME, media.PixelFormat.RGBA_8888, 0);
    const png = PNG.sync.read(Buffer.from(await image.createImagePacker().packToData(pixelMap, { format: 'image/png', quality: 100 })));
    expect(png.colorType).toBe(6);
    expect(new Uint8Array(png.data)).toEqual(FRAME.data);
  });

  it('packs to a JPEG of the colour alone, as if the frame were opaque', async () => {
    const pack = (frame: RgbaImage) =>
      image.createImagePacker().packToData(createPixelMap(frame, media.PixelFormat.RGBA_8888, 0), { format: 'image/jpeg', quality: 90 });
    const [withAlpha, without] = await Promise.all([pack(FRAME), pack(opaque(FRAME))]);
    expect(Buffer.from(withAlpha).equals(Buffer.from(without))).toBe(true);
    const decoded = jpeg.decode(new Uint8Array(withAlpha), { useTArray: true, formatAsRGBA: true });
    expect(rgbDifference(decoded, FRAME).mean).toBeLessThan(4);
  });
});
