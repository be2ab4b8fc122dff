/**
 * Finding the fragment on screen at a point without opening the whole stream. Opening a fragment
 * costs file handles or HTTP round trips, so a point with no media (in a gap, after the end) must
 * not open every earlier fragment to prove that none still reaches it: only the last fragment to
 * start before the point, and earlier ones that may still be showing (within their catalog
 * `durationMs`, else within `overlapLookbackMs`). A fragment's catalog `durationMs` also bounds
 * where a fragment that cannot be opened gives MEDIA_ERROR.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KinesisVideoArchivedMedia } from '../../src/kinesis/archived-media.js';
import type { FragmentEntry } from '../../src/kinesis/catalog.js';
import type { Image } from '../../src/kinesis/get-images-types.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';
import { at, countingSources, decodeImage, request } from './helpers.js';

const native = requireNativeTool('ffmpeg');
const engine = createNodeRunner({ instances: 1 });
afterAll(() => engine.close());

/** 60 fragments of 2 s each (kinesis-0-2s.mp4: 50 frames at 25 fps), back to back but for a gap from 60 s to 80 s. */
const COUNT = 60;
const startOf = (i: number): number => i * 2000 + (i >= 30 ? 20_000 : 0);
/** After the last fragment, which ends at 140 s. */
const END_MS = startOf(COUNT - 1) + 2000;

/** The long stream, its sources counting opens; `durationMs` given to every fragment when asked. */
function longStream({ durationMs }: { durationMs?: number } = {}) {
  const { sources, opened } = countingSources(Array.from({ length: COUNT }, () => fixture('kinesis-0-2s.mp4')));
  const fragments: FragmentEntry[] = sources.map((source, i) => ({ source, producerStartTime: at(startOf(i)), durationMs }));
  const service = new KinesisVideoArchivedMedia({
    catalog: { streams: [{ name: 'cam-1', fragments }] },
    runner: engine,
    minSamplingIntervalMs: 1,
  });
  /** Indices of the fragments opened so far. */
  const openedIndices = () => opened.flatMap((count, i) => (count > 0 ? [i] : []));
  return { service, opened, openedIndices };
}

/** The PNG images at the given points (ms after T0), one request per point. */
async function imagesAt(service: KinesisVideoArchivedMedia, pointsMs: readonly number[]): Promise<Image[]> {
  const images: Image[] = [];
  for (const pointMs of pointsMs) {
    const { Images } = await service.getImages(request({ StartTimestamp: at(pointMs), EndTimestamp: at(pointMs), Format: 'PNG' }));
    images.push(...Images!);
  }
  return images;
}

/** `from`, `from + 1`, … `to`. */
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.skipIf(!native)('a point without media on a long stream', () => {
  it('after the end: opens the last fragment and those that started within the look-back, not all 60', async () => {
    const { service, openedIndices } = longStream();
    try {
      const pointMs = END_MS + 5000;
      expect(await imagesAt(service, [pointMs])).toEqual([{ TimeStamp: at(pointMs), Error: 'NO_MEDIA' }]);
      // 145 s: fragment 59 started at 138 s; 48–58 started within the default look-back of 30 s (116–136 s).
      expect(openedIndices()).toEqual(range(48, 59));
    } finally {
      await service.close();
    }
  });

  it('long after the end: opens only the last fragment', async () => {
    const { service, openedIndices } = longStream();
    try {
      const pointMs = END_MS + 3_600_000;
      expect(await imagesAt(service, [pointMs])).toEqual([{ TimeStamp: at(pointMs), Error: 'NO_MEDIA' }]);
      expect(openedIndices()).toEqual([COUNT - 1]);
    } finally {
      await service.close();
    }
  });

  it('in a gap: opens the fragment before the gap and those that started within the look-back', async () => {
    const { service, openedIndices } = longStream();
    try {
      expect((await imagesAt(service, [70_000]))[0]!.Error).toBe('NO_MEDIA');
      // 70 s: fragment 29 (58–60 s) is the last before the gap; 21–28 started after 40 s.
      expect(openedIndices()).toEqual(range(21, 29));
    } finally {
      await service.close();
    }
  });

  it('the spans found are remembered: asking again opens nothing more', async () => {
    const { service, opened } = longStream();
    try {
      await imagesAt(service, [70_000, END_MS + 5000]);
      const before = [...opened];
      expect(await imagesAt(service, [70_000, END_MS + 5000])).toEqual([
        { TimeStamp: at(70_000), Error: 'NO_MEDIA' },
        { TimeStamp: at(END_MS + 5000), Error: 'NO_MEDIA' },
      ]);
      expect(opened).toEqual(before);
    } finally {
      await service.close();
    }
  });

  it('with durationMs in the catalog, points without media open no fragment, and a point with media opens only its own', async () => {
    const { service, openedIndices } = longStream({ durationMs: 2000 });
    try {
      const { Images } = await service.getImages(request({ StartTimestamp: at(60_000), EndTimestamp: at(60_000 + 300_000), SamplingInterval: 10_000 }));
      // 60 s and 70 s are in the gap; 80 s … 130 s have media; 140 s and later are after the end.
      expect(Images!.map((image) => image.Error ?? 'image')).toEqual([
        'NO_MEDIA', 'NO_MEDIA', ...Array<string>(6).fill('image'), ...Array<string>(23).fill('NO_MEDIA'),
      ]);
      expect(openedIndices()).toEqual([30, 35, 40, 45, 50, 55]);
    } finally {
      await service.close();
    }
  });

  it('with durationMs in the catalog, a point exactly where a fragment ends is not looked for in it', async () => {
    const { service, openedIndices } = longStream({ durationMs: 2000 });
    try {
      // 60 s: fragment 29 (58–60 s) has ended, and the gap begins.
      expect(await imagesAt(service, [59_999, 60_000])).toEqual([
        { TimeStamp: at(59_999), ImageContent: expect.any(String) },
        { TimeStamp: at(60_000), Error: 'NO_MEDIA' },
      ]);
      expect(openedIndices()).toEqual([29]);
    } finally {
      await service.close();
    }
  });
});

