/**
 * Matroska `Cues`: a file that has them is indexed like an MP4's `moov` — its SeekHead and Cues
 * read with range requests — and its clusters a few segments at a time, only around the times a
 * query names; a file without them (a live recording, or Cues the SeekHead does not find) is
 * walked whole. Both give the frames native ffmpeg gives, in every mode.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { indexMatroska, openMatroska } from '../../src/demux/matroska/matroska-index.js';
import type { SegmentedTrack, VideoTrack } from '../../src/demux/video-track.js';
import { countingSource } from '../../src/sources/counting-source.js';
import { memorySource } from '../../src/sources/memory-source.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { openVideoFile, type QueryMode } from '../../src/video-file.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture } from '../helpers/fixtures.js';
import { ffprobe, requireNativeTool } from '../helpers/native.js';
import { expectedFrame, meanAbsDiff, referenceFrames, referencePixels } from '../helpers/reference.js';

const native = requireNativeTool('ffmpeg') && requireNativeTool('ffprobe');
const runner = createNodeRunner({ instances: 2 });
afterAll(() => runner.close());

const isSegmented = (track: VideoTrack | SegmentedTrack): track is SegmentedTrack => 'indexSegments' in track;

/** Key frame times (µs) native ffprobe lists. */
function keyFrameTimes(path: string): number[] {
  return ffprobe(['-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', path])
    .trim()
    .split('\n')
    .filter((line) => line.split(',')[1]?.startsWith('K'))
    .map((line) => Math.round(Number(line.split(',')[0]) * 1e6));
}

/** The samples as the index lists them, without the durations (a segment's last frame can only guess its own). */
const placed = (track: VideoTrack) => track.samples.slice().map(({ cts, dts, offset, size, labeledSync }) => ({ cts, dts, offset, size, labeledSync }));

