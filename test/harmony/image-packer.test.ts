/**
 * image.createImagePacker / ImagePacker.packToData: thumbnails encoded as JPEG and PNG that
 * independent decoders (jpeg-js, pngjs) read back at the right size and colours.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { image, media } from '../../src/harmony/index.js';
import { fixture } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';
import { rgbDifference } from '../helpers/pixels.js';
import { expectBusinessError, pixelsOf, useEngine, viaCallback } from './helpers.js';

useEngine();

const SIZE = { width: 64, height: 48 };

describe('image.createImagePacker', () => {
  it('creates a packer that encodes JPEG and PNG', () => {
    const packer = image.createImagePacker();
    expect(packer.supportedFormats).toEqual(['image/jpeg', 'image/png']);
    expect(image.createImagePacker()).not.toBe(packer);
  });
});

describe.skipIf(!requireNativeTool('ffmpeg'))('ImagePacker with fetched thumbnails', () => {
  let rgba: image.PixelMap;
  let rgb: image.PixelMap;
  let rgb565: image.PixelMap;
  let generator: media.AVImageGenerator;
  beforeAll(async () => {
    generator = await media.createAVImageGenerator();
    generator.url = fixture('h264-bframes.mp4');
    const fetch = (colorFormat: media.PixelFormat) =>
      generator.fetchFrameByTime(2_000_000, media.AVImageQueryOptions.AV_IMAGE_QUERY_CLOSEST_SYNC, { ...SIZE, colorFormat });
    [rgba, rgb, rgb565] = await Promise.all([
      fetch(media.PixelFormat.RGBA_8888),
      fetch(media.PixelFormat.RGB_888),
      fetch(media.PixelFormat.RGB_565),
    ]);
  });

  describe('packToData', () => {
    it('encodes a JPEG that decodes to the same size and close colours', async () => {
      const data = await image.createImagePacker().packToData(rgba, { format: 'image/jpeg', quality: 95 });
      expect(data).toBeInstanceOf(ArrayBuffer);
      const bytes = new Uint8Array(data);
      expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
      const decoded = jpeg.decode(bytes, { useTArray: true });
      expect([decoded.width, decoded.height]).toEqual([64, 48]);
      expect(rgbDifference(decoded, { ...SIZE, data: await pixelsOf(rgba) }).mean).toBeLessThan(6);
    });

    it('maps quality to size: 0 (encoded as 1) gives a smaller file than 100', async () => {
      const packer = image.createImagePacker();
      const worst = await packer.packToData(rgba, { format: 'image/jpeg', quality: 0 });
      const best = await packer.packToData(rgba, { format: 'image/jpeg', quality: 100 });
      expect(jpeg.decode(new Uint8Array(worst)).width).toBe(64);
      expect(worst.byteLength).toBeLessThan(best.byteLength);
    });

    it('encodes a PNG that decodes to exactly the pixels (RGBA_8888)', async () => {
      const data = await image.createImagePacker().packToData(rgba, { format: 'image/png', quality: 100 });
      const decoded = PNG.sync.read(Buffer.from(data));
      expect([decoded.width, decoded.height]).toEqual([64, 48]);
      expect(new Uint8Array(decoded.data)).toEqual(await pixelsOf(rgba));
    });

    it('widens RGB_888 back to RGBA for encoding: PNG pixels equal the RGB bytes, alpha 255', async () => {
      const data = await image.createImagePacker().packToData(rgb, { format: 'image/png', quality: 0 });
      const decoded = PNG.sync.read(Buffer.from(data));
      const source = await pixelsOf(rgb);
      for (let i = 0; i < 64 * 48; i++) {
        expect([decoded.data[i * 4], decoded.data[i * 4 + 1], decoded.data[i * 4 + 2], decoded.data[i * 4 + 3]]).toEqual([
          source[i * 3],
          source[i * 3 + 1],
          source[i * 3 + 2],
          255,
        ]);
      }
    });

    it('widens RGB_565 back to RGBA for encoding: close to the RGBA thumbnail of the same frame', async () => {
      const data = await image.createImagePacker().packToData(rgb565, { format: 'image/png', quality: 50 });
      const decoded = PNG.sync.read(Buffer.from(data));
      expect([decoded.width, decoded.height]).toEqual([64, 48]);
      // 5/6/5 bits lose at most 8/4/8 levels per component.
      expect(rgbDifference(decoded, { ...SIZE, data: await pixelsOf(rgba) }).mean).toBeLessThan(5);
      expect(decoded.data.every((value, i) => i % 4 !== 3 || value === 255)).toBe(true);
    });

    it.each([
      ['quality above 100', { format: 'image/jpeg', quality: 101 }, /quality/],
      ['quality below 0', { format: 'image/jpeg', quality: -1 }, /quality/],
      ['quality NaN', { format: 'image/png', quality: Number.NaN }, /quality/],
      ['quality missing', { format: 'image/jpeg' }, /quality/],
      ['a format stillframe does not encode', { format: 'image/webp', quality: 80 }, /image\/webp/],
      ['no format', { quality: 80 }, /format/],
    ])('refuses %s with 401', async (_, options, message) => {
      await expectBusinessError(image.createImagePacker().packToData(rgba, options as image.PackingOption), 401, message);
    });

    it('refuses missing options or a source that is not a PixelMap with 401', async () => {
      const packer = image.createImagePacker();
      await expectBusinessError(packer.packToData(rgba, null as never), 401, /options/);
      await expectBusinessError(packer.packToData({} as never, { format: 'image/png', quality: 1 }), 401, /PixelMap/);
    });

    it('refuses a released PixelMap with 401, as HarmonyOS documents', async () => {
      const pixelMap = await generator.fetchFrameByTime(0, media.AVImageQueryOptions.AV_IMAGE_QUERY_NEXT_SYNC, SIZE);
      await pixelMap.release();
      await expectBusinessError(image.createImagePacker().packToData(pixelMap, { format: 'image/png', quality: 1 }), 401, /released/);
    });
  });

  describe('packing (the pre-API 13 name)', () => {
    it('promise form encodes like packToData', async () => {
      const packer = image.createImagePacker();
      const options = { format: 'image/png', quality: 100 };
      expect(new Uint8Array(await packer.packing(rgba, options))).toEqual(new Uint8Array(await packer.packToData(rgba, options)));
    });

    it('callback form calls back with err undefined and the data', async () => {
      const outcome = await viaCallback<ArrayBuffer>((callback) =>
        image.createImagePacker().packing(rgb, { format: 'image/jpeg', quality: 80 }, callback),
      );
      expect(outcome.returned).toBeUndefined();
      expect(outcome.err).toBeUndefined();
      expect(jpeg.decode(new Uint8Array(outcome.data!)).height).toBe(48);
    });
  });

  describe('release', () => {
    it('promise and callback forms succeed; a released packer refuses to pack with 401', async () => {
      const packer = image.createImagePacker();
      await expect(packer.release()).resolves.toBeUndefined();
      await expectBusinessError(packer.packToData(rgba, { format: 'image/png', quality: 1 }), 401, /released/);
      const outcome = await viaCallback<void>((callback) => image.createImagePacker().release(callback));
      expect(outcome.err).toBeUndefined();
    });
  });
});
