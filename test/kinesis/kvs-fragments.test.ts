/**
 * Fragments shaped as Kinesis Video Streams hands them out (GetMedia): a Segment and a Cluster of
 * unknown size, no SeekHead, no Cues, timecodes in milliseconds on the producer's epoch clock,
 * and the service's tags in a Tags element after the Cluster (beside one of the producer's
 * before it). A catalog of such fragments without times gets them from the tags, and GetImages
 * over it gives the very images the same video gives as MP4 fragments with their times given.
 * A fragment of a codec the engine cannot decode (AV1) fails its own points only.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { indexMp4 } from '../../src/demux/mp4/mp4-index.js';
import { KinesisVideoArchivedMedia } from '../../src/kinesis/archived-media.js';
import type { FragmentEntry } from '../../src/kinesis/catalog.js';
import { withFragmentTagTimes } from '../../src/kinesis/fragment-tags.js';
import type { GetImagesInput } from '../../src/kinesis/get-images-types.js';
import { memorySource } from '../../src/sources/memory-source.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { openVideoFile } from '../../src/video-file.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { concat } from '../codec/helpers/bytes.js';
import { element, simpleBlock, text, uint, unknownSizeElement } from '../helpers/ebml-builder.js';
import { fixture, type FixtureName } from '../helpers/fixtures.js';
import { ffmpeg, requireNativeTool } from '../helpers/native.js';
import { at, T0 } from './helpers.js';

const engine = createNodeRunner({ instances: 2 });
afterAll(() => engine.close());

/** The fragments: where their video starts after T0, and when the server got them after that. */
const FRAGMENTS: ReadonlyArray<{ file: FixtureName; startMs: number }> = [
  { file: 'kinesis-0-2s.mp4', startMs: 0 },
  { file: 'kinesis-2-4s-fragmented.mp4', startMs: 2000 },
  { file: 'kinesis-6-8s.mp4', startMs: 6000 },
];
const SERVER_DELAY_MS = 730;

/** A simple tag: a SimpleTag with TagName and TagString. */
const simpleTag = (name: string, value: string) => element(0x67c8, text(0x45a3, name), text(0x4487, value));

/** The timestamp tags' names: as the service writes them, or as the Kinesis Video parser library calls them. */
const SERVICE_NAMES = { server: 'AWS_KINESISVIDEO_SERVER_TIMESTAMP', producer: 'AWS_KINESISVIDEO_PRODUCER_TIMESTAMP' };
const PARSER_NAMES = { server: 'AWS_KINESISVIDEO_SERVER_SIDE_TIMESTAMP', producer: 'AWS_KINESISVIDEO_PRODUCER_SIDE_TIMESTAMP' };

/** The MP4 fixture's video as a GetMedia fragment starting `startMs` after T0. */
async function kvsFragment(file: FixtureName, startMs: number, names = SERVICE_NAMES): Promise<Uint8Array> {
  const bytes = new Uint8Array(readFileSync(fixture(file)));
  const track = await indexMp4(memorySource(bytes));
  const clusterMs = T0 + startMs;
  const firstCts = Math.min(...track.samples.slice().map((s) => s.cts));
  const blocks = track.samples.slice().map((s) => {
    const relativeMs = Math.round(((s.cts - firstCts) * 1000) / track.timescale);
    return simpleBlock(relativeMs, s.labeledSync, bytes.subarray(s.offset, s.offset + s.size));
  });
  const trackEntry = element(
    0xae,
    uint(0xd7, 1),
    uint(0x73c5, 1),
    uint(0x83, 1),
    text(0x86, 'V_MPEG4/ISO/AVC'),
    element(0x63a2, track.decoderConfigRecord!),
    element(0xe0, uint(0xb0, track.codedWidth), uint(0xba, track.codedHeight)),
  );
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  return concat(
    element(0x1a45dfa3, text(0x4282, 'matroska'), uint(0x4287, 2), uint(0x4285, 2)),
    unknownSizeElement(
      0x18538067,
      element(0x1549a966, uint(0x2ad7b1, 1_000_000), text(0x4d80, 'test'), text(0x5741, 'test')),
      element(0x1654ae6b, trackEntry),
      // The producer's own tags, before the cluster.
      element(0x1254c367, element(0x7373, element(0x63c0), simpleTag('DEVICE', 'camera-7'))),
      unknownSizeElement(0x1f43b675, uint(0xe7, clusterMs), ...blocks),
      // The service's, after it.
      element(
        0x1254c367,
        element(
          0x7373,
          element(0x63c0, uint(0x68ca, 50)),
          simpleTag('AWS_KINESISVIDEO_FRAGMENT_NUMBER', `91343852333181432392682062${startMs}`),
          simpleTag(names.server, seconds(clusterMs + SERVER_DELAY_MS)),
          simpleTag(names.producer, seconds(clusterMs)),
        ),
      ),
    ),
  );
}

