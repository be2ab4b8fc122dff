/**
 * Real images through the endpoint, read with the real SDK: a whole listing with
 * `paginateGetImages` over a two-fragment stream with a gap, each image checked against the
 * frame native ffmpeg decodes at that instant; JPEG and PNG at asked sizes; the server clock.
 */
import { GetImagesCommand, paginateGetImages, type GetImagesCommandInput, type Image } from '@aws-sdk/client-kinesis-video-archived-media';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';
import { meanAbsDiff, referenceFrames, referencePixels, type ReferenceFrame } from '../helpers/reference.js';
import { fileFragment, sdkClient, startEndpoint, type TestEndpoint } from './helpers.js';

const T0 = Date.parse('2026-11-21T10:00:00Z');
/** Fragment starts on the producer clock, in ms after T0: 0–3 s, a gap, then 4.5–8.5 s. */
const A_START = 0;
const B_START = 4500;
/** A's start on the server clock. */
const A_SERVER_START = 2000;
const INTERVAL = 400;

interface Fragment {
  path: string;
  startMs: number;
  frames: ReferenceFrame[];
  /** Where its last frame stops showing, in µs after its first frame. */
  endUs: number;
}

/** The media of one fragment as native ffprobe lays it out, times relative to its first frame. */
function describeFragment(path: string, startMs: number): Fragment {
  const raw = referenceFrames(path);
  const first = raw[0]!.timeUs;
  const frames = raw.map((f) => ({ ...f, timeUs: f.timeUs - first }));
  const last = frames[frames.length - 1]!;
  return { path, startMs, frames, endUs: last.timeUs + (last.timeUs - frames[frames.length - 2]!.timeUs) };
}

/** What the image at `pointMs` must be, decided from the reference alone. */
function expected(fragments: readonly Fragment[], pointMs: number): { fragment: Fragment; frame: ReferenceFrame } | 'NO_MEDIA' {
  for (const fragment of fragments) {
    const offsetUs = (pointMs - T0 - fragment.startMs) * 1000;
    if (offsetUs < 0 || offsetUs >= fragment.endUs) continue;
    const frame = [...fragment.frames].reverse().find((f) => f.timeUs <= offsetUs)!;
    return { fragment, frame };
  }
  return 'NO_MEDIA';
}

function decode(image: Image, format: 'JPEG' | 'PNG'): { width: number; height: number; data: Uint8Array } {
  const bytes = Buffer.from(image.ImageContent!, 'base64');
  if (format === 'PNG') {
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    return PNG.sync.read(bytes);
  }
  expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
  return jpeg.decode(bytes, { useTArray: true });
}

/**
 * Asserts that RGBA `data` (`width`×`height`) shows `want`'s frame: within `tolerance` of native
 * ffmpeg's pixels, and closer to them than to either neighbouring frame's, so that an image one
 * frame off cannot pass (neighbouring frames of this media differ by only about 4.5).
 */
function expectFrame(data: Uint8Array, want: { fragment: Fragment; frame: ReferenceFrame }, width: number, height: number, tolerance: number, where: string): void {
  const diff = meanAbsDiff(data, referencePixels(want.fragment.path, want.frame.n, width, height));
  expect(diff, where).toBeLessThan(tolerance);
  for (const neighbour of [want.frame.n - 1, want.frame.n + 1].filter((n) => n >= 0 && n < want.fragment.frames.length)) {
    expect(diff, `${where}: closer to frame ${neighbour}`).toBeLessThan(meanAbsDiff(data, referencePixels(want.fragment.path, neighbour, width, height)));
  }
}