describe.skipIf(!native)('a Matroska file with Cues', () => {
  it('is a segmented track: a segment per cued Cluster, each starting at a key frame native ffprobe lists', async () => {
    const path = fixture('cues-long.mkv');
    const track = await openMatroska(await openFileSource(path));
    expect(isSegmented(track)).toBe(true);
    const { segmentStartsUs } = track as SegmentedTrack;
    const keys = keyFrameTimes(path);
    expect(segmentStartsUs.length).toBeGreaterThanOrEqual(5);
    expect(segmentStartsUs[0]).toBe(0);
    for (const start of segmentStartsUs) expect(keys, `segment at ${start} µs`).toContain(start);
  });

  it('its segments, all indexed, list the very samples a walk of every Cluster lists; a run of them, theirs', async () => {
    const source = await openFileSource(fixture('cues-long.mkv'));
    const segmented = (await openMatroska(source)) as SegmentedTrack;
    const walked = placed(await indexMatroska(source));
    const last = segmented.segmentStartsUs.length - 1;
    expect(placed(await segmented.indexSegments(0, last))).toEqual(walked);
    const middle = placed(await segmented.indexSegments(2, 3));
    const from = walked.findIndex((s) => s.cts === segmented.segmentStartsUs[2]! / 1000);
    expect(middle).toEqual(walked.slice(from, from + middle.length));
    expect(middle.at(-1)!.cts).toBeLessThan(segmented.segmentStartsUs[4]! / 1000);
    await source.close();
  });

  it('a frame from the middle reads the index and the segments around it, not the file', async () => {
    const path = fixture('cues-long.mkv');
    const counting = countingSource(await openFileSource(path));
    const video = await openVideoFile(counting, { runner });
    const opened = counting.bytesRead;
    const frame = await video.extractFrame(10_030_000, { mode: 'closest' });
    expect(frame.timeUs).toBe(10_040_000);
    // The first and last segments' windows at open, the window around 10 s for the frame.
    expect(opened / counting.size).toBeLessThan(0.4);
    expect(counting.bytesRead / counting.size).toBeLessThan(0.7);
    expect(video.info.frameCount).toBeUndefined();
    expect(video.info.lastFrameUs).toBe(19_960_000);
    await video.close();

    // The same file with its Cues out of reach is read whole to be opened.
    const walked = countingSource(await openFileSource(fixture('cues-hidden.mkv')));
    const whole = await openVideoFile(walked, { runner });
    expect(walked.bytesRead).toBeGreaterThanOrEqual(walked.size * 0.99);
    expect(whole.info.frameCount).toBe(500);
    await whole.close();
  });

  it('gives native ffmpeg’s frame in every mode, across segment boundaries', async () => {
    const path = fixture('cues-long.mkv');
    const reference = referenceFrames(path);
    const video = await openVideoFile(await openFileSource(path), { runner });
    try {
      const modes: QueryMode[] = ['next-sync', 'previous-sync', 'closest-sync', 'closest'];
      // Just before and after segment starts, mid-segment, and outside the video.
      for (const timeUs of [0, 1_990_000, 2_010_000, 6_950_000, 11_000_000, 19_990_000, 25_000_000]) {
        for (const mode of modes) {
          const expected = expectedFrame(reference, timeUs, mode);
          const frame = await video.extractFrame(timeUs, { mode, size: { width: 160, height: 120 } });
          expect(frame.timeUs, `${mode} @ ${timeUs}`).toBe(expected.timeUs);
          expect(meanAbsDiff(frame.data, referencePixels(path, expected.n, 160, 120)), `${mode} @ ${timeUs}`).toBeLessThan(4);
        }
      }
      expect(await video.frameShownAt(13_000_000)).toEqual({ timeUs: 13_000_000, endUs: 13_040_000 });
    } finally {
      await video.close();
    }
  }, 120_000);

  it('Cues that place a segment where no Cluster is fail the queries there with a typed error, and only those', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('cues-long.mkv')));
    const segmented = (await openMatroska(memorySource(bytes))) as SegmentedTrack;
    const clusterAt = (await segmented.indexSegments(4, 4)).samples.at(0).offset;
    // The segment's CueClusterPosition (relative to the Segment's data) in the Cues: bump it by one.
    const cues = Buffer.from(bytes).lastIndexOf(Buffer.from([0x1c, 0x53, 0xbb, 0x6b]));
    const segmentData = Buffer.from(bytes).indexOf(Buffer.from([0x18, 0x53, 0x80, 0x67])) + 12;
    const position = clusterStart(bytes, clusterAt) - segmentData;
    const element = Buffer.from(clusterPositionElement(position, 3));
    const at = Buffer.from(bytes).indexOf(element, cues);
    expect(at, 'the CueClusterPosition in the Cues').toBeGreaterThan(cues);
    bytes[at + element.length - 1] = (bytes[at + element.length - 1]! + 1) & 0xff;
    const video = await openVideoFile(memorySource(bytes), { runner });
    try {
      // The window of segment 5 runs from segment 4 on.
      await expect(video.extractFrame(segmented.segmentStartsUs[5]! + 500_000)).rejects.toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/no Cluster at byte/) });
      expect((await video.extractFrame(1_000_000)).timeUs).toBe(1_000_000);
    } finally {
      await video.close();
    }
  });
});

/** The start of the Cluster holding the byte at `offset`. */
function clusterStart(bytes: Uint8Array, offset: number): number {
  return Buffer.from(bytes).lastIndexOf(Buffer.from([0x1f, 0x43, 0xb6, 0x75]), offset);
}

/** A CueClusterPosition element (0xF1) holding `value` in `length` bytes. */
function clusterPositionElement(value: number, length: number): number[] {
  return [0xf1, 0x80 | length, ...Array.from({ length }, (_, i) => Math.floor(value / 256 ** (length - 1 - i)) % 256)];
}

describe.skipIf(!native)('a Matroska file without usable Cues', () => {
  it('a recording written to a pipe (no Cues, no SeekHead, a Segment of unknown size) is walked whole', async () => {
    const track = await openMatroska(await openFileSource(fixture('vp9-piped.webm')));
    expect(isSegmented(track)).toBe(false);
    expect((track as VideoTrack).samples.length).toBe(75);
  });

  it('Cues the SeekHead does not lead to are not looked for: the file is walked whole', async () => {
    const track = await openMatroska(await openFileSource(fixture('cues-hidden.mkv')));
    expect(isSegmented(track)).toBe(false);
    expect((track as VideoTrack).samples.length).toBe(500);
  });
});
