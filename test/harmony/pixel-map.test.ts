/**
 * image.PixelMap as a fetch returns it: image information, byte counts, reading the pixels
 * (promise, callback and synchronous forms) and release, per the Image Kit reference.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BusinessError, image, media } from '../../src/harmony/index.js';
import { PixelMap } from '../../src/harmony/pixel-map.js';
import { fixture } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';
import { expectBusinessError, useEngine, viaCallback } from './helpers.js';

useEngine();

const SIZE = { width: 40, height: 30 };

describe('PixelMap', () => {
  it('cannot be constructed directly: PixelMaps come from fetches', () => {
    expect(() => new (PixelMap as unknown as new () => unknown)()).toThrow(TypeError);
  });
});

describe.skipIf(!requireNativeTool('ffmpeg'))('PixelMap from a fetch', () => {
  let maps: Record<'rgba' | 'rgb' | 'rgb565', image.PixelMap>;
  let generator: media.AVImageGenerator;
  beforeAll(async () => {
    generator = await media.createAVImageGenerator();
    generator.url = fixture('h264-bframes.mp4');
    const fetch = (colorFormat?: media.PixelFormat) =>
      generator.fetchFrameByTime(1_000_000, media.AVImageQueryOptions.AV_IMAGE_QUERY_CLOSEST_SYNC, { ...SIZE, colorFormat });
    maps = { rgba: await fetch(), rgb: await fetch(media.PixelFormat.RGB_888), rgb565: await fetch(media.PixelFormat.RGB_565) };
  });

  describe('properties', () => {
    it('is not editable, has unpadded rows, and tells which frame it shows (frameTimeUs)', () => {
      expect(maps.rgba.isEditable).toBe(false);
      expect(maps.rgba.isStrideAlignment).toBe(false);
      expect(maps.rgba.frameTimeUs).toBe(1_000_000);
    });
  });

  describe('getImageInfoSync / getImageInfo', () => {
    it('reports size, stride, format, opaque alpha, no density and SDR', () => {
      expect(maps.rgba.getImageInfoSync()).toEqual({
        size: { width: 40, height: 30 },
        density: 0,
        stride: 160,
        pixelFormat: image.PixelMapFormat.RGBA_8888,
        alphaType: image.AlphaType.OPAQUE,
        mimeType: '',
        isHdr: false,
      });
      expect(maps.rgb.getImageInfoSync()).toMatchObject({ stride: 120, pixelFormat: image.PixelMapFormat.RGB_888 });
      expect(maps.rgb565.getImageInfoSync()).toMatchObject({ stride: 80, pixelFormat: image.PixelMapFormat.RGB_565 });
    });

    it('promise form resolves with the same information', async () => {
      expect(await maps.rgb.getImageInfo()).toEqual(maps.rgb.getImageInfoSync());
    });

    it('callback form calls back with err undefined and the information', async () => {
      const outcome = await viaCallback<image.ImageInfo>((callback) => maps.rgb565.getImageInfo(callback));
      expect(outcome.returned).toBeUndefined();
      expect(outcome.err).toBeUndefined();
      expect(outcome.data).toEqual(maps.rgb565.getImageInfoSync());
    });
  });

  describe('getBytesNumberPerRow / getPixelBytesNumber', () => {
    it('are width × bytes per pixel, and that × height', () => {
      expect([maps.rgba.getBytesNumberPerRow(), maps.rgba.getPixelBytesNumber()]).toEqual([160, 4800]);
      expect([maps.rgb.getBytesNumberPerRow(), maps.rgb.getPixelBytesNumber()]).toEqual([120, 3600]);
      expect([maps.rgb565.getBytesNumberPerRow(), maps.rgb565.getPixelBytesNumber()]).toEqual([80, 2400]);
    });

    it('getDensity is 0 (unknown)', () => {
      expect(maps.rgba.getDensity()).toBe(0);
    });
  });

  describe('readPixelsToBuffer / readPixelsToBufferSync', () => {
    it('copy the pixels, in the PixelMap format, to the start of the buffer (all three forms agree)', async () => {
      const bytes = maps.rgb.getPixelBytesNumber();
      const viaPromise = new ArrayBuffer(bytes);
      await expect(maps.rgb.readPixelsToBuffer(viaPromise)).resolves.toBeUndefined();
      const viaSync = new ArrayBuffer(bytes);
      maps.rgb.readPixelsToBufferSync(viaSync);
      const viaCb = new ArrayBuffer(bytes);
      const outcome = await viaCallback<void>((callback) => maps.rgb.readPixelsToBuffer(viaCb, callback));
      expect(outcome.err).toBeUndefined();
      expect(new Uint8Array(viaSync)).toEqual(new Uint8Array(viaPromise));
      expect(new Uint8Array(viaCb)).toEqual(new Uint8Array(viaPromise));
      expect(new Uint8Array(viaPromise).some((byte) => byte !== 0)).toBe(true);
    });

    it('leave bytes past the pixels of a larger buffer untouched', async () => {
      const bytes = maps.rgb565.getPixelBytesNumber();
      const buffer = new ArrayBuffer(bytes + 16);
      new Uint8Array(buffer).fill(0xab);
      await maps.rgb565.readPixelsToBuffer(buffer);
      expect([...new Uint8Array(buffer, bytes)]).toEqual(new Array(16).fill(0xab));
    });

    it('refuse a buffer that is too small or not an ArrayBuffer with 401', async () => {
      const small = new ArrayBuffer(maps.rgba.getPixelBytesNumber() - 1);
      await expectBusinessError(maps.rgba.readPixelsToBuffer(small), 401, /4800/);
      expect(() => maps.rgba.readPixelsToBufferSync(small)).toThrow(expect.objectContaining({ name: 'BusinessError', code: 401 }));
      const view = new Uint8Array(maps.rgba.getPixelBytesNumber());
      await expectBusinessError(maps.rgba.readPixelsToBuffer(view as unknown as ArrayBuffer), 401, /ArrayBuffer/);
    });
  });

  describe('release', () => {
    it('drops the pixels: reads fail with 501, byte counts read 0; releasing again is harmless', async () => {
      const pixelMap = await generator.fetchFrameByTime(0, media.AVImageQueryOptions.AV_IMAGE_QUERY_NEXT_SYNC, SIZE);
      const buffer = new ArrayBuffer(pixelMap.getPixelBytesNumber());
      await expect(pixelMap.release()).resolves.toBeUndefined();

      expect(() => pixelMap.getImageInfoSync()).toThrow(BusinessError);
      expect(() => pixelMap.getImageInfoSync()).toThrow(expect.objectContaining({ code: 501 }));
      expect(() => pixelMap.readPixelsToBufferSync(buffer)).toThrow(expect.objectContaining({ code: 501 }));
      await expectBusinessError(pixelMap.readPixelsToBuffer(buffer), 501, /released/);
      await expectBusinessError(pixelMap.getImageInfo(), 501);
      expect(pixelMap.getPixelBytesNumber()).toBe(0);
      expect(pixelMap.getBytesNumberPerRow()).toBe(0);

      const again = await viaCallback<void>((callback) => pixelMap.release(callback));
      expect(again.err).toBeUndefined();
    });

    it('of one PixelMap leaves others from the same generator intact', async () => {
      const first = await generator.fetchFrameByTime(0, media.AVImageQueryOptions.AV_IMAGE_QUERY_NEXT_SYNC, SIZE);
      const second = await generator.fetchFrameByTime(0, media.AVImageQueryOptions.AV_IMAGE_QUERY_NEXT_SYNC, SIZE);
      await first.release();
      expect(second.getImageInfoSync().size).toEqual(SIZE);
      const a = new ArrayBuffer(second.getPixelBytesNumber());
      second.readPixelsToBufferSync(a);
    });
  });
});
