/**
 * GetImages over real media: a stream of three 2 s fragments of one continuous testsrc2 picture
 * (0–2 s moov-first MP4, 2–4 s fragmented MP4, 6–8 s moov-at-end MP4) with a gap from 4 s to 6 s.
 *
 * Each image must be the frame on screen at its point — the last frame presented at or before it,
 * while it is still showing — checked by pixels against native ffmpeg's decode of that frame
 * (and against its neighbours, so that a neighbouring frame cannot pass); NO_MEDIA exactly where
 * no fragment has media; MEDIA_ERROR where the media cannot give an image; each GOP decoded at
 * most once per page.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../src/image/rgba-image.js';
import { KinesisVideoArchivedMedia } from '../../src/kinesis/archived-media.js';
import { loadCatalogFile } from '../../src/kinesis/catalog-file.js';
import type { Catalog, FragmentEntry } from '../../src/kinesis/catalog.js';
import { withFragmentTagTimes } from '../../src/kinesis/fragment-tags.js';
import type { GetImagesInput, Image } from '../../src/kinesis/get-images-types.js';
import { MAX_IMAGE_CONTENT_CHARS } from '../../src/kinesis/image-content.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture, type FixtureName } from '../helpers/fixtures.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { ffmpeg, ffprobe, requireNativeTool } from '../helpers/native.js';
import { meanAbsDiff, referenceFrames, referencePixels, type ReferenceFrame } from '../helpers/reference.js';
import { at, countingRunner, countingSources, decodeImage, T0 } from './helpers.js';

const native = requireNativeTool('ffmpeg') && requireNativeTool('ffprobe');
const engine = createNodeRunner({ instances: 2 });
afterAll(() => engine.close());

/** A fragment of a test stream: a fixture file starting `startMs` after T0 (server clock: + `serverDelayMs`). */
interface TestFragment {
  readonly file: FixtureName;
  readonly startMs: number;
}

/** cam-1: 0–2 s, 2–4 s, (gap), 6–8 s; the server received each fragment 500 ms after the producer made it. */
const CAM_1: readonly TestFragment[] = [
  { file: 'kinesis-0-2s.mp4', startMs: 0 },
  { file: 'kinesis-2-4s-fragmented.mp4', startMs: 2000 },
  { file: 'kinesis-6-8s.mp4', startMs: 6000 },
];
const SERVER_DELAY_MS = 500;

function entry({ file, startMs }: TestFragment, serverDelayMs = SERVER_DELAY_MS): FragmentEntry {
  return { source: () => openFileSource(fixture(file)), producerStartTime: at(startMs), serverStartTime: at(startMs + serverDelayMs) };
}

/** The service every spec shares (its opened fragments are reused from spec to spec, as in a server). */
let kvam: KinesisVideoArchivedMedia;
beforeAll(() => {
  if (!native) return;
  kvam = new KinesisVideoArchivedMedia({
    catalog: { streams: [{ name: 'cam-1', fragments: CAM_1.map((f) => entry(f)) }] },
    runner: engine,
    minSamplingIntervalMs: 1,
  });
});
afterAll(() => kvam?.close());

const referenceCache = new Map<FixtureName, ReferenceFrame[]>();
/** Native ffprobe's presented frames of a fixture. */
function framesOf(file: FixtureName): ReferenceFrame[] {
  let frames = referenceCache.get(file);
  if (!frames) {
    frames = referenceFrames(fixture(file));
    referenceCache.set(file, frames);
  }
  return frames;
}

/** What the spec expects at a point: the fragment and frame on screen (by native ffprobe's times), or nothing. */
function expectedAt(fragments: readonly TestFragment[], pointMs: number): { file: FixtureName; frame: ReferenceFrame } | undefined {
  for (const fragment of [...fragments].reverse()) {
    if (pointMs < fragment.startMs) continue;
    const frames = framesOf(fragment.file);
    const mediaUs = (pointMs - fragment.startMs) * 1000 + frames[0]!.timeUs;
    const frame = [...frames].reverse().find((f) => f.timeUs <= mediaUs);
    const last = frames[frames.length - 1]!;
    // testsrc2 at 25 fps: the last frame shows for 40 ms.
    if (frame && mediaUs < last.timeUs + 40_000) return { file: fragment.file, frame };
  }
  return undefined;
}

