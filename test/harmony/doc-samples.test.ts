/**
 * The sample code of the HarmonyOS "Interface (AVImageGenerator)" reference, with only its
 * imports changed (and a source set where the samples leave it out), type-checked and run.
 * This is the promise that code written for `@kit.MediaKit` works on stillframe unchanged.
 */
import { closeSync, openSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusinessError, image, media } from '../../src/harmony/index.js';
import { fixture } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';
import { useEngine } from './helpers.js';

useEngine();

/** Resolves when `check` passes, polling: the samples report only through console output. */
async function eventually(check: () => void): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      return check();
    } catch (error) {
      if (i > 300) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('as written (no source set): the failure arrives through the callback, as 5400102', () => {
  it('fetchFrameByTime callback sample', async () => {
    let failure: BusinessError | undefined;
    let avImageGenerator: media.AVImageGenerator | undefined = undefined;
    let pixel_map: image.PixelMap | undefined = undefined;
    let timeUs: number = 0;
    let queryOption: media.AVImageQueryOptions = media.AVImageQueryOptions.AV_IMAGE_QUERY_NEXT_SYNC;
    let param: media.PixelMapParams = {
      width: 300,
      height: 300,
    };
    media.createAVImageGenerator((err: BusinessError, generator: media.AVImageGenerator) => {
      if (generator != null) {
        avImageGenerator = generator;
        avImageGenerator.fetchFrameByTime(timeUs, queryOption, param, (error: BusinessError, pixelMap) => {
          if (error) {
            failure = error;
            return;
          }
          pixel_map = pixelMap;
        });
      } else {
        console.error(`Failed to creat AVImageGenerator, error message:${err.message}`);
      }
    });
    await eventually(() => expect(failure?.code).toBe(5400102));
    expect(pixel_map).toBeUndefined();
  });
});

describe.skipIf(!requireNativeTool('ffmpeg'))('with fdSrc set', () => {
  let fd: number;
  beforeAll(() => {
    fd = openSync(fixture('h264-bframes.mp4'), 'r');
  });
  afterAll(() => closeSync(fd));

  it('fetchFrameByTime callback sample', async () => {
    let avImageGenerator: media.AVImageGenerator | undefined = undefined;
    let pixel_map: image.PixelMap | undefined = undefined;
    let timeUs: number = 0;
    let queryOption: media.AVImageQueryOptions = media.AVImageQueryOptions.AV_IMAGE_QUERY_NEXT_SYNC;
    let param: media.PixelMapParams = {
      width: 300,
      height: 300,
    };
    media.createAVImageGenerator((err: BusinessError, generator: media.AVImageGenerator) => {
      if (generator != null) {
        avImageGenerator = generator;
        avImageGenerator.fdSrc = { fd };
        avImageGenerator.fetchFrameByTime(timeUs, queryOption, param, (error: BusinessError, pixelMap) => {
          if (error) {
            console.error(`Failed to fetch FrameByTime, err = ${JSON.stringify(error)}`);
            return;
          }
          pixel_map = pixelMap;
        });
      } else {
        console.error(`Failed to creat AVImageGenerator, error message:${err.message}`);
      }
    });
    await eventually(() => expect(pixel_map).toBeDefined());
    // 300 > 240: the height is not scaled; 300 <= 320: the width is.
    expect(pixel_map!.getImageInfoSync().size).toEqual({ width: 300, height: 240 });
    await avImageGenerator!.release();
  });

  it('fetchFrameByTime promise sample', async () => {
    let avImageGenerator: media.AVImageGenerator | undefined = undefined;
    let pixel_map: image.PixelMap | undefined = undefined;
    let timeUs: number = 0;
    let queryOption: media.AVImageQueryOptions = media.AVImageQueryOptions.AV_IMAGE_QUERY_NEXT_SYNC;
    let param: media.PixelMapParams = {
      width: 300,
      height: 300,
    };
    media.createAVImageGenerator((err: BusinessError, generator: media.AVImageGenerator) => {
      if (generator != null) {
        avImageGenerator = generator;
        avImageGenerator.fdSrc = { fd, offset: 0 };
        avImageGenerator.fetchFrameByTime(timeUs, queryOption, param).then((pixelMap: image.PixelMap) => {
          pixel_map = pixelMap;
        }).catch((error: BusinessError) => {
          console.error(`Failed to fetch FrameByTime, error message:${error.message}`);
        });
      } else {
        console.error(`Failed to creat AVImageGenerator, error message:${err.message}`);
      }
    });
    await eventually(() => expect(pixel_map).toBeDefined());
    expect(pixel_map!.frameTimeUs).toBe(0);
    await avImageGenerator!.release();
  });

  it('fetchScaledFrameByTime sample', async () => {
    let avImageGenerator: media.AVImageGenerator | undefined = undefined;
    let pixel_map: image.PixelMap | undefined = undefined;
    let timeUs: number = 0;
    let queryOption: media.AVImageQueryOptions = media.AVImageQueryOptions.AV_IMAGE_QUERY_NEXT_SYNC;
    let outputSize: media.OutputSize = {
      width: 300,
      height: 300,
    };
    media.createAVImageGenerator((err: BusinessError, generator: media.AVImageGenerator) => {
      if (generator != null) {
        avImageGenerator = generator;
        avImageGenerator.fdSrc = { fd };
        avImageGenerator.fetchScaledFrameByTime(timeUs, queryOption, outputSize).then((pixelMap: image.PixelMap) => {
          pixel_map = pixelMap;
        }).catch((error: BusinessError) => {
          console.error(`Failed to fetch ScaledFrameByTime, error message:${error.message}`);
        });
      } else {
        console.error(`Failed to creat AVImageGenerator, error message:${err.message}`);
      }
    });
    await eventually(() => expect(pixel_map).toBeDefined());
    expect(pixel_map!.getImageInfoSync().size).toEqual({ width: 300, height: 300 });
    await avImageGenerator!.release();
  });

  it('release callback and promise samples', async () => {
    const released: string[] = [];
    media.createAVImageGenerator((err: BusinessError, generator: media.AVImageGenerator) => {
      if (generator != null) {
        generator.release((error: BusinessError) => {
          if (error) {
            console.error(`Failed to release, err = ${JSON.stringify(error)}`);
            return;
          }
          released.push('callback');
        });
      } else {
        console.error(`Failed to creat AVImageGenerator, error message:${err.message}`);
      }
    });
    media.createAVImageGenerator((err: BusinessError, generator: media.AVImageGenerator) => {
      if (generator != null) {
        generator.release().then(() => {
          released.push('promise');
        }).catch((error: BusinessError) => {
          console.error(`Failed to release, error message:${error.message}`);
        });
      } else {
        console.error(`Failed to creat AVImageGenerator, error message:${err.message}`);
      }
    });
    await eventually(() => expect(released.sort()).toEqual(['callback', 'promise']));
  });
});
