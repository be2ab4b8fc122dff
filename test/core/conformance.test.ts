/**
 * Conformance against native ffmpeg: for generated media of every layout issue #2 names and for
 * every MP4 with video in the shared corpus, in all four query modes and at many times, the frame
 * stillframe returns is the one native ffmpeg presents at the time the mode names — checked by
 * pixels — at the upright display size, with colours close to native ffmpeg's conversion.
 */
import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { indexMp4 } from '../../src/demux/mp4/mp4-index.js';
import { TIMESTAMP_WRAP } from '../../src/demux/mpegts/pes.js';
import { openVideoFile, type QueryMode } from '../../src/video-file.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture, requireSharedMedia, sharedMedia, type FixtureName } from '../helpers/fixtures.js';
import { ffprobe, requireNativeTool } from '../helpers/native.js';
import { expectedFrame, meanAbsDiff, referenceFrames, referencePixels } from '../helpers/reference.js';

const runner = createNodeRunner({ instances: 2 });
afterAll(() => runner.close());

const MODES: QueryMode[] = ['next-sync', 'previous-sync', 'closest-sync', 'closest'];
const native = requireNativeTool('ffmpeg') && requireNativeTool('ffprobe');

/** Times spread over the video, between frames, on frames, and outside it. */
function probeTimes(firstUs: number, lastUs: number, count: number): number[] {
  const span = lastUs - firstUs;
  const inside = Array.from({ length: count }, (_, i) => Math.round(firstUs + (span * (i + 0.37)) / count));
  return [0, ...inside, lastUs, lastUs + 5_000_000];
}

/** Largest display size we compare at: big frames are downscaled to keep the suite fast. */
function comparisonSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, 480 / Math.max(width, height));
  return { width: Math.max(2, Math.round(width * scale)), height: Math.max(2, Math.round(height * scale)) };
}

/**
 * Checks `path` in every mode at `times` times inside it and a few outside. `shiftUs`: what to add
 * to native ffmpeg's times to get stillframe's (non-zero where their timelines differ by design).
 */
async function checkFile(path: string, expectedDisplay?: { width: number; height: number }, times = 6, shiftUs = 0): Promise<void> {
  const reference = referenceFrames(path).map((frame) => ({ ...frame, timeUs: Math.round(frame.timeUs + shiftUs) }));
  const video = await openVideoFile(await openFileSource(path), { runner });
  try {
    // A file indexed from its Cues, a few segments at a time, does not know its frame count.
    if (video.info.frameCount !== undefined) expect(video.info.frameCount).toBe(reference.length);
    const times_ = probeTimes(reference[0]!.timeUs, reference[reference.length - 1]!.timeUs, times);
    for (const mode of MODES) {
      for (const timeUs of times_) {
        const expected = expectedFrame(reference, timeUs, mode);
        let natural = { width: 0, height: 0 };
        const frame = await video.extractFrame(timeUs, {
          mode,
          size: (size) => {
            natural = size;
            return comparisonSize(size.width, size.height);
          },
        });
        const where = `${mode} @ ${timeUs} µs`;
        if (expectedDisplay) expect(natural, where).toEqual(expectedDisplay);
        expect(Math.abs(frame.timeUs - expected.timeUs), `${where}: frame time`).toBeLessThanOrEqual(1);
        const pixels = referencePixels(path, expected.n, frame.width, frame.height);
        const diff = meanAbsDiff(frame.data, pixels);
        expect(diff, `${where}: pixels differ from native frame ${expected.n}`).toBeLessThan(4);
        // The right frame, not a neighbour: it must match its own reference better than theirs.
        for (const neighbour of [expected.n - 1, expected.n + 1]) {
          if (neighbour < 0 || neighbour >= reference.length) continue;
          const other = meanAbsDiff(frame.data, referencePixels(path, neighbour, frame.width, frame.height));
          if (other > 0.5) expect(diff, `${where}: closer to neighbour ${neighbour}`).toBeLessThan(other);
        }
      }
    }
  } finally {
    await video.close();
  }
}

const GENERATED: Array<[FixtureName, { width: number; height: number }]> = [
  ['h264-bframes.mp4', { width: 320, height: 240 }],
  ['h264-no-bframes.mp4', { width: 320, height: 240 }],
  ['h264-irregular-gop.mp4', { width: 320, height: 240 }],
  ['h264-open-gop.mp4', { width: 320, height: 240 }],
  ['hevc.mp4', { width: 320, height: 240 }],
  ['hevc-open-gop.mp4', { width: 320, height: 240 }],
  ['fragmented.mp4', { width: 320, height: 240 }],
  ['rotated-90.mp4', { width: 240, height: 320 }],
  ['portrait-h264.mp4', { width: 240, height: 320 }],
  ['anamorphic.mp4', { width: 640, height: 240 }],
  ['full-range.mp4', { width: 320, height: 240 }],
  ['h264-10bit.mp4', { width: 320, height: 240 }],
  ['edit-list-cut.mp4', { width: 320, height: 240 }],
  ['h264.mov', { width: 320, height: 240 }],
  ['prores.mov', { width: 320, height: 240 }],
  ['mpeg4.mp4', { width: 320, height: 240 }],
  ['vp9.mp4', { width: 320, height: 240 }],
  ['mjpeg.mov', { width: 320, height: 240 }],
  ['mjpeg.mp4', { width: 320, height: 240 }],
];

