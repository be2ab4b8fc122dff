/**
 * media.AVImageGenerator, as the HarmonyOS Media Kit reference describes it: creation in both
 * forms, fetchFrameByTime (callback and promise), fetchScaledFrameByTime, release, and the
 * errors each reports. Frames are checked against native ffmpeg/ffprobe, never against
 * stillframe's own index.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BusinessError, image, media } from '../../src/harmony/index.js';
import { fixture } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';
import { expectedFrame, meanAbsDiff, referenceFrames, referencePixels, type ReferenceFrame } from '../helpers/reference.js';
import { expectBusinessError, pixelsOf, useEngine, viaCallback } from './helpers.js';

useEngine();

const { AV_IMAGE_QUERY_NEXT_SYNC, AV_IMAGE_QUERY_PREVIOUS_SYNC, AV_IMAGE_QUERY_CLOSEST_SYNC, AV_IMAGE_QUERY_CLOSEST } =
  media.AVImageQueryOptions;
const native = requireNativeTool('ffmpeg') && requireNativeTool('ffprobe');

async function generatorFor(path: string): Promise<media.AVImageGenerator> {
  const generator = await media.createAVImageGenerator();
  generator.url = path;
  return generator;
}

describe('media.AVImageQueryOptions', () => {
  it('has the platform values', () => {
    expect(AV_IMAGE_QUERY_NEXT_SYNC).toBe(0);
    expect(AV_IMAGE_QUERY_PREVIOUS_SYNC).toBe(1);
    expect(AV_IMAGE_QUERY_CLOSEST_SYNC).toBe(2);
    expect(AV_IMAGE_QUERY_CLOSEST).toBe(3);
  });
});

describe('media.PixelFormat and image.PixelMapFormat', () => {
  it('share the platform values for the three thumbnail formats', () => {
    expect([media.PixelFormat.RGB_565, media.PixelFormat.RGBA_8888, media.PixelFormat.RGB_888]).toEqual([2, 3, 5]);
    expect([image.PixelMapFormat.RGB_565, image.PixelMapFormat.RGBA_8888, image.PixelMapFormat.RGB_888]).toEqual([2, 3, 5]);
    expect(image.PixelMapFormat.UNKNOWN).toBe(0);
    expect(image.PixelMapFormat.BGRA_8888).toBe(4);
    expect(image.PixelMapFormat.NV12).toBe(9);
    expect(image.AlphaType.OPAQUE).toBe(1);
  });
});

describe('media.createAVImageGenerator', () => {
  it('promise form: resolves with a generator that has no source yet', async () => {
    const generator = await media.createAVImageGenerator();
    expect(typeof generator.fetchFrameByTime).toBe('function');
    expect(typeof generator.fetchScaledFrameByTime).toBe('function');
    expect(generator.fdSrc).toBeUndefined();
    expect(await media.createAVImageGenerator()).not.toBe(generator);
  });

  it('callback form: calls back once with err undefined and the generator, and returns nothing', async () => {
    const outcome = await viaCallback<media.AVImageGenerator>((callback) => media.createAVImageGenerator(callback));
    expect(outcome.returned).toBeUndefined();
    expect(outcome.err).toBeUndefined();
    expect(typeof outcome.data?.fetchFrameByTime).toBe('function');
    expect(outcome.calls).toBe(1);
  });
});

describe('fetchFrameByTime: arguments (401, checked before anything else)', () => {
  const valid = { time: 0, options: AV_IMAGE_QUERY_NEXT_SYNC, param: {} };
  const bad: Array<[string, unknown, unknown, unknown]> = [
    ['timeUs NaN', Number.NaN, valid.options, valid.param],
    ['timeUs negative', -1, valid.options, valid.param],
    ['timeUs infinite', Infinity, valid.options, valid.param],
    ['timeUs a string', '0', valid.options, valid.param],
    ['timeUs missing', undefined, valid.options, valid.param],
    ['options -1', valid.time, -1, valid.param],
    ['options 4', valid.time, 4, valid.param],
    ['options 1.5', valid.time, 1.5, valid.param],
    ['options a string', valid.time, '0', valid.param],
    ['options missing', valid.time, undefined, valid.param],
    ['param missing', valid.time, valid.options, undefined],
    ['param null', valid.time, valid.options, null],
    ['param a number', valid.time, valid.options, 300],
    ['param.width a string', valid.time, valid.options, { width: '100' }],
    ['param.width NaN', valid.time, valid.options, { width: Number.NaN }],
    ['param.height infinite', valid.time, valid.options, { height: Infinity }],
    ['param.height null', valid.time, valid.options, { height: null }],
    ['param.colorFormat 0 (UNKNOWN)', valid.time, valid.options, { colorFormat: 0 }],
    ['param.colorFormat 4 (BGRA_8888)', valid.time, valid.options, { colorFormat: 4 }],
    ['param.colorFormat 6', valid.time, valid.options, { colorFormat: 6 }],
    ['param.colorFormat a string', valid.time, valid.options, { colorFormat: '3' }],
  ];

  it.each(bad)('%s → 401 (promise form)', async (_, time, options, param) => {
    const generator = await media.createAVImageGenerator();
    // A source is set, so only the argument can be at fault.
    generator.dataSrc = new Uint8Array(16);
    await expectBusinessError(generator.fetchFrameByTime(time as number, options as never, param as never), 401, /Parameter error/);
  });

  it('reports a bad argument through the callback in callback form', async () => {
    const generator = await media.createAVImageGenerator();
    const outcome = await viaCallback<image.PixelMap>((callback) => generator.fetchFrameByTime(-5, AV_IMAGE_QUERY_CLOSEST, {}, callback));
    expect(outcome.returned).toBeUndefined();
    expect(outcome.err).toBeInstanceOf(BusinessError);
    expect(outcome.err?.code).toBe(401);
    expect(outcome.err?.message).toMatch(/timeUs/);
    expect(outcome.data).toBeUndefined();
  });

  it('reports 401 rather than 5400102 when both the argument and the state are wrong, as HarmonyOS does', async () => {
    const generator = await media.createAVImageGenerator();
    await expectBusinessError(generator.fetchFrameByTime(0, 9 as never, {}), 401);
  });
});

describe('fetchFrameByTime: state (5400102)', () => {
  it('fails with 5400102 when no source is set (promise form)', async () => {
    const generator = await media.createAVImageGenerator();
    await expectBusinessError(generator.fetchFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, {}), 5400102, /no source/);
  });

  it('fails with 5400102 when no source is set (callback form)', async () => {
    const generator = await media.createAVImageGenerator();
    const outcome = await viaCallback<image.PixelMap>((callback) => generator.fetchFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, {}, callback));
    expect(outcome.err?.code).toBe(5400102);
    expect(outcome.data).toBeUndefined();
  });

  it('fails with 5400102 once the source was removed by assigning undefined', async () => {
    const generator = await media.createAVImageGenerator();
    generator.dataSrc = new Uint8Array(16);
    generator.dataSrc = undefined;
    await expectBusinessError(generator.fetchFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, {}), 5400102);
  });
});

describe('fetchScaledFrameByTime: arguments and state', () => {
  const bad: Array<[string, unknown, unknown, unknown]> = [
    ['timeUs negative', -1, AV_IMAGE_QUERY_CLOSEST, undefined],
    ['timeUs NaN', Number.NaN, AV_IMAGE_QUERY_CLOSEST, undefined],
    ['queryMode 7', 0, 7, undefined],
    ['queryMode missing', 0, undefined, undefined],
    ['outputSize null', 0, AV_IMAGE_QUERY_CLOSEST, null],
    ['outputSize a number', 0, AV_IMAGE_QUERY_CLOSEST, 160],
    ['outputSize.width a string', 0, AV_IMAGE_QUERY_CLOSEST, { width: '160' }],
    ['outputSize.height NaN', 0, AV_IMAGE_QUERY_CLOSEST, { height: Number.NaN }],
  ];
  it.each(bad)('%s → 401', async (_, time, mode, size) => {
    const generator = await media.createAVImageGenerator();
    generator.dataSrc = new Uint8Array(16);
    await expectBusinessError(generator.fetchScaledFrameByTime(time as number, mode as never, size as never), 401);
  });

  it('fails with 5400102 when no source is set', async () => {
    const generator = await media.createAVImageGenerator();
    await expectBusinessError(generator.fetchScaledFrameByTime(0, AV_IMAGE_QUERY_CLOSEST), 5400102);
  });
});

describe('release', () => {
  it('promise form resolves; a second release fails with 5400102', async () => {
    const generator = await media.createAVImageGenerator();
    await expect(generator.release()).resolves.toBeUndefined();
    await expectBusinessError(generator.release(), 5400102, /already been released/);
  });

  it('callback form calls back with err undefined, then with 5400102 the second time', async () => {
    const generator = await media.createAVImageGenerator();
    const first = await viaCallback<void>((callback) => generator.release(callback));
    expect(first.returned).toBeUndefined();
    expect(first.err).toBeUndefined();
    const second = await viaCallback<void>((callback) => generator.release(callback));
    expect(second.err?.code).toBe(5400102);
  });

  it('makes every fetch fail with 5400102, and ignores sources set afterwards', async () => {
    const generator = await media.createAVImageGenerator();
    generator.dataSrc = new Uint8Array(16);
    await generator.release();
    generator.url = '/some/video.mp4';
    expect(generator.url).toBeUndefined();
    await expectBusinessError(generator.fetchFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, {}), 5400102, /released/);
    await expectBusinessError(generator.fetchScaledFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC), 5400102, /released/);
    const outcome = await viaCallback<image.PixelMap>((callback) => generator.fetchFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, {}, callback));
    expect(outcome.err?.code).toBe(5400102);
  });
});

describe.skipIf(!native)('with a video', () => {
  let video: string;
  let reference: ReferenceFrame[];
  beforeAll(() => {
    video = fixture('h264-bframes.mp4'); // 320×240, 25 fps, 4 s, a key frame every second, B-frames
    reference = referenceFrames(video);
  });

  describe('fetchFrameByTime: which frame', () => {
    const modes = [
      ['AV_IMAGE_QUERY_NEXT_SYNC', AV_IMAGE_QUERY_NEXT_SYNC, 'next-sync'],
      ['AV_IMAGE_QUERY_PREVIOUS_SYNC', AV_IMAGE_QUERY_PREVIOUS_SYNC, 'previous-sync'],
      ['AV_IMAGE_QUERY_CLOSEST_SYNC', AV_IMAGE_QUERY_CLOSEST_SYNC, 'closest-sync'],
      ['AV_IMAGE_QUERY_CLOSEST', AV_IMAGE_QUERY_CLOSEST, 'closest'],
    ] as const;
    it.each(modes)('%s at 1.3 s returns the frame native ffprobe says, with its time in frameTimeUs', async (_, option, mode) => {
      const generator = await generatorFor(video);
      const expected = expectedFrame(reference, 1_300_000, mode);
      const pixelMap = await generator.fetchFrameByTime(1_300_000, option, { width: 80, height: 60 });
      expect(pixelMap.frameTimeUs).toBe(expected.timeUs);
      expect(meanAbsDiff(await pixelsOf(pixelMap), referencePixels(video, expected.n, 80, 60))).toBeLessThan(4);
      await generator.release();
    });

    it('gives the last frame for a time past the end, and the first for time 0', async () => {
      const generator = await generatorFor(video);
      const last = await generator.fetchFrameByTime(60_000_000, AV_IMAGE_QUERY_CLOSEST, { width: 32, height: 24 });
      expect(last.frameTimeUs).toBe(reference[reference.length - 1]!.timeUs);
      const first = await generator.fetchFrameByTime(0, AV_IMAGE_QUERY_CLOSEST, { width: 32, height: 24 });
      expect(first.frameTimeUs).toBe(reference[0]!.timeUs);
      await generator.release();
    });

    it('callback form: calls back once with err undefined and the PixelMap, and returns nothing', async () => {
      const generator = await generatorFor(video);
      const outcome = await viaCallback<image.PixelMap>((callback) =>
        generator.fetchFrameByTime(2_000_000, AV_IMAGE_QUERY_PREVIOUS_SYNC, { width: 64, height: 48 }, callback),
      );
      expect(outcome.returned).toBeUndefined();
      expect(outcome.err).toBeUndefined();
      expect(outcome.calls).toBe(1);
      expect(outcome.data?.getImageInfoSync().size).toEqual({ width: 64, height: 48 });
      expect(outcome.data?.frameTimeUs).toBe(expectedFrame(reference, 2_000_000, 'previous-sync').timeUs);
      await generator.release();
    });
  });

  describe('fetchFrameByTime: size (PixelMapParams)', () => {
    const cases: Array<[string, media.PixelMapParams, number, number]> = [
      ['no width or height: the original 320×240', {}, 320, 240],
      ['160×120: used', { width: 160, height: 120 }, 160, 120],
      ['only width 160: height stays 240', { width: 160 }, 160, 240],
      ['width 400 > 320: width not scaled', { width: 400, height: 120 }, 320, 120],
      ['width 0 and height -1: not scaled', { width: 0, height: -1 }, 320, 240],
      ['fractions are truncated', { width: 100.9, height: 50.2 }, 100, 50],
    ];
    it.each(cases)('%s', async (_, param, width, height) => {
      const generator = await generatorFor(video);
      const pixelMap = await generator.fetchFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, param);
      expect(pixelMap.getImageInfoSync().size).toEqual({ width, height });
      await generator.release();
    });

    it('compares with the upright display size of a rotated video (240×320)', async () => {
      const generator = await generatorFor(fixture('portrait-h264.mp4'));
      const whole = await generator.fetchFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, {});
      expect(whole.getImageInfoSync().size).toEqual({ width: 240, height: 320 });
      const sized = await generator.fetchFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, { width: 300, height: 300 });
      expect(sized.getImageInfoSync().size).toEqual({ width: 240, height: 300 });
      await generator.release();
    });
  });

  describe('fetchFrameByTime: colorFormat', () => {
    it('lays out RGBA_8888 (default), RGB_888 and RGB_565 pixels of the same frame', async () => {
      const generator = await generatorFor(video);
      const size = { width: 64, height: 48 };
      const rgbaMap = await generator.fetchFrameByTime(1_000_000, AV_IMAGE_QUERY_CLOSEST_SYNC, size);
      const rgbMap = await generator.fetchFrameByTime(1_000_000, AV_IMAGE_QUERY_CLOSEST_SYNC, { ...size, colorFormat: media.PixelFormat.RGB_888 });
      const r565Map = await generator.fetchFrameByTime(1_000_000, AV_IMAGE_QUERY_CLOSEST_SYNC, { ...size, colorFormat: media.PixelFormat.RGB_565 });

      const layouts: Array<[image.PixelMap, number, number]> = [
        [rgbaMap, image.PixelMapFormat.RGBA_8888, 4],
        [rgbMap, image.PixelMapFormat.RGB_888, 3],
        [r565Map, image.PixelMapFormat.RGB_565, 2],
      ];
      for (const [pixelMap, format, bpp] of layouts) {
        const info = pixelMap.getImageInfoSync();
        expect(info.pixelFormat).toBe(format);
        expect(info.stride).toBe(64 * bpp);
        expect(pixelMap.getBytesNumberPerRow()).toBe(64 * bpp);
        expect(pixelMap.getPixelBytesNumber()).toBe(64 * 48 * bpp);
      }

      const rgba = await pixelsOf(rgbaMap);
      const rgb = await pixelsOf(rgbMap);
      const r565 = await pixelsOf(r565Map);
      for (let i = 0; i < 64 * 48; i++) {
        // Alpha is opaque; RGB_888 is RGBA without alpha, byte for byte.
        expect(rgba[i * 4 + 3]).toBe(255);
        expect([rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]]).toEqual([rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]]);
        // RGB_565: a little-endian word, red in the top 5 bits, green 6, blue in the low 5.
        const word = r565[i * 2]! | (r565[i * 2 + 1]! << 8);
        expect(Math.abs((word >>> 11) * (255 / 31) - rgba[i * 4]!)).toBeLessThanOrEqual(8.5);
        expect(Math.abs(((word >>> 5) & 63) * (255 / 63) - rgba[i * 4 + 1]!)).toBeLessThanOrEqual(4.5);
        expect(Math.abs((word & 31) * (255 / 31) - rgba[i * 4 + 2]!)).toBeLessThanOrEqual(8.5);
      }
      await generator.release();
    });
  });

  describe('fetchScaledFrameByTime: size (OutputSize)', () => {
    const cases: Array<[string, media.OutputSize | undefined, number, number]> = [
      ['no outputSize: the original 320×240', undefined, 320, 240],
      ['width 160: height follows, 120', { width: 160 }, 160, 120],
      ['height 60: width follows, 80', { height: 60 }, 80, 60],
      ['width -1 keeps 320, height 120 used', { width: -1, height: 120 }, 320, 120],
      ['both given: 100×100 (stretched)', { width: 100, height: 100 }, 100, 100],
      ['width 640: upscaled to 640×480', { width: 640 }, 640, 480],
    ];
    it.each(cases)('%s', async (_, outputSize, width, height) => {
      const generator = await generatorFor(video);
      const pixelMap = await generator.fetchScaledFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, outputSize);
      expect(pixelMap.getImageInfoSync()).toMatchObject({ size: { width, height }, pixelFormat: image.PixelMapFormat.RGBA_8888 });
      await generator.release();
    });

    it('follows the ratio of the upright display size of a rotated video', async () => {
      const generator = await generatorFor(fixture('portrait-h264.mp4'));
      const pixelMap = await generator.fetchScaledFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, { width: 120 });
      expect(pixelMap.getImageInfoSync().size).toEqual({ width: 120, height: 160 });
      await generator.release();
    });

    it('refuses with 401 a size beyond 128 MiB of pixels', async () => {
      const generator = await generatorFor(video);
      await expectBusinessError(generator.fetchScaledFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, { width: 100_000 }), 401, /MiB/);
      await generator.release();
    });
  });

  describe('media the engine cannot use', () => {
    it('an audio-only file → 5400106', async () => {
      const generator = await generatorFor(fixture('audio-only.m4a'));
      await expectBusinessError(generator.fetchFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, {}), 5400106);
    });

    it('garbage bytes → 5400106', async () => {
      const generator = await media.createAVImageGenerator();
      generator.dataSrc = Uint8Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) & 0xff);
      await expectBusinessError(generator.fetchScaledFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC), 5400106);
    });

    it('a file whose moov box is missing → 5400106', async () => {
      const generator = await generatorFor(fixture('moov-missing.mp4'));
      await expectBusinessError(generator.fetchFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, {}), 5400106);
    });

    it('a file cut inside its moov box → 5400103', async () => {
      const generator = await media.createAVImageGenerator();
      generator.dataSrc = new Uint8Array(readFileSync(video).subarray(0, 2000));
      await expectBusinessError(generator.fetchFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, {}), 5400103, /truncated/);
    });

    it('a truncated file: frames whose samples are present still come, the others → 5400103', async () => {
      // The first 45 % of a faststart file: moov intact, the later samples missing.
      const generator = await generatorFor(fixture('truncated.mp4'));
      const early = await generator.fetchFrameByTime(0, AV_IMAGE_QUERY_CLOSEST, { width: 32, height: 24 });
      expect(early.frameTimeUs).toBe(0);
      await expectBusinessError(generator.fetchFrameByTime(3_800_000, AV_IMAGE_QUERY_CLOSEST, {}), 5400103, /truncated/);
      // The generator keeps serving after the failure.
      expect((await generator.fetchFrameByTime(40_000, AV_IMAGE_QUERY_CLOSEST, { width: 32, height: 24 })).frameTimeUs).toBe(40_000);
      await generator.release();
    });
  });

  describe('overlapping fetches', () => {
    it('on one generator: each gets its own, right frame', async () => {
      const generator = await generatorFor(video);
      const times = [3_500_000, 120_000, 2_480_000, 1_040_000, 3_960_000, 600_000];
      const pixelMaps = await Promise.all(
        times.map((time) => generator.fetchFrameByTime(time, AV_IMAGE_QUERY_CLOSEST, { width: 80, height: 60 })),
      );
      const seen = new Set<number>();
      for (const [i, pixelMap] of pixelMaps.entries()) {
        const expected = expectedFrame(reference, times[i]!, 'closest');
        expect(pixelMap.frameTimeUs, `fetch at ${times[i]} µs`).toBe(expected.timeUs);
        expect(meanAbsDiff(await pixelsOf(pixelMap), referencePixels(video, expected.n, 80, 60))).toBeLessThan(4);
        seen.add(pixelMap.frameTimeUs);
      }
      expect(seen.size).toBe(times.length);
      await generator.release();
    });

    it('on several generators at once, with different videos and sizes', async () => {
      const rotated = fixture('portrait-h264.mp4');
      const [a, b, c] = await Promise.all([generatorFor(video), generatorFor(rotated), generatorFor(video)]);
      const [fromA, fromB, fromC] = await Promise.all([
        a!.fetchScaledFrameByTime(2_000_000, AV_IMAGE_QUERY_CLOSEST, { width: 160 }),
        b!.fetchScaledFrameByTime(1_000_000, AV_IMAGE_QUERY_CLOSEST, { width: 120 }),
        c!.fetchFrameByTime(3_000_000, AV_IMAGE_QUERY_PREVIOUS_SYNC, { width: 64, height: 64, colorFormat: media.PixelFormat.RGB_565 }),
      ]);
      expect(fromA!.getImageInfoSync().size).toEqual({ width: 160, height: 120 });
      expect(fromA!.frameTimeUs).toBe(expectedFrame(reference, 2_000_000, 'closest').timeUs);
      expect(fromB!.getImageInfoSync().size).toEqual({ width: 120, height: 160 });
      expect(fromC!.getImageInfoSync()).toMatchObject({ size: { width: 64, height: 64 }, pixelFormat: image.PixelMapFormat.RGB_565 });
      expect(fromC!.frameTimeUs).toBe(expectedFrame(reference, 3_000_000, 'previous-sync').timeUs);
      await Promise.all([a!.release(), b!.release(), c!.release()]);
    });
  });

  describe('replacing the source', () => {
    it('fetches from the new source once another one is set', async () => {
      const generator = await generatorFor(video);
      expect((await generator.fetchFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, {})).getImageInfoSync().size).toEqual({ width: 320, height: 240 });
      generator.dataSrc = readFileSync(fixture('portrait-h264.mp4'));
      expect(generator.url).toBeUndefined();
      expect(generator.dataSrc).toBeInstanceOf(Uint8Array);
      expect((await generator.fetchFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, {})).getImageInfoSync().size).toEqual({ width: 240, height: 320 });
      await generator.release();
    });

    it('lets a fetch started before the replacement finish on the old source', async () => {
      const generator = await generatorFor(video);
      const before = generator.fetchFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, {});
      generator.url = fixture('portrait-h264.mp4');
      const after = generator.fetchFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, {});
      const [fromOld, fromNew] = await Promise.all([before, after]);
      expect(fromOld.getImageInfoSync().size).toEqual({ width: 320, height: 240 });
      expect(fromNew.getImageInfoSync().size).toEqual({ width: 240, height: 320 });
      await generator.release();
    });

    it('lets a fetch started before release finish', async () => {
      const generator = await generatorFor(video);
      const fetching = generator.fetchFrameByTime(1_000_000, AV_IMAGE_QUERY_NEXT_SYNC, { width: 32, height: 24 });
      const releasing = generator.release();
      const [pixelMap] = await Promise.all([fetching, releasing]);
      expect(pixelMap.getImageInfoSync().size).toEqual({ width: 32, height: 24 });
    });
  });
});