/**
 * Colour tolerance against native ffmpeg's conversion: at 160×120, testsrc2's sharp edges make the
 * core's own YUV→RGB differ by 4.4–4.9 on average (neighbouring frames differ by 7–10), so the
 * decisive check is that the image is closer to its frame than to either neighbour.
 */
const PNG_TOLERANCE = 6;
/** JPEG adds its own loss. */
const JPEG_TOLERANCE = 8;

/** Asserts that `image` shows presented frame `frame` of `file` (pixels, and not a neighbour's). */
function expectShows(image: RgbaImage, file: FixtureName, frame: ReferenceFrame, tolerance: number, where: string): void {
  const path = fixture(file);
  const diff = meanAbsDiff(image.data, referencePixels(path, frame.n, image.width, image.height));
  expect(diff, `${where}: differs from frame ${frame.n} of ${file}`).toBeLessThan(tolerance);
  for (const neighbour of [frame.n - 1, frame.n + 1]) {
    if (neighbour < 0 || neighbour >= framesOf(file).length) continue;
    const other = meanAbsDiff(image.data, referencePixels(path, neighbour, image.width, image.height));
    expect(diff, `${where}: closer to neighbour ${neighbour} of ${file}`).toBeLessThan(other);
  }
}

const base = (overrides: Partial<GetImagesInput>): GetImagesInput => ({
  StreamName: 'cam-1',
  ImageSelectorType: 'PRODUCER_TIMESTAMP',
  StartTimestamp: at(0),
  EndTimestamp: at(0),
  SamplingInterval: 3000,
  Format: 'PNG',
  ...overrides,
});

/** The single image at one point. */
async function imageAt(pointMs: number, overrides: Partial<GetImagesInput> = {}, service = kvam): Promise<Image> {
  const { Images } = await service.getImages(base({ StartTimestamp: at(pointMs), EndTimestamp: at(pointMs), ...overrides }));
  expect(Images).toHaveLength(1);
  expect(Images![0]!.TimeStamp).toEqual(at(pointMs));
  return Images![0]!;
}