describe.skipIf(!native)('overlapping fragments and the look-back', () => {
  /** A 3 s 320×240 video from 0 s, under a 2 s 160×120 one from 0.5 s: at 2.75 s only the first has media. */
  function overlapping(longDurationMs: number | undefined, overlapLookbackMs: number) {
    return new KinesisVideoArchivedMedia({
      catalog: {
        streams: [
          {
            name: 'cam-1',
            fragments: [
              { source: () => openFileSource(fixture('h264-no-bframes.mp4')), producerStartTime: at(0), durationMs: longDurationMs },
              { source: () => openFileSource(fixture('kinesis-0-2s.mp4')), producerStartTime: at(500) },
            ],
          },
        ],
      },
      runner: engine,
      minSamplingIntervalMs: 1,
      overlapLookbackMs,
    });
  }

  /** The width of the image at `pointMs`, or its error. */
  async function widthAt(service: KinesisVideoArchivedMedia, pointMs: number): Promise<number | string> {
    const [image] = await imagesAt(service, [pointMs]);
    return image!.Error ?? decodeImage(image!.ImageContent!, 'PNG').width;
  }

  it('an earlier fragment that outlasts a later one is found while it started within the look-back', async () => {
    const service = overlapping(undefined, 3000);
    try {
      expect(await widthAt(service, 2750)).toBe(320);
    } finally {
      await service.close();
    }
  });

  it('beyond the look-back it is not opened (the documented bound), unless the catalog gives its durationMs', async () => {
    const bounded = overlapping(undefined, 2000);
    const withDuration = overlapping(3000, 2000);
    try {
      expect(await widthAt(bounded, 2750)).toBe('NO_MEDIA');
      expect(await widthAt(withDuration, 2750)).toBe(320);
    } finally {
      await bounded.close();
      await withDuration.close();
    }
  });

  it('the last fragment to start before a point is always opened, whatever the look-back', async () => {
    const service = overlapping(undefined, 0);
    try {
      expect(await widthAt(service, 250)).toBe(320);
      expect(await widthAt(service, 1000)).toBe(160);
      // Past the later fragment's end, the look-back of 0 rules the earlier one out.
      expect(await widthAt(service, 2750)).toBe('NO_MEDIA');
    } finally {
      await service.close();
    }
  });

  it.each([-1, Number.NaN, '30000'])('refuses overlapLookbackMs %j', (overlapLookbackMs) => {
    expect(() => overlapping(undefined, overlapLookbackMs as number)).toThrow(RangeError);
  });
});

describe.skipIf(!native)('a fragment that cannot be opened', () => {
  const missing = () => openFileSource(join(tmpdir(), 'stillframe-no-such-fragment.mp4'));

  /** A 2 s fragment at 0 s, then a missing last fragment at 2 s with the given catalog duration. */
  function withMissingLast(durationMs: number | undefined) {
    return new KinesisVideoArchivedMedia({
      catalog: {
        streams: [
          {
            name: 'cam-1',
            fragments: [
              { source: () => openFileSource(fixture('kinesis-0-2s.mp4')), producerStartTime: at(0) },
              { source: missing, producerStartTime: at(2000), durationMs },
            ],
          },
        ],
      },
      runner: engine,
      minSamplingIntervalMs: 1,
    });
  }
  const points = request({ StartTimestamp: at(1000), EndTimestamp: at(5000), SamplingInterval: 1000, Format: 'PNG' });

  it('gives MEDIA_ERROR within its catalog durationMs and NO_MEDIA after it, where no media exists', async () => {
    const service = withMissingLast(2000);
    try {
      const { Images } = await service.getImages(points);
      expect(Images!.map((image) => image.Error ?? 'image')).toEqual(['image', 'MEDIA_ERROR', 'MEDIA_ERROR', 'NO_MEDIA', 'NO_MEDIA']);
    } finally {
      await service.close();
    }
  });

  it('without a duration, as the last fragment, gives MEDIA_ERROR at every later point: its end is unknown', async () => {
    const service = withMissingLast(undefined);
    try {
      const { Images } = await service.getImages(points);
      expect(Images!.map((image) => image.Error ?? 'image')).toEqual(['image', 'MEDIA_ERROR', 'MEDIA_ERROR', 'MEDIA_ERROR', 'MEDIA_ERROR']);
    } finally {
      await service.close();
    }
  });
});