describe.skipIf(!requireNativeTool('ffmpeg'))('GetImages endpoint: images', () => {
  let endpoint: TestEndpoint;
  let fragments: Fragment[];

  beforeAll(async () => {
    // A: H.264 without B-frames, progressive MP4; B: fragmented MP4 with B-frames. Both 320×240, 25 fps.
    fragments = [describeFragment(fixture('h264-no-bframes.mp4'), A_START), describeFragment(fixture('fragmented.mp4'), B_START)];
    const iso = (ms: number) => new Date(T0 + ms).toISOString();
    endpoint = await startEndpoint({
      streams: [
        {
          name: 'cam-1',
          fragments: [
            fileFragment(fragments[0]!.path, iso(A_START), iso(A_SERVER_START)),
            fileFragment(fragments[1]!.path, iso(B_START)),
          ],
        },
      ],
    });
  });
  afterAll(() => endpoint?.close());

  it('lists every point through paginateGetImages: each image the frame on screen, NO_MEDIA exactly in the gap and outside the media', async () => {
    const input: GetImagesCommandInput = {
      StreamName: 'cam-1',
      ImageSelectorType: 'PRODUCER_TIMESTAMP',
      StartTimestamp: new Date(T0 - 400),
      EndTimestamp: new Date(T0 + 8800),
      SamplingInterval: INTERVAL,
      Format: 'PNG',
    };
    const pages: Image[][] = [];
    // pageSize is the MaxResults of each call; the loop ends with the last page's missing NextToken.
    for await (const page of paginateGetImages({ client: sdkClient(endpoint), pageSize: 5 }, input)) {
      pages.push(page.Images ?? []);
      expect(pages.length).toBeLessThanOrEqual(5);
    }
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 4]);

    const images = pages.flat();
    const points = Array.from({ length: 24 }, (_, i) => T0 - 400 + i * INTERVAL);
    expect(images.map((i) => i.TimeStamp?.getTime())).toEqual(points);

    const noMedia = points.filter((p) => expected(fragments, p) === 'NO_MEDIA').map((p) => p - T0);
    // Before the first frame, the gap between the fragments, after the last frame.
    expect(noMedia).toEqual([-400, 3200, 3600, 4000, 4400, 8800]);
    expect(images.filter((i) => i.Error === 'NO_MEDIA').map((i) => i.TimeStamp!.getTime() - T0)).toEqual(noMedia);
    expect(images.filter((i) => i.Error !== undefined && i.Error !== 'NO_MEDIA')).toEqual([]);

    for (const [index, image] of images.entries()) {
      const want = expected(fragments, points[index]!);
      if (want === 'NO_MEDIA') {
        expect(image.ImageContent).toBeUndefined();
        continue;
      }
      const { width, height, data } = decode(image, 'PNG');
      expect([width, height]).toEqual([320, 240]);
      // The repository's tolerance for a lossless frame.
      expectFrame(data, want, 320, 240, 4, `image at ${points[index]! - T0} ms`);
    }
  });

  it('encodes JPEG and PNG at the asked size (both sides stretch, height alone keeps the aspect ratio), showing the right frame', async () => {
    const client = sdkClient(endpoint);
    const at = T0 + 1000;
    const want = expected(fragments, at);
    if (want === 'NO_MEDIA') throw new Error('the point must have media');
    const cases = [
      { Format: 'JPEG', WidthPixels: 200, HeightPixels: 100, size: [200, 100], tolerance: 8 },
      { Format: 'JPEG', HeightPixels: 120, FormatConfig: { JPEGQuality: '95' }, size: [160, 120], tolerance: 6 },
      { Format: 'PNG', WidthPixels: 96, HeightPixels: 200, size: [96, 200], tolerance: 6 },
      { Format: 'PNG', HeightPixels: 480, size: [640, 480], tolerance: 6 },
    ] as const;
    for (const { size, tolerance, ...asked } of cases) {
      const out = await client.send(
        new GetImagesCommand({
          StreamName: 'cam-1',
          ImageSelectorType: 'PRODUCER_TIMESTAMP',
          StartTimestamp: new Date(at),
          EndTimestamp: new Date(at),
          SamplingInterval: 3000,
          ...asked,
        }),
      );
      expect(out.Images).toHaveLength(1);
      const { width, height, data } = decode(out.Images![0]!, asked.Format);
      expect([width, height], JSON.stringify(asked)).toEqual(size);
      expectFrame(data, want, size[0], size[1], tolerance, JSON.stringify(asked));
    }
  });

  it('places images by server time with SERVER_TIMESTAMP', async () => {
    const client = sdkClient(endpoint);
    const request = (selector: 'PRODUCER_TIMESTAMP' | 'SERVER_TIMESTAMP', ms: number) =>
      client.send(
        new GetImagesCommand({
          StreamName: 'cam-1',
          ImageSelectorType: selector,
          StartTimestamp: new Date(T0 + ms),
          EndTimestamp: new Date(T0 + ms),
          SamplingInterval: 3000,
          Format: 'PNG',
        }),
      );
    const byServer = await request('SERVER_TIMESTAMP', A_SERVER_START + 1200);
    const byProducer = await request('PRODUCER_TIMESTAMP', A_START + 1200);
    expect(byServer.Images?.[0]?.ImageContent).toBeDefined();
    expect(byServer.Images?.[0]?.ImageContent).toBe(byProducer.Images?.[0]?.ImageContent);
    // 1 s on the server clock is before A arrived.
    expect((await request('SERVER_TIMESTAMP', 1000)).Images?.[0]?.Error).toBe('NO_MEDIA');
  });
});