describe.skipIf(!native)('a multi-fragment stream with a gap', () => {
  it('the full listing through paginateGetImages has every point, images where there is media, NO_MEDIA exactly elsewhere', async () => {
    const images: Image[] = [];
    let pages = 0;
    for await (const page of kvam.paginateGetImages(
      base({ StartTimestamp: at(-1000), EndTimestamp: at(9000), SamplingInterval: 250, MaxResults: 7 }),
    )) {
      pages++;
      expect(page.Images!.length).toBeLessThanOrEqual(7);
      images.push(...page.Images!);
    }
    const points = Array.from({ length: 41 }, (_, i) => -1000 + i * 250);
    expect(pages).toBe(6);
    expect(images.map((image) => image.TimeStamp!.getTime() - T0)).toEqual(points);
    const noMedia = points.filter((p) => p < 0 || (p >= 4000 && p < 6000) || p >= 8000);
    expect(points.filter((_, i) => images[i]!.Error === 'NO_MEDIA')).toEqual(noMedia);
    points.forEach((pointMs, i) => {
      const image = images[i]!;
      const expected = expectedAt(CAM_1, pointMs);
      if (!expected) {
        expect(image, `${pointMs} ms`).toEqual({ TimeStamp: at(pointMs), Error: 'NO_MEDIA' });
        return;
      }
      expect(image.Error, `${pointMs} ms`).toBeUndefined();
      const decoded = decodeImage(image.ImageContent!, 'PNG');
      expect([decoded.width, decoded.height], `${pointMs} ms: natural size`).toEqual([160, 120]);
      expectShows(decoded, expected.file, expected.frame, PNG_TOLERANCE, `${pointMs} ms`);
    });
  });

  it('JPEG images decode to the asked size (stretched) and show the right frame', async () => {
    const { Images } = await kvam.getImages(
      base({ Format: 'JPEG', StartTimestamp: at(1500), EndTimestamp: at(6500), SamplingInterval: 2500, WidthPixels: 96, HeightPixels: 200 }),
    );
    expect(Images!.map((image) => image.Error)).toEqual([undefined, 'NO_MEDIA', undefined]);
    for (const [i, pointMs] of [[0, 1500], [2, 6500]] as const) {
      const decoded = decodeImage(Images![i]!.ImageContent!, 'JPEG');
      expect([decoded.width, decoded.height]).toEqual([96, 200]);
      const expected = expectedAt(CAM_1, pointMs)!;
      expectShows(decoded, expected.file, expected.frame, JPEG_TOLERANCE, `JPEG ${pointMs} ms`);
    }
  });

  it('PNG images decode to the asked size and show the right frame', async () => {
    const image = await imageAt(3020, { WidthPixels: 200, HeightPixels: 50 });
    const decoded = decodeImage(image.ImageContent!, 'PNG');
    expect([decoded.width, decoded.height]).toEqual([200, 50]);
    const expected = expectedAt(CAM_1, 3020)!;
    expect(expected.file).toBe('kinesis-2-4s-fragmented.mp4');
    expectShows(decoded, expected.file, expected.frame, PNG_TOLERANCE, 'PNG 3020 ms');
  });

  it('HeightPixels alone keeps the display aspect ratio; neither keeps the natural size', async () => {
    const tall = decodeImage((await imageAt(500, { HeightPixels: 90 })).ImageContent!, 'PNG');
    expect([tall.width, tall.height]).toEqual([120, 90]);
    const odd = decodeImage((await imageAt(500, { HeightPixels: 7, Format: 'JPEG' })).ImageContent!, 'JPEG');
    expect([odd.width, odd.height]).toEqual([9, 7]);
    const natural = decodeImage((await imageAt(500)).ImageContent!, 'PNG');
    expect([natural.width, natural.height]).toEqual([160, 120]);
  });

  it('JPEGQuality changes the JPEG (a smaller file at quality 10 than at 95)', async () => {
    const low = await imageAt(700, { Format: 'JPEG', FormatConfig: { JPEGQuality: '10' } });
    const high = await imageAt(700, { Format: 'JPEG', FormatConfig: { JPEGQuality: '95' } });
    const byDefault = await imageAt(700, { Format: 'JPEG' });
    const eighty = await imageAt(700, { Format: 'JPEG', FormatConfig: { JPEGQuality: '80' } });
    expect(low.ImageContent!.length).toBeLessThan(high.ImageContent!.length);
    expect(byDefault.ImageContent).toBe(eighty.ImageContent);
  });

  it.each([
    [0, 'the first frame of the first fragment'],
    [1960, 'the start of the last frame of a fragment'],
    [1999, 'the last millisecond of a fragment'],
    [2000, 'the first millisecond of the next fragment'],
    [3999, 'the last millisecond before the gap'],
    [6000, 'the first millisecond after the gap'],
    [7999, 'the last millisecond of the stream'],
  ])('a point at %i ms (%s) gets the frame on screen', async (pointMs) => {
    const image = await imageAt(pointMs);
    const expected = expectedAt(CAM_1, pointMs)!;
    expect(image.Error).toBeUndefined();
    expectShows(decodeImage(image.ImageContent!, 'PNG'), expected.file, expected.frame, PNG_TOLERANCE, `${pointMs} ms`);
  });

  it.each([[-1], [4000], [5999], [8000]])('a point at %i ms, where no fragment has media, is NO_MEDIA', async (pointMs) => {
    expect(await imageAt(pointMs)).toEqual({ TimeStamp: at(pointMs), Error: 'NO_MEDIA' });
  });

  it('on frame boundaries: 39 ms shows frame 0, 40 ms frame 1', async () => {
    const { Images } = await kvam.getImages(base({ StartTimestamp: at(39), EndTimestamp: at(41), SamplingInterval: 1 }));
    expect(Images).toHaveLength(3);
    const [before, on, after] = Images!.map((image) => image.ImageContent!);
    expect(on).not.toBe(before);
    expect(after).toBe(on);
    expectShows(decodeImage(before!, 'PNG'), 'kinesis-0-2s.mp4', framesOf('kinesis-0-2s.mp4')[0]!, PNG_TOLERANCE, '39 ms');
    expectShows(decodeImage(on!, 'PNG'), 'kinesis-0-2s.mp4', framesOf('kinesis-0-2s.mp4')[1]!, PNG_TOLERANCE, '40 ms');
  });

  it('epoch-second timestamps (as the SDK sends them) land on the same milliseconds', async () => {
    // 1763719201.999 * 1000 is not exactly an integer in floating point.
    const seconds = (T0 + 1999) / 1000;
    const { Images } = await kvam.getImages(base({ StartTimestamp: seconds, EndTimestamp: seconds + 0.001, SamplingInterval: 1 }));
    expect(Images!.map((image) => image.TimeStamp!.getTime() - T0)).toEqual([1999, 2000]);
    expectShows(decodeImage(Images![0]!.ImageContent!, 'PNG'), 'kinesis-0-2s.mp4', framesOf('kinesis-0-2s.mp4')[49]!, PNG_TOLERANCE, '1999 ms');
    expectShows(decodeImage(Images![1]!.ImageContent!, 'PNG'), 'kinesis-2-4s-fragmented.mp4', framesOf('kinesis-2-4s-fragmented.mp4')[0]!, PNG_TOLERANCE, '2000 ms');
  });
});