describe.skipIf(!native)('frames match native ffmpeg: generated media', () => {
  for (const [name, display] of GENERATED) {
    it(name, () => checkFile(fixture(name), display), 180_000);
  }
});

const SHARED: Array<[string, { width: number; height: number }]> = [
  ['video.mp4', { width: 1920, height: 1080 }],
  ['video-h265.mp4', { width: 1920, height: 1080 }],
  ['rotate-buck-bunny.mp4', { width: 1080, height: 1920 }],
  ['sar_2x1.mp4', { width: 1280, height: 360 }],
  ['edts.mp4', { width: 853, height: 480 }],
  ['cursed-vfr.mp4', { width: 3026, height: 1386 }],
];

describe.skipIf(!native || !requireSharedMedia())('frames match native ffmpeg: real-world media', () => {
  for (const [name, display] of SHARED) {
    it(name, () => checkFile(sharedMedia(name), display, 3), 300_000);
  }

  it('covers every MP4/MOV with a video stream in the corpus (a file added there is not silently left out)', () => {
    const withVideo = readdirSync(sharedMedia('.'))
      .filter((name) => /\.(mp4|mov|m4v)$/i.test(name))
      .filter((name) => ffprobe(['-v', 'error', '-select_streams', 'v', '-show_entries', 'stream=index', '-of', 'csv=p=0', sharedMedia(name)]).trim() !== '');
    expect(withVideo.sort()).toEqual([...SHARED.map(([name]) => name), 'annex-b.mp4'].sort());
  });

  it('annex-b.mp4, cut at 100 kB: frames whose bytes are present match native ffmpeg, the rest are io errors', async () => {
    const path = sharedMedia('annex-b.mp4');
    // Native ffmpeg also shows the frame whose sample the cut splits, decoded from half its
    // bytes; stillframe refuses that one (its bytes are missing), so it is checked apart.
    const shown = referenceFrames(path);
    const decodable = shown.slice(0, -1);
    const cutShort = shown[shown.length - 1]!;
    expect(decodable.length, 'native ffmpeg decodes a few whole frames of it').toBeGreaterThan(1);
    const video = await openVideoFile(await openFileSource(path), { runner });
    try {
      for (const expected of decodable) {
        const frame = await video.extractFrame(expected.timeUs, { mode: 'closest', size: { width: 480, height: 270 } });
        expect(frame.timeUs).toBe(expected.timeUs);
        const diff = meanAbsDiff(frame.data, referencePixels(path, expected.n, 480, 270));
        expect(diff, `frame ${expected.n}`).toBeLessThan(4);
      }
      for (const timeUs of [cutShort.timeUs, cutShort.timeUs + 1_000_000]) {
        await expect(video.extractFrame(timeUs, { mode: 'closest' })).rejects.toMatchObject({ kind: 'io' });
      }
    } finally {
      await video.close();
    }
  }, 120_000);
});

/*
 * Matroska and WebM: the same checks through the Matroska demuxer, on stream copies of MP4
 * fixtures (H.264, HEVC, MPEG-4 Part 2), Motion JPEG, a VP8 and a VP9 WebM — indexed from their
 * Cues, or walked whole when a live recorder left unknown sizes or a pipe left no Cues — and
 * every Matroska/WebM file of the corpus. Colour planes are compared here; the alpha plane of
 * VP9 alpha is checked in `alpha-video.test.ts`.
 */
const MATROSKA_GENERATED: Array<[FixtureName, { width: number; height: number }]> = [
  ['h264-bframes.mkv', { width: 320, height: 240 }],
  ['hevc-open-gop.mkv', { width: 320, height: 240 }],
  ['vp9.webm', { width: 320, height: 240 }],
  ['vp8.webm', { width: 320, height: 240 }],
  ['vp9-live.webm', { width: 320, height: 240 }],
  ['vp9-piped.webm', { width: 320, height: 240 }],
  ['mpeg4.mkv', { width: 320, height: 240 }],
  ['mjpeg.mkv', { width: 320, height: 240 }],
];
const MATROSKA_SHARED: Array<[string, { width: number; height: number }]> = [
  ['frames.webm', { width: 1080, height: 1080 }],
  ['annex-b-avc.mkv', { width: 1920, height: 1080 }],
  ['transparency.webm', { width: 1280, height: 720 }],
];

describeContainer('Matroska and WebM', MATROSKA_GENERATED, MATROSKA_SHARED, /\.(mkv|webm)$/i);

/*
 * MPEG-TS: stream copies of MP4 fixtures (H.264 with B-frames and audio, open GOPs with
 * recovery points, HEVC with CRA pictures, M2TS), a stream whose 33-bit time stamps wrap, and
 * every transport stream of the corpus.
 */
