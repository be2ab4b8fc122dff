/**
 * media.AVImageGenerator on media it cannot use and on sources or decodes that stall: every
 * such fetch fails with the HarmonyOS code that names the problem, within seconds (or at its
 * time limit), and the same process then serves a good frame from a good file.
 *
 * - 5400106: empty media (bytes, file or `AVDataSrcDescriptor` of `fileSize` 0), garbage, no
 *   `moov`, no video track, a codec the engine cannot decode (WebM/Matroska and MPEG-TS files
 *   give their frames);
 * - 5400103: bytes a frame needs that are missing (a truncated file) or that the decoder cannot
 *   use (noise in `mdat`), and a `dataSrc` callback that does not return within 30 s;
 * - 5400104: a decode that overruns its time limit.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FFmpegRunner } from '../../src/engine/ffmpeg-runner.js';
import { closeSharedRunner, registerRunnerFactory } from '../../src/engine/shared-runner.js';
import { media } from '../../src/harmony/index.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture, requireSharedMedia, sharedMedia } from '../helpers/fixtures.js';
import { ffmpeg, requireNativeTool, unavailable } from '../helpers/native.js';
import { testBytes } from '../helpers/noise.js';
import { expectedFrame, meanAbsDiff, referenceFrames, referencePixels } from '../helpers/reference.js';
import { expectBusinessError, pixelsOf } from './helpers.js';

const { AV_IMAGE_QUERY_NEXT_SYNC, AV_IMAGE_QUERY_CLOSEST } = media.AVImageQueryOptions;

/** "Within seconds": the bound every failing fetch here must meet (none waits on a limit). */
const PROMPT_MS = 10_000;

/**
 * The facade has no setting for the decode time limit (30 s per decode), so the engine it uses
 * here can give the next decode a tiny one; otherwise it is the engine `useEngine()` registers.
 */
let nextDecodeLimitMs: number | undefined;
function engineWithLimitOverride(inner: FFmpegRunner): FFmpegRunner {
  return {
    parallelism: inner.parallelism,
    close: () => inner.close(),
    run(job) {
      const timeoutMs = nextDecodeLimitMs ?? job.timeoutMs;
      nextDecodeLimitMs = undefined;
      return inner.run({ ...job, timeoutMs });
    },
  };
}
registerRunnerFactory(() => engineWithLimitOverride(createNodeRunner({ instances: 2 })));
afterAll(() => closeSharedRunner());

const native = requireNativeTool('ffmpeg') && requireNativeTool('ffprobe');

/** A good file, and a mid-GOP frame of it that must decode after every failure. */
const GOOD = { name: 'h264-bframes.mp4', timeUs: 1_300_000 } as const;

/** A new generator on the good file serves the right frame (by time and pixels). */
async function expectGoodFrame(): Promise<void> {
  const path = fixture(GOOD.name);
  const generator = await media.createAVImageGenerator();
  generator.url = path;
  const pixelMap = await generator.fetchFrameByTime(GOOD.timeUs, AV_IMAGE_QUERY_CLOSEST, { width: 80, height: 60 });
  const expected = expectedFrame(referenceFrames(path), GOOD.timeUs, 'closest');
  expect(pixelMap.frameTimeUs).toBe(expected.timeUs);
  expect(meanAbsDiff(await pixelsOf(pixelMap), referencePixels(path, expected.n, 80, 60))).toBeLessThan(4);
  await generator.release();
}

/**
 * Fetches at `timeUs` from the source `configure` sets, expects `code` (and `message`) within
 * {@link PROMPT_MS}, then a good frame from a good file.
 */
async function expectPromptFailure(configure: (generator: media.AVImageGenerator) => void, code: number, message: RegExp | undefined, timeUs = 0): Promise<void> {
  const generator = await media.createAVImageGenerator();
  configure(generator);
  const started = Date.now();
  await expectBusinessError(generator.fetchFrameByTime(timeUs, AV_IMAGE_QUERY_CLOSEST, { width: 32, height: 24 }), code, message);
  expect(Date.now() - started, 'failed within seconds').toBeLessThan(PROMPT_MS);
  await generator.release();
  await expectGoodFrame();
}