describe.skipIf(!native)('ImageSelectorType', () => {
  it('PRODUCER_TIMESTAMP places fragments by producer time, SERVER_TIMESTAMP by server time', async () => {
    // The server received every fragment 500 ms after the producer time.
    const producer = await imageAt(1000, { ImageSelectorType: 'PRODUCER_TIMESTAMP' });
    const server = await imageAt(1500, { ImageSelectorType: 'SERVER_TIMESTAMP' });
    expect(server.ImageContent).toBe(producer.ImageContent);
    expectShows(decodeImage(server.ImageContent!, 'PNG'), 'kinesis-0-2s.mp4', framesOf('kinesis-0-2s.mp4')[25]!, PNG_TOLERANCE, 'server 1500 ms');
    // Before the first server time there is nothing yet; the gap moves by 500 ms.
    expect((await imageAt(200, { ImageSelectorType: 'SERVER_TIMESTAMP' })).Error).toBe('NO_MEDIA');
    expect((await imageAt(200, { ImageSelectorType: 'PRODUCER_TIMESTAMP' })).Error).toBeUndefined();
    expect((await imageAt(4200, { ImageSelectorType: 'SERVER_TIMESTAMP' })).Error).toBeUndefined();
    expect((await imageAt(4200, { ImageSelectorType: 'PRODUCER_TIMESTAMP' })).Error).toBe('NO_MEDIA');
  });
});

describe.skipIf(!native)('media that cannot give an image', () => {
  it('an audio-only fragment gives MEDIA_ERROR over its time; the other fragments still give images', async () => {
    const service = new KinesisVideoArchivedMedia({
      catalog: {
        streams: [
          {
            name: 'cam-1',
            fragments: [
              entry({ file: 'kinesis-0-2s.mp4', startMs: 0 }),
              entry({ file: 'audio-only.m4a', startMs: 2000 }),
              entry({ file: 'kinesis-6-8s.mp4', startMs: 4000 }),
            ],
          },
        ],
      },
      runner: engine,
      minSamplingIntervalMs: 1,
    });
    try {
      const { Images } = await service.getImages(base({ StartTimestamp: at(1000), EndTimestamp: at(5000), SamplingInterval: 1000 }));
      expect(Images!.map((image) => image.Error ?? 'image')).toEqual(['image', 'MEDIA_ERROR', 'MEDIA_ERROR', 'image', 'image']);
    } finally {
      await service.close();
    }
  });

  it('a truncated fragment gives MEDIA_ERROR where its frames are missing and images for the rest', async () => {
    const truncated = fixture('kinesis-0-2s-truncated.mp4');
    const length = readFileSync(truncated).length;
    // Independently of stillframe: which frames' packets native ffprobe places wholly inside the cut.
    const packets = ffprobe(['-select_streams', 'v:0', '-show_entries', 'packet=pts_time,pos,size', '-of', 'csv=p=0', fixture('kinesis-0-2s.mp4')])
      .trim()
      .split('\n')
      .map((line) => line.split(','))
      .map(([pts, size, pos]) => ({ timeUs: Math.round(Number(pts) * 1e6), end: Number(pos) + Number(size) }));
    const present = new Set(packets.filter((p) => p.end <= length).map((p) => p.timeUs));
    expect(present.size, 'the cut keeps some frames and loses others').toBeGreaterThan(5);
    expect(present.size).toBeLessThan(45);

    const service = new KinesisVideoArchivedMedia({
      catalog: { streams: [{ name: 'cam-1', fragments: [{ source: () => openFileSource(truncated), producerStartTime: at(0) }] }] },
      runner: engine,
      minSamplingIntervalMs: 1,
    });
    try {
      const { Images } = await service.getImages(base({ StartTimestamp: at(0), EndTimestamp: at(1960), SamplingInterval: 40 }));
      expect(Images).toHaveLength(50);
      Images!.forEach((image, n) => {
        const frame = framesOf('kinesis-0-2s.mp4')[n]!;
        if (present.has(frame.timeUs)) {
          expect(image.Error, `frame ${n}`).toBeUndefined();
          expectShows(decodeImage(image.ImageContent!, 'PNG'), 'kinesis-0-2s.mp4', frame, PNG_TOLERANCE, `truncated frame ${n}`);
        } else {
          expect(image, `frame ${n}`).toEqual({ TimeStamp: at(n * 40), Error: 'MEDIA_ERROR' });
        }
      });
    } finally {
      await service.close();
    }
  });

  it('a missing file gives MEDIA_ERROR until the next fragment starts', async () => {
    const service = new KinesisVideoArchivedMedia({
      catalog: {
        streams: [
          {
            name: 'cam-1',
            fragments: [
              { source: () => openFileSource(join(tmpdir(), 'stillframe-no-such-file.mp4')), producerStartTime: at(0) },
              entry({ file: 'kinesis-2-4s-fragmented.mp4', startMs: 2000 }),
            ],
          },
        ],
      },
      runner: engine,
      minSamplingIntervalMs: 1,
    });
    try {
      const { Images } = await service.getImages(base({ StartTimestamp: at(-500), EndTimestamp: at(2500), SamplingInterval: 1000 }));
      expect(Images!.map((image) => image.Error ?? 'image')).toEqual(['NO_MEDIA', 'MEDIA_ERROR', 'MEDIA_ERROR', 'image']);
    } finally {
      await service.close();
    }
  });
});