const request = (overrides: Partial<GetImagesInput>): GetImagesInput => ({
  StreamName: 'cam-1',
  ImageSelectorType: 'PRODUCER_TIMESTAMP',
  StartTimestamp: at(0),
  EndTimestamp: at(9000),
  SamplingInterval: 600,
  Format: 'PNG',
  WidthPixels: 80,
  HeightPixels: 60,
  MaxResults: 100,
  ...overrides,
});

describe.skipIf(!requireNativeTool('ffmpeg'))('GetMedia-shaped Matroska fragments', () => {
  it('take their times from their tags, and give the images the MP4 fragments give', async () => {
    const fragments = await Promise.all(FRAGMENTS.map(({ file, startMs }) => kvsFragment(file, startMs)));
    const catalog = await withFragmentTagTimes({ streams: [{ name: 'cam-1', fragments: fragments.map((bytes) => ({ source: () => memorySource(bytes) })) }] });
    expect(catalog.streams[0]!.fragments.map((f) => [f.producerStartTime, f.serverStartTime])).toEqual(
      FRAGMENTS.map(({ startMs }) => [at(startMs), at(startMs + SERVER_DELAY_MS)]),
    );
    const asMkv = new KinesisVideoArchivedMedia({ catalog, runner: engine, minSamplingIntervalMs: 1 });
    const mp4: FragmentEntry[] = FRAGMENTS.map(({ file, startMs }) => ({
      source: () => openFileSource(fixture(file)),
      producerStartTime: at(startMs),
      serverStartTime: at(startMs + SERVER_DELAY_MS),
    }));
    const asMp4 = new KinesisVideoArchivedMedia({ catalog: { streams: [{ name: 'cam-1', fragments: mp4 }] }, runner: engine, minSamplingIntervalMs: 1 });
    try {
      for (const ImageSelectorType of ['PRODUCER_TIMESTAMP', 'SERVER_TIMESTAMP'] as const) {
        const images = (await asMkv.getImages(request({ ImageSelectorType }))).Images!;
        expect(images.filter((image) => image.ImageContent).length, ImageSelectorType).toBeGreaterThan(8);
        expect(images, ImageSelectorType).toEqual((await asMp4.getImages(request({ ImageSelectorType }))).Images);
      }
    } finally {
      await asMkv.close();
      await asMp4.close();
    }
  });

  it('the timestamp tags may also go by the names the Kinesis Video parser library gives them (…_SIDE_TIMESTAMP)', async () => {
    const bytes = await kvsFragment('kinesis-6-8s.mp4', 6000, PARSER_NAMES);
    const catalog = await withFragmentTagTimes({ streams: [{ name: 'cam-1', fragments: [{ source: () => memorySource(bytes) }] }] });
    expect(catalog.streams[0]!.fragments.map((f) => [f.producerStartTime, f.serverStartTime])).toEqual([[at(6000), at(6000 + SERVER_DELAY_MS)]]);
  });

  it('an AV1 fragment (no decoder for it in the engine) gives MEDIA_ERROR at its points, the other fragments their images', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stillframe-av1-'));
    const path = join(dir, 'av1.webm');
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25', '-t', '2', '-c:v', 'libaom-av1', '-cpu-used', '8', '-b:v', '100k', path]);
    const av1 = new Uint8Array(readFileSync(path));
    rmSync(dir, { recursive: true, force: true });
    const service = new KinesisVideoArchivedMedia({
      catalog: {
        streams: [
          {
            name: 'cam-1',
            fragments: [
              { source: () => openFileSource(fixture('kinesis-0-2s.mp4')), producerStartTime: at(0), durationMs: 2000 },
              { source: () => memorySource(av1), producerStartTime: at(2000), durationMs: 2000 },
            ],
          },
        ],
      },
      runner: engine,
      minSamplingIntervalMs: 1,
    });
    try {
      const { Images } = await service.getImages(request({ EndTimestamp: at(3000), SamplingInterval: 1000 }));
      expect(Images!.map((image) => image.Error ?? 'image')).toEqual(['image', 'image', 'MEDIA_ERROR', 'MEDIA_ERROR']);
    } finally {
      await service.close();
    }
  });

  it('a GetMedia payload of several fragments back to back is refused, saying so, not cut to its first fragment', async () => {
    const payload = concat(await kvsFragment('kinesis-0-2s.mp4', 0), await kvsFragment('kinesis-2-4s-fragmented.mp4', 2000));
    await expect(openVideoFile(memorySource(payload), { runner: engine })).rejects.toMatchObject({
      kind: 'unsupported',
      message: expect.stringMatching(/more than one Segment/),
    });
  });
});
