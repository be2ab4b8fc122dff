/**
 * Shared pieces of the GetImages specs: the base request, asserting AWS exceptions, decoding
 * returned images, a decode engine that counts its jobs, and fragment sources that count their
 * opens. (Test media: `test/helpers/fixtures.ts`.)
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { expect } from 'vitest';
import type { FFmpegJob, FFmpegRunner } from '../../src/engine/ffmpeg-runner.js';
import type { RgbaImage } from '../../src/image/rgba-image.js';
import type { ByteSourceFactory } from '../../src/kinesis/catalog.js';
import { KinesisVideoArchivedMediaError, type KinesisVideoArchivedMediaErrorName } from '../../src/kinesis/errors.js';
import type { GetImagesInput } from '../../src/kinesis/get-images-types.js';
import { openFileSource } from '../../src/sources/node-file-source.js';

/** The instant the test streams start at (producer clock). */
export const T0 = Date.parse('2026-11-21T10:00:00Z');

/** `T0 + ms` as a Date. */
export const at = (ms: number): Date => new Date(T0 + ms);

/** A valid request for `cam-1` over the first 6 s, for specs to vary one member of. */
export function request(overrides: Partial<GetImagesInput> = {}): GetImagesInput {
  return {
    StreamName: 'cam-1',
    ImageSelectorType: 'PRODUCER_TIMESTAMP',
    StartTimestamp: at(0),
    EndTimestamp: at(6000),
    SamplingInterval: 3000,
    Format: 'JPEG',
    ...overrides,
  };
}

/**
 * Asserts that `promise` rejects with the GetImages exception `name`, HTTP status `status`, and a
 * message matching `message`; returns the error.
 */
export async function expectAwsError(
  promise: Promise<unknown>,
  name: KinesisVideoArchivedMediaErrorName,
  status: number,
  message: RegExp,
): Promise<KinesisVideoArchivedMediaError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected ${name}, but it resolved with ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KinesisVideoArchivedMediaError);
  expect(error).toMatchObject({ name, $httpStatus: status, $fault: 'client', message: expect.stringMatching(message) });
  return error as KinesisVideoArchivedMediaError;
}

/** Decodes an `ImageContent` (base64 JPEG or PNG) to RGBA. */
export function decodeImage(content: string, format: 'JPEG' | 'PNG'): RgbaImage {
  const bytes = Buffer.from(content, 'base64');
  if (format === 'JPEG') {
    expect([...bytes.subarray(0, 3)], 'JPEG SOI marker').toEqual([0xff, 0xd8, 0xff]);
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { width: image.width, height: image.height, data: image.data };
  }
  expect(bytes.subarray(1, 4).toString('latin1'), 'PNG signature').toBe('PNG');
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) };
}

/** A runner that forwards to `inner` and counts the ffmpeg jobs (one job = one decode pass). */
export interface CountingRunner extends FFmpegRunner {
  readonly jobs: FFmpegJob[];
}

/** Wraps `inner` so that every decode pass is recorded. */
export function countingRunner(inner: FFmpegRunner): CountingRunner {
  const jobs: FFmpegJob[] = [];
  return {
    jobs,
    run(job) {
      jobs.push(job);
      return inner.run(job);
    },
    close: () => inner.close(),
  };
}

/** Catalog sources for files, and how often each has been opened and closed so far. */
export interface CountingSources {
  /** One factory per file, in the order given: use them as the fragments' `source`. */
  readonly sources: ByteSourceFactory[];
  readonly opened: number[];
  readonly closed: number[];
}

/** Sources for `paths` (one per fragment; a path may repeat) that count their opens and closes. */
export function countingSources(paths: readonly string[]): CountingSources {
  const opened = paths.map(() => 0);
  const closed = paths.map(() => 0);
  const sources = paths.map((path, i): ByteSourceFactory => async () => {
    opened[i]!++;
    const source = await openFileSource(path);
    return {
      size: source.size,
      read: (offset, length) => source.read(offset, length),
      close: () => {
        closed[i]!++;
        return source.close();
      },
    };
  });
  return { sources, opened, closed };
}