describe.skipIf(!native)('images over the 6 MiB ImageContent limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stillframe-kinesis-noise-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let service: KinesisVideoArchivedMedia;
  beforeAll(() => {
    // Noise in every channel: no encoder can make a 3840×2160 picture of it small. Two frames
    // (80 ms), kept almost lossless so the decoded picture is still noise.
    const noise = join(dir, 'noise.mp4');
    ffmpeg([
      '-f', 'lavfi', '-i', "nullsrc=s=1280x720:r=25,geq=lum='random(1)*255':cb='random(2)*255':cr='random(3)*255'",
      '-frames:v', '2', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '1', '-pix_fmt', 'yuv420p', noise,
    ]);
    service = new KinesisVideoArchivedMedia({
      catalog: {
        streams: [
          {
            name: 'cam-1',
            fragments: [entry({ file: 'h264-no-bframes.mp4', startMs: 0 }), { source: () => openFileSource(noise), producerStartTime: at(3000) }],
          },
        ],
      },
      runner: engine,
      minSamplingIntervalMs: 1,
    });
  });
  afterAll(() => service?.close());

  /** 1 s shows the test picture, 3 s the noise. */
  const points = { StartTimestamp: at(1000), EndTimestamp: at(3000), SamplingInterval: 2000 };

  it.each([
    ['JPEG', { Format: 'JPEG', FormatConfig: { JPEGQuality: '100' } }],
    ['PNG', { Format: 'PNG' }],
  ] as const)('%s: the noise at 3840×2160 is MEDIA_ERROR; the other point, and the noise at a smaller size, are images', async (format, asked) => {
    const large = await service.getImages(base({ ...points, ...asked, WidthPixels: 3840, HeightPixels: 2160 }));
    expect(large.Images!.map((image) => image.Error ?? 'image')).toEqual(['image', 'MEDIA_ERROR']);
    expect(large.Images![1]!.ImageContent).toBeUndefined();
    const picture = large.Images![0]!.ImageContent!;
    expect(picture.length).toBeLessThanOrEqual(MAX_IMAGE_CONTENT_CHARS);
    const decoded = decodeImage(picture, format);
    expect([decoded.width, decoded.height]).toEqual([3840, 2160]);

    // The same frame fits at a smaller size: the limit, not the media, made the error.
    const small = await service.getImages(base({ ...points, ...asked, HeightPixels: 360 }));
    expect(small.Images!.map((image) => image.Error ?? 'image')).toEqual(['image', 'image']);
  });
});