const MPEGTS_GENERATED: Array<[FixtureName, { width: number; height: number }]> = [
  ['h264-bframes.ts', { width: 320, height: 240 }],
  ['h264-open-gop.ts', { width: 320, height: 240 }],
  ['hevc-open-gop.ts', { width: 320, height: 240 }],
  ['h264-bframes.m2ts', { width: 320, height: 240 }],
  ['mpeg4.ts', { width: 320, height: 240 }],
];
const MPEGTS_SHARED: Array<[string, { width: number; height: number }]> = [
  ['0.ts', { width: 720, height: 720 }],
  ['hevc.ts', { width: 1920, height: 1080 }],
];

describeContainer('MPEG-TS', MPEGTS_GENERATED, MPEGTS_SHARED, /\.(ts|m2ts|mts)$/i, () => {
  it('h264-wrap.ts (time stamps wrap at 2^33 ticks mid-file)', () => {
    // ffmpeg puts the frames before the wrap below 0; stillframe's timeline runs on past 2^33
    // ticks (which its times, never negative, need).
    const wrapUs = (TIMESTAMP_WRAP / 90_000) * 1e6;
    return checkFile(fixture('h264-wrap.ts'), { width: 320, height: 240 }, 6, wrapUs);
  }, 180_000);
});

/**
 * The checks of one container family: its generated fixtures, its files in the corpus, and that
 * the corpus has no file of its kind (`corpusFiles`) the list leaves out; `more` adds its own.
 */
function describeContainer(
  family: string,
  generated: ReadonlyArray<[FixtureName, { width: number; height: number }]>,
  shared: ReadonlyArray<[string, { width: number; height: number }]>,
  corpusFiles: RegExp,
  more?: () => void,
): void {
  describe.skipIf(!native)(`frames match native ffmpeg: ${family}`, () => {
    for (const [name, display] of generated) {
      it(name, () => checkFile(fixture(name), display), 180_000);
    }
    more?.();
    describe.skipIf(!requireSharedMedia())('real-world', () => {
      for (const [name, display] of shared) {
        it(name, () => checkFile(sharedMedia(name), display, 3), 300_000);
      }
      it(`covers every ${family} file in the corpus`, () => {
        const files = readdirSync(sharedMedia('.')).filter((name) => corpusFiles.test(name));
        expect(files.sort()).toEqual(shared.map(([name]) => name).sort());
      });
    });
  });
}

/** The sync labels the container gives each sample, as the index reads them. */
async function syncLabels(path: string): Promise<boolean[]> {
  const source = await openFileSource(path);
  try {
    return (await indexMp4(source)).samples.slice().map((sample) => sample.labeledSync);
  } finally {
    await source.close();
  }
}

describe.skipIf(!native)('a container that mislabels sync samples', () => {
  it('decodes from true IDR pictures and calls only them sync frames', async () => {
    const honest = referenceFrames(fixture('h264-bframes.mp4'));
    const idrTimes = honest.filter((f) => f.key).map((f) => f.timeUs);
    const path = fixture('lying-sync-table.mp4');
    expect((await syncLabels(path)).every(Boolean), 'the index reads every sample as labelled sync').toBe(true);
    const video = await openVideoFile(await openFileSource(path), { runner });
    try {
      for (const timeUs of [500_000, 1_500_000, 2_700_000]) {
        const next = await video.extractFrame(timeUs, { mode: 'next-sync' });
        expect(next.timeUs).toBe(idrTimes.find((t) => t >= timeUs));
        const closest = await video.extractFrame(timeUs, { mode: 'closest' });
        const expected = expectedFrame(honest, timeUs, 'closest');
        expect(closest.timeUs).toBe(expected.timeUs);
        const diff = meanAbsDiff(closest.data, referencePixels(fixture('h264-bframes.mp4'), expected.n, closest.width, closest.height));
        expect(diff, `closest @ ${timeUs}`).toBeLessThan(4);
      }
    } finally {
      await video.close();
    }
  });

  it('finds the real key frames of a track whose sync table names no sample', async () => {
    const idrTimes = referenceFrames(fixture('h264-bframes.mp4')).filter((f) => f.key).map((f) => f.timeUs);
    const path = fixture('empty-sync-table.mp4');
    expect((await syncLabels(path)).some(Boolean), 'the index reads no sample as labelled sync').toBe(false);
    const video = await openVideoFile(await openFileSource(path), { runner });
    try {
      for (const timeUs of [500_000, 1_500_000, 2_700_000]) {
        expect((await video.extractFrame(timeUs, { mode: 'next-sync' })).timeUs).toBe(idrTimes.find((t) => t >= timeUs));
        expect((await video.extractFrame(timeUs, { mode: 'previous-sync' })).timeUs).toBe([...idrTimes].reverse().find((t) => t <= timeUs));
      }
    } finally {
      await video.close();
    }
  });
});
