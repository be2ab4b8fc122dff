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
import { openVideoFile } from '../../src/video-file.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture } from '../helpers/fixtures.js';
import { ffprobe, requireNativeTool } from '../helpers/native.js';
import { expectNativeFrames } from '../helpers/reference.js';

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
    expect(opened / counting.size).toBeLessThan(0.3);
    expect(counting.bytesRead / counting.size).toBeLessThan(0.45);
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
    const video = await openVideoFile(await openFileSource(path), { runner });
    try {
      // Just before and after segment starts, mid-segment, and outside the video.
      const times = [0, 1_990_000, 2_010_000, 6_950_000, 11_000_000, 19_990_000, 25_000_000];
      await expectNativeFrames(video, path, times, ['next-sync', 'previous-sync', 'closest-sync', 'closest']);
      expect(await video.frameShownAt(13_000_000)).toEqual({ timeUs: 13_000_000, endUs: 13_040_000 });
    } finally {
      await video.close();
    }
  }, 120_000);

  it('a frame named from two windows is one target, decoded once', async () => {
    const video = await openVideoFile(await openFileSource(fixture('cues-long.mkv')), { runner });
    try {
      // 3.9 s and 4.1 s lie in the segments before and after the key frame at 4 s (one a second), which both name.
      const frames = await video.extractFrames([3_900_000, 4_100_000], { mode: 'closest-sync', size: { width: 80, height: 60 } });
      expect(frames.map((f) => (f instanceof Error ? f : f.timeUs))).toEqual([4_000_000, 4_000_000]);
      expect(video.decodeStats.passes).toBe(1);
    } finally {
      await video.close();
    }
  });

  it('reads each segment’s index once, however many windows hold it (GetImages asks for the frame shown at many points)', async () => {
    const counting = countingSource(await openFileSource(fixture('cues-long.mkv')));
    const video = await openVideoFile(counting, { runner });
    const points = Array.from({ length: 20 }, (_, i) => i * 1_000_000);
    const shown = await Promise.all(points.map((t) => video.frameShownAt(t)));
    expect(shown.map((f) => f?.timeUs)).toEqual(points);
    await Promise.all(points.map((t) => video.frameShownAt(t + 500_000)));
    expect(counting.bytesRead / counting.size).toBeLessThan(1.2);
    await video.close();
  });

  it('a cued frame that is no sync frame (its key flag cleared) makes the query look beyond its window, as native ffmpeg does', async () => {
    const path = fixture('cues-long.mkv');
    const bytes = new Uint8Array(readFileSync(path));
    const walked = await indexMatroska(memorySource(bytes));
    const atFour = walked.samples.slice().find((s) => s.cts === 4000)!;
    // The SimpleBlock's flags byte sits just before the frame (track 1, a 2-byte timecode, the flags).
    expect(bytes[atFour.offset - 1]! & 0x80).toBe(0x80);
    bytes[atFour.offset - 1]! &= 0x7f;
    const video = await openVideoFile(memorySource(bytes), { runner });
    try {
      // 3.5 s: its window (the segments from 2 s to 5 s) holds no sync frame after it any more.
      expect((await video.extractFrame(3_500_000, { mode: 'next-sync', size: { width: 80, height: 60 } })).timeUs).toBe(5_000_000);
      expect((await video.extractFrame(4_500_000, { mode: 'previous-sync', size: { width: 80, height: 60 } })).timeUs).toBe(3_000_000);
      expect((await video.extractFrame(4_100_000, { mode: 'closest-sync', size: { width: 80, height: 60 } })).timeUs).toBe(5_000_000);
      // A frame after it decodes from the sync frame before it.
      expect((await video.extractFrame(4_600_000, { mode: 'closest', size: { width: 80, height: 60 } })).timeUs).toBe(4_600_000);
    } finally {
      await video.close();
    }
  });

  it('Cues that place a segment where no Cluster is fail the queries there with a typed error, and only those', async () => {
    const video = await openVideoFile(await openFileSource(fixture('cues-broken.mkv')), { runner });
    try {
      // The fifth cue point (4 s) is off: the window of the segment after it (5 s) starts there.
      await expect(video.extractFrame(5_500_000)).rejects.toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/no Cluster at byte/) });
      expect((await video.extractFrame(1_000_000)).timeUs).toBe(1_000_000);
    } finally {
      await video.close();
    }
  });

});

describe.skipIf(!native)('a Matroska file without usable Cues', () => {
  it('a recording written to a pipe (no Cues, no SeekHead, a Segment of unknown size) is walked whole', async () => {
    const track = await openMatroska(await openFileSource(fixture('vp9-piped.webm')));
    expect(isSegmented(track)).toBe(false);
    expect((track as VideoTrack).samples.length).toBe(75);
  });

  it('Cues whose first point is not the first Cluster (frames before it would go unindexed) are not used: the file is walked whole', async () => {
    const track = await openMatroska(await openFileSource(fixture('cues-first-moved.mkv')));
    expect(isSegmented(track)).toBe(false);
    expect((track as VideoTrack).samples.length).toBe(500);
  });

  it('Cues the SeekHead does not lead to are not looked for: the file is walked whole', async () => {
    const track = await openMatroska(await openFileSource(fixture('cues-hidden.mkv')));
    expect(isSegmented(track)).toBe(false);
    expect((track as VideoTrack).samples.length).toBe(500);
  });
});