describe.skipIf(!native)('display geometry: sizes are those of the upright picture at its display aspect ratio', () => {
  let service: KinesisVideoArchivedMedia;
  beforeAll(() => {
    service = new KinesisVideoArchivedMedia({
      catalog: {
        streams: [
          // Streams named after their file. 320×240 coded, a quarter turn in the track matrix: shown 240×320.
          { name: 'rotated-90.mp4', fragments: [entry({ file: 'rotated-90.mp4', startMs: 0 })] },
          // 320×240 coded with 2:1 pixels: shown 640×240.
          { name: 'anamorphic.mp4', fragments: [entry({ file: 'anamorphic.mp4', startMs: 0 })] },
        ],
      },
      runner: engine,
      minSamplingIntervalMs: 1,
    });
  });
  afterAll(() => service?.close());

  it.each([
    ['rotated-90.mp4', 'neither size: the natural size', {}, [240, 320]],
    ['rotated-90.mp4', 'HeightPixels alone: the display aspect ratio', { HeightPixels: 100 }, [75, 100]],
    ['anamorphic.mp4', 'neither size: the natural size', {}, [640, 240]],
    ['anamorphic.mp4', 'HeightPixels alone: the display aspect ratio', { HeightPixels: 100 }, [267, 100]],
  ] as const)('%s, %s, is %j and shows the upright frame', async (file, _, size, [width, height]) => {
    const image = await imageAt(1000, { StreamName: file, ...size }, service);
    const decoded = decodeImage(image.ImageContent!, 'PNG');
    expect([decoded.width, decoded.height]).toEqual([width, height]);
    // Native ffmpeg's frame, turned upright and at the display aspect ratio.
    expectShows(decoded, file, framesOf(file)[25]!, PNG_TOLERANCE, `${file} at 1000 ms`);
  });
});

describe.skipIf(!native)('Matroska fragments, as Kinesis Video Streams stores them', () => {
  it('give the very images the same fragments give as MP4', async () => {
    const mkv: TestFragment[] = [
      { file: 'kinesis-0-2s.mkv', startMs: 0 },
      { file: 'kinesis-2-4s.mkv', startMs: 2000 },
      { file: 'kinesis-6-8s.mkv', startMs: 6000 },
    ];
    const service = new KinesisVideoArchivedMedia({
      catalog: { streams: [{ name: 'cam-1', fragments: mkv.map((f) => entry(f)) }] },
      runner: engine,
      minSamplingIntervalMs: 1,
    });
    try {
      const input = base({ StartTimestamp: at(0), EndTimestamp: at(8400), SamplingInterval: 700, MaxResults: 100 });
      const fromMkv = (await service.getImages(input)).Images!;
      const fromMp4 = (await kvam.getImages(input)).Images!;
      expect(fromMkv.filter((image) => image.ImageContent).length).toBeGreaterThan(8);
      expect(fromMkv).toEqual(fromMp4);
    } finally {
      await service.close();
    }
  });

  it('indexed from their Cues a few segments at a time: a point whose segments cannot be read is MEDIA_ERROR, the others are images', async () => {
    const service = new KinesisVideoArchivedMedia({
      catalog: { streams: [{ name: 'cam-1', fragments: [{ source: () => openFileSource(fixture('cues-broken.mkv')), producerStartTime: at(0) }] }] },
      runner: engine,
      minSamplingIntervalMs: 1,
    });
    try {
      // The Cues place the segment at 4 s one byte off a Cluster: 5.5 s is read from there.
      const { Images } = await service.getImages(base({ StartTimestamp: at(1000), EndTimestamp: at(10_000), SamplingInterval: 4500, Format: 'PNG', WidthPixels: 80, HeightPixels: 60 }));
      expect(Images!.map((image) => image.Error ?? 'image')).toEqual(['image', 'MEDIA_ERROR', 'image']);
    } finally {
      await service.close();
    }
  });

  it('as GetMedia returns them (epoch timecodes, the service tags), need no times in the catalog: the tags give them', async () => {
    const tagged: FixtureName[] = ['kvs-fragment-0s.mkv', 'kvs-fragment-2s.mkv', 'kvs-fragment-6s.mkv'];
    const catalog = await withFragmentTagTimes({ streams: [{ name: 'cam-1', fragments: tagged.map((file) => ({ source: () => openFileSource(fixture(file)) })) }] });
    // The fixtures' tags: producer T0 + 0, 2, 6 s; server 1.25 s later.
    expect(catalog.streams[0]!.fragments.map((f) => [f.producerStartTime, f.serverStartTime])).toEqual(
      [0, 2000, 6000].map((ms) => [at(ms), at(ms + 1250)]),
    );
    const fromTags = new KinesisVideoArchivedMedia({ catalog, runner: engine, minSamplingIntervalMs: 1 });
    const explicit = new KinesisVideoArchivedMedia({
      catalog: { streams: [{ name: 'cam-1', fragments: ['kinesis-0-2s.mkv', 'kinesis-2-4s.mkv', 'kinesis-6-8s.mkv'].map((file, i) => entry({ file: file as FixtureName, startMs: [0, 2000, 6000][i]! }, 1250)) }] },
      runner: engine,
      minSamplingIntervalMs: 1,
    });
    try {
      for (const ImageSelectorType of ['PRODUCER_TIMESTAMP', 'SERVER_TIMESTAMP'] as const) {
        const input = base({ ImageSelectorType, StartTimestamp: at(0), EndTimestamp: at(10_000), SamplingInterval: 700, MaxResults: 100 });
        const images = (await fromTags.getImages(input)).Images!;
        expect(images.filter((image) => image.ImageContent).length, ImageSelectorType).toBeGreaterThan(8);
        expect(images, ImageSelectorType).toEqual((await explicit.getImages(input)).Images);
      }
    } finally {
      await fromTags.close();
      await explicit.close();
    }
  });
});