/** Offset of the first `type` box in `bytes` (by its type's first occurrence). */
function boxAt(bytes: Buffer, type: string): number {
  const at = bytes.indexOf(Buffer.from(type, 'latin1')) - 4;
  if (at < 0) throw new Error(`no ${type} box`);
  return at;
}

/** The MP4 at `path` with the payload of its `mdat` overwritten by noise: a valid container, samples no decoder can use. */
function withNoiseInMdat(path: string): Buffer {
  const bytes = Buffer.from(readFileSync(path));
  const mdat = boxAt(bytes, 'mdat');
  const payload = bytes.readUInt32BE(mdat) - 8;
  bytes.set(testBytes(payload), mdat + 8);
  return bytes;
}

/** The MP4 at `path` with the type of its first sample entry renamed to `fourcc`. */
function withSampleEntryType(path: string, fourcc: string): Buffer {
  const bytes = Buffer.from(readFileSync(path));
  // stsd: size, 'stsd', version/flags, entry count, then the first entry's size and type.
  const entryType = boxAt(bytes, 'stsd') + 20;
  bytes.write(fourcc, entryType, 'latin1');
  return bytes;
}

/** True when native ffmpeg can encode AV1 (Debian's can, with libaom); otherwise the presence rule of `native.ts`. */
function requireAv1Encoder(): boolean {
  if (!native) return false;
  if (new TextDecoder().decode(ffmpeg(['-encoders'])).includes('libaom-av1')) return true;
  return unavailable('native ffmpeg has no libaom-av1 encoder, needed to make an AV1 file');
}

