/**
 * Batches: `extractFrames` gives what `extractFrame` gives for each time, decodes each GOP at
 * most once and each frame once, and isolates failures to their own items.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { FFmpegRunner } from '../../src/engine/ffmpeg-runner.js';
import { StillframeError } from '../../src/errors.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { openVideoFile, type ExtractedFrame } from '../../src/video-file.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';

const engine = createNodeRunner();
afterAll(() => engine.close());

/** The engine, counting the ffmpeg runs (one run = one decode pass). */
function countingRunner(): FFmpegRunner & { runs: number } {
  const runner = { runs: 0, run: (job: Parameters<FFmpegRunner['run']>[0]) => (runner.runs++, engine.run(job)), close: async () => {} };
  return runner;
}

const frameOf = (result: ExtractedFrame | StillframeError | undefined): ExtractedFrame => {
  if (!result || result instanceof StillframeError) throw new Error(`expected a frame, got ${String(result)}`);
  return result;
};

describe.skipIf(!requireNativeTool('ffmpeg'))('extractFrames', () => {
  // h264-bframes.mp4: 4 s at 25 fps, an IDR every second.
  it('returns, in order, the frames extractFrame returns for each time', async () => {
    const video = await openVideoFile(await openFileSource(fixture('h264-bframes.mp4')), { runner: engine });
    const times = [3_100_000, 200_000, 1_480_000, 2_000_000, 360_000];
    const batch = await video.extractFrames(times, { size: { width: 160, height: 120 } });
    for (const [i, timeUs] of times.entries()) {
      const single = await video.extractFrame(timeUs, { size: { width: 160, height: 120 } });
      expect(frameOf(batch[i]).timeUs, `time ${timeUs}`).toBe(single.timeUs);
      expect(Buffer.from(frameOf(batch[i]).data).equals(Buffer.from(single.data)), `pixels at ${timeUs}`).toBe(true);
    }
    await video.close();
  });

  it('decodes the frames of one GOP in a single pass, and a frame named twice once', async () => {
    const runner = countingRunner();
    const video = await openVideoFile(await openFileSource(fixture('h264-bframes.mp4')), { runner });
    const results = await video.extractFrames([1_080_000, 1_400_000, 1_400_000, 1_920_000]);
    expect(results.map((r) => frameOf(r).timeUs)).toEqual([1_080_000, 1_400_000, 1_400_000, 1_920_000]);
    expect(runner.runs).toBe(1);
    await video.close();
  });

  it('decodes one pass per GOP touched', async () => {
    const runner = countingRunner();
    const video = await openVideoFile(await openFileSource(fixture('h264-bframes.mp4')), { runner });
    await video.extractFrames([100_000, 500_000, 1_100_000, 1_500_000, 3_200_000]);
    expect(runner.runs).toBe(3);
    await video.close();
  });

  it('decodes no picture twice across open GOPs: a leading picture and frames after its own entry point share one pass', async () => {
    // hevc-open-gop.mp4: CRA pictures every 0.8 s; 0.76 s is a leading (RASL) picture of the CRA
    // at 0.8 s, decoded from the CRA at 0 s, whose pass then runs through that CRA as well.
    const runner = countingRunner();
    const video = await openVideoFile(await openFileSource(fixture('hevc-open-gop.mp4')), { runner });
    const times = [760_000, 880_000, 1_000_000];
    const batch = await video.extractFrames(times, { size: { width: 80, height: 60 } });
    expect(runner.runs).toBe(1);
    for (const [i, timeUs] of times.entries()) {
      const single = await video.extractFrame(timeUs, { size: { width: 80, height: 60 } });
      expect(frameOf(batch[i]).timeUs, `time ${timeUs}`).toBe(single.timeUs);
      expect(Buffer.from(frameOf(batch[i]).data).equals(Buffer.from(single.data)), `pixels at ${timeUs}`).toBe(true);
    }
    await video.close();
  });

  it('hands each distinct frame to a transform once and keeps only what it returns', async () => {
    const video = await openVideoFile(await openFileSource(fixture('h264-bframes.mp4')), { runner: engine });
    const seen: number[] = [];
    const results = await video.extractFramesAs([1_400_000, 200_000, 1_400_000], {}, (frame) => {
      seen.push(frame.timeUs);
      if (frame.timeUs === 200_000) throw new StillframeError('decode', 'refused by the transform');
      return `${frame.width}x${frame.height}@${frame.timeUs}`;
    });
    expect(seen.sort()).toEqual([1_400_000, 200_000].sort());
    expect(results[0]).toBe('320x240@1400000');
    expect(results[2]).toBe('320x240@1400000');
    expect((results[1] as StillframeError).message).toBe('refused by the transform');
    await video.close();
  });

  it('gives a failing time its own error and the others their frames', async () => {
    const video = await openVideoFile(await openFileSource(fixture('truncated.mp4')), { runner: engine });
    const [bad, early, missing] = await video.extractFrames([Number.NaN, 40_000, 3_800_000]);
    expect(bad).toBeInstanceOf(StillframeError);
    expect((bad as StillframeError).kind).toBe('invalid-argument');
    expect(frameOf(early).timeUs).toBe(40_000);
    expect((missing as StillframeError).kind).toBe('io');
    await video.close();
  });

  it('tells which frame is on screen at a time, without decoding', async () => {
    const runner = countingRunner();
    const video = await openVideoFile(await openFileSource(fixture('h264-no-bframes.mp4')), { runner });
    expect(await video.frameShownAt(0)).toEqual({ timeUs: 0, endUs: 40_000 });
    expect(await video.frameShownAt(39_999)).toEqual({ timeUs: 0, endUs: 40_000 });
    expect(await video.frameShownAt(40_000)).toEqual({ timeUs: 40_000, endUs: 80_000 });
    expect(await video.frameShownAt(2_999_999)).toEqual({ timeUs: 2_960_000, endUs: 3_000_000 });
    expect(await video.frameShownAt(3_000_000)).toBeUndefined();
    expect(runner.runs).toBe(0);
    await video.close();
  });

  it("keeps the engine's instances busy: two decode passes per instance in flight, plus one", async () => {
    let running = 0;
    let peak = 0;
    const runner: FFmpegRunner = {
      parallelism: 1,
      async run(job) {
        peak = Math.max(peak, ++running);
        try {
          return await engine.run(job);
        } finally {
          running--;
        }
      },
      close: async () => {},
    };
    const video = await openVideoFile(await openFileSource(fixture('h264-bframes.mp4')), { runner });
    // Four GOPs, four passes: the engine gets them three at a time (one runs, two wait).
    const frames = await video.extractFrames([300_000, 1_300_000, 2_300_000, 3_300_000], { size: { width: 32, height: 24 } });
    await video.close();
    expect(frames.every((frame) => !(frame instanceof StillframeError))).toBe(true);
    expect(peak).toBe(3);
  });
});