describe.skipIf(!native)('overlapping fragments', () => {
  it('the latest-starting fragment wins, and an earlier one still gives media where the later one does not reach', async () => {
    // A 3 s 320×240 video from 0 s, and a 2 s 160×120 one from 0.5 s: the size tells which gave the image.
    const service = new KinesisVideoArchivedMedia({
      catalog: {
        streams: [{ name: 'cam-1', fragments: [entry({ file: 'h264-no-bframes.mp4', startMs: 0 }), entry({ file: 'kinesis-0-2s.mp4', startMs: 500 })] }],
      },
      runner: engine,
      minSamplingIntervalMs: 1,
    });
    try {
      const { Images } = await service.getImages(base({ StartTimestamp: at(250), EndTimestamp: at(3250), SamplingInterval: 500 }));
      const widths = Images!.map((image) => (image.Error ? image.Error : decodeImage(image.ImageContent!, 'PNG').width));
      // 250: only the long one; 750–2250: the later one; 2750: past the later one's end, the long one; 3250: nothing.
      expect(widths).toEqual([320, 160, 160, 160, 160, 320, 'NO_MEDIA']);
    } finally {
      await service.close();
    }
  });
});

describe.skipIf(!native)('efficiency', () => {
  async function countJobs(input: GetImagesInput): Promise<{ jobs: number; images: Image[] }> {
    const runner = countingRunner(engine);
    const service = new KinesisVideoArchivedMedia({
      catalog: { streams: [{ name: 'cam-1', fragments: CAM_1.map((f) => entry(f)) }] },
      runner,
      minSamplingIntervalMs: 1,
    });
    try {
      const { Images } = await service.getImages(input);
      return { jobs: runner.jobs.length, images: Images! };
    } finally {
      await service.close();
    }
  }

  it('25 points in one GOP cost one decode', async () => {
    const { jobs, images } = await countJobs(base({ StartTimestamp: at(0), EndTimestamp: at(960), SamplingInterval: 40 }));
    expect(images.filter((image) => image.ImageContent)).toHaveLength(25);
    expect(new Set(images.map((image) => image.ImageContent)).size).toBe(25);
    expect(jobs).toBe(1);
  });

  it('points showing the same frame share its decode and its image', async () => {
    const { jobs, images } = await countJobs(base({ StartTimestamp: at(0), EndTimestamp: at(39), SamplingInterval: 13 }));
    expect(images).toHaveLength(4);
    expect(new Set(images.map((image) => image.ImageContent)).size).toBe(1);
    expect(images[0]!.ImageContent).toBeDefined();
    expect(jobs).toBe(1);
  });

  it('a page over three GOPs of two fragments costs three decodes', async () => {
    // 500, 750 (GOP 0 of the first fragment); 1000–1750 (its GOP 1); 2000–2500 (GOP 0 of the second).
    const { jobs, images } = await countJobs(base({ StartTimestamp: at(500), EndTimestamp: at(2500), SamplingInterval: 250 }));
    expect(images.every((image) => image.ImageContent)).toBe(true);
    expect(jobs).toBe(3);
  });
});