describe.skipIf(!native)('media the engine cannot use', () => {
  let dir: string;
  const inDir = (name: string, bytes: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stillframe-robustness-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('→ 5400106 within seconds, and a good file is served next', () => {
    it('zero-length bytes (dataSrc)', async () => {
      await expectPromptFailure((g) => (g.dataSrc = new Uint8Array(0)), 5400106, /empty/);
    });

    it('a zero-length file (url)', async () => {
      const empty = inDir('empty.mp4', new Uint8Array(0));
      await expectPromptFailure((g) => (g.url = empty), 5400106, /empty/);
    });

    it('an AVDataSrcDescriptor of fileSize 0: empty media like the above (only -1, size unknown, is refused with 401)', async () => {
      let calls = 0;
      await expectPromptFailure((g) => (g.dataSrc = { fileSize: 0, callback: () => (calls++, -1) }), 5400106, /empty/);
      expect(calls).toBe(0);
    });

    it('garbage bytes', async () => {
      await expectPromptFailure((g) => (g.dataSrc = testBytes(8192)), 5400106, /not a recognised video container/);
    });

    it('a file whose moov box is missing', async () => {
      await expectPromptFailure((g) => (g.url = fixture('moov-missing.mp4')), 5400106, /moov/);
    });

    it('an audio-only file', async () => {
      await expectPromptFailure((g) => (g.url = fixture('audio-only.m4a')), 5400106, /no video track/);
    });

    it('a codec the engine cannot decode: MPEG-2 video in an mp4v entry, named by its object type', async () => {
      await expectPromptFailure((g) => (g.url = fixture('mpeg2video.mp4')), 5400106, /codec 'mp4v \(object type 0x61\)' cannot be decoded/);
    });

    it('a codec the engine cannot decode: a sample entry of another codec (vvc1, H.266), named in the message', async () => {
      const renamed = inDir('vvc1.mp4', withSampleEntryType(fixture('h264-no-bframes.mp4'), 'vvc1'));
      await expectPromptFailure((g) => (g.url = renamed), 5400106, /codec 'vvc1' cannot be decoded/);
    });

    it.skipIf(!requireAv1Encoder())('a codec the engine cannot decode: a real AV1 file, in MP4 and in WebM (the core has no software AV1 decoder)', async () => {
      for (const [name, codec] of [['av1.mp4', 'av01'], ['av1.webm', 'V_AV1']] as const) {
        const av1 = join(dir, name);
        ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25', '-t', '1', '-c:v', 'libaom-av1', '-cpu-used', '8', '-b:v', '100k', av1]);
        await expectPromptFailure((g) => (g.url = av1), 5400106, new RegExp(`codec '${codec}' cannot be decoded`));
      }
    });
  });

  describe('→ 5400103 within seconds, and a good file is served next', () => {
    it('a file cut inside its moov box', async () => {
      const cut = new Uint8Array(readFileSync(fixture(GOOD.name)).subarray(0, 2000));
      await expectPromptFailure((g) => (g.dataSrc = cut), 5400103, /truncated/);
    });

    it('a truncated file, for a frame whose samples are past its end', async () => {
      await expectPromptFailure((g) => (g.url = fixture('truncated.mp4')), 5400103, /truncated/, 3_800_000);
    });

    it.each([0, 1_300_000, 3_900_000])('a valid MP4 whose mdat holds noise, at %i µs: the samples reach the decoder, which makes nothing of them', async (timeUs) => {
      const noisy = inDir(`noise-${timeUs}.mp4`, withNoiseInMdat(fixture(GOOD.name)));
      await expectPromptFailure((g) => (g.url = noisy), 5400103, /decoder/, timeUs);
    });
  });
});

describe.skipIf(!(native && requireSharedMedia()))('containers', () => {
  it.each([
    ['frames.webm', 1_000_000],
    ['annex-b-avc.mkv', 1_000_000],
    // Its first frame is shown at 10.03 s.
    ['0.ts', 11_000_000],
  ])('%s (WebM/Matroska/MPEG-TS, from the shared corpus) gives the frame native ffmpeg shows', async (name, timeUs) => {
    const path = sharedMedia(name);
    const expected = expectedFrame(referenceFrames(path), timeUs, 'closest');
    const generator = await media.createAVImageGenerator();
    generator.url = path;
    const pixelMap = await generator.fetchFrameByTime(timeUs, AV_IMAGE_QUERY_CLOSEST, { width: 160, height: 90 });
    expect(pixelMap.frameTimeUs).toBe(expected.timeUs);
    expect(meanAbsDiff(await pixelsOf(pixelMap), referencePixels(path, expected.n, 160, 90))).toBeLessThan(6);
    await generator.release();
  });
});

describe.skipIf(!native)('time limits', () => {
  it('a decode that overruns its time limit → 5400104; the next fetch, on the same generator, decodes', async () => {
    const generator = await media.createAVImageGenerator();
    generator.url = fixture(GOOD.name);
    nextDecodeLimitMs = 1;
    await expectBusinessError(generator.fetchFrameByTime(GOOD.timeUs, AV_IMAGE_QUERY_CLOSEST, {}), 5400104, /time limit of 1 ms/);
    expect(nextDecodeLimitMs, 'the fetch decoded').toBeUndefined();
    const pixelMap = await generator.fetchFrameByTime(GOOD.timeUs, AV_IMAGE_QUERY_CLOSEST, {});
    expect(pixelMap.frameTimeUs).toBe(expectedFrame(referenceFrames(fixture(GOOD.name)), GOOD.timeUs, 'closest').timeUs);
    await generator.release();
  });

  it('a dataSrc callback that never returns → 5400103 after 30 s (not sooner, never later); a good file is served next', async () => {
    let called!: () => void;
    const firstCall = new Promise<void>((resolve) => (called = resolve));
    const generator = await media.createAVImageGenerator();
    generator.dataSrc = {
      fileSize: 1_000_000,
      callback: () => {
        called();
        return new Promise<number>(() => {});
      },
    };
    // A fake clock stands in for the 30 s; only timers are faked, the engine is not involved yet.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let settled = false;
      const fetching = generator.fetchFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, {});
      fetching.then(
        () => (settled = true),
        () => (settled = true),
      );
      await firstCall;
      await vi.advanceTimersByTimeAsync(29_999);
      expect(settled, 'still waiting just before 30 s').toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await expectBusinessError(fetching, 5400103, /did not return within 30000 ms/);
    } finally {
      vi.useRealTimers();
    }
    await generator.release();
    await expectGoodFrame();
  });
});