describe.skipIf(!native)('opened fragments', () => {
  /** cam-1 whose sources count how often each fragment is opened and closed. */
  function countingService(maxOpenFragments?: number) {
    const { sources, opened, closed } = countingSources(CAM_1.map((fragment) => fixture(fragment.file)));
    const service = new KinesisVideoArchivedMedia({
      catalog: { streams: [{ name: 'cam-1', fragments: CAM_1.map((fragment, i) => ({ ...entry(fragment), source: sources[i]! })) }] },
      runner: engine,
      minSamplingIntervalMs: 1,
      maxOpenFragments,
    });
    return { service, opened, closed };
  }

  it('are opened lazily, only when a point needs them, and reused by later calls', async () => {
    const { service, opened, closed } = countingService();
    try {
      await service.getImages(base({ StartTimestamp: at(6500), EndTimestamp: at(7500), SamplingInterval: 500 }));
      expect(opened).toEqual([0, 0, 1]);
      await service.getImages(base({ StartTimestamp: at(1000), EndTimestamp: at(7000), SamplingInterval: 6000 }));
      expect(opened).toEqual([1, 0, 1]);
      // A point in the gap needs to know that no earlier fragment reaches it.
      await service.getImages(base({ StartTimestamp: at(5000), EndTimestamp: at(5000) }));
      expect(opened).toEqual([1, 1, 1]);
      await service.getImages(base({ StartTimestamp: at(0), EndTimestamp: at(8000), SamplingInterval: 1000 }));
      expect(opened).toEqual([1, 1, 1]);
      expect(closed).toEqual([0, 0, 0]);
    } finally {
      await service.close();
    }
    expect(closed).toEqual([1, 1, 1]);
  });

  it('are kept open up to a bound: beyond it the least recently used idle one is closed', async () => {
    const { service, opened, closed } = countingService(1);
    try {
      const all = base({ StartTimestamp: at(1000), EndTimestamp: at(6000), SamplingInterval: 2500 });
      const first = await service.getImages(all);
      expect(first.Images!.map((image) => image.Error ?? 'image')).toEqual(['image', 'image', 'image']);
      expect(opened).toEqual([1, 1, 1]);
      expect(closed.reduce((a, b) => a + b)).toBe(2);
      const again = await service.getImages(all);
      expect(again.Images!.map((image) => image.ImageContent)).toEqual(first.Images!.map((image) => image.ImageContent));
    } finally {
      await service.close();
    }
    expect(opened.map((count, i) => count - closed[i]!)).toEqual([0, 0, 0]);
  });
});

describe.skipIf(!native)('sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stillframe-kinesis-'));
  let server: TestServer | undefined;
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server?.close();
  });

  it('a catalog file with sources relative to it, and a fragment over HTTP', async () => {
    mkdirSync(join(dir, 'cam-1'));
    copyFileSync(fixture('kinesis-0-2s.mp4'), join(dir, 'cam-1', '000.mp4'));
    server = await startServer({ body: readFileSync(fixture('kinesis-2-4s-fragmented.mp4')), mode: 'ranges' });
    const catalogJson: Catalog = {
      streams: [
        {
          name: 'cam-1',
          arn: 'arn:aws:kinesisvideo:eu-west-1:123456789012:stream/cam-1/1700000000000',
          fragments: [
            { source: 'cam-1/000.mp4', producerStartTime: '2026-11-21T10:00:00Z', serverStartTime: '2026-11-21T10:00:00.5Z' },
            { source: server.url, producerStartTime: '2026-11-21T10:00:02Z' },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'streams.json'), JSON.stringify(catalogJson));
    const service = new KinesisVideoArchivedMedia({ catalog: await loadCatalogFile(join(dir, 'streams.json')), runner: engine, minSamplingIntervalMs: 1 });
    try {
      const { Images } = await service.getImages({
        StreamARN: 'arn:aws:kinesisvideo:eu-west-1:123456789012:stream/cam-1/1700000000000',
        ImageSelectorType: 'PRODUCER_TIMESTAMP',
        StartTimestamp: at(1000),
        EndTimestamp: at(3000),
        SamplingInterval: 2000,
        Format: 'PNG',
      });
      expectShows(decodeImage(Images![0]!.ImageContent!, 'PNG'), 'kinesis-0-2s.mp4', framesOf('kinesis-0-2s.mp4')[25]!, PNG_TOLERANCE, 'file 1000 ms');
      expectShows(decodeImage(Images![1]!.ImageContent!, 'PNG'), 'kinesis-2-4s-fragmented.mp4', framesOf('kinesis-2-4s-fragmented.mp4')[25]!, PNG_TOLERANCE, 'HTTP 3000 ms');
      expect(server.requests.some((request) => request.headers.range !== undefined)).toBe(true);
    } finally {
      await service.close();
    }
  });
});
