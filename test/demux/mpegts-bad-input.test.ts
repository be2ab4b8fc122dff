/**
 * Transport streams stillframe cannot fully use fail with typed errors, promptly: no video
 * stream or a codec it does not read → `unsupported`; a file cut short → its whole frames still
 * come out and a frame whose bytes are missing is an `io` error; garbage after a valid start →
 * the frames before it come out.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { indexMpegts } from '../../src/demux/mpegts/mpegts-index.js';
import { memorySource } from '../../src/sources/memory-source.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { openVideoFile } from '../../src/video-file.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';
import { testBytes } from '../helpers/noise.js';

const runner = createNodeRunner({ instances: 1 });
afterAll(() => runner.close());

/** "Promptly": every case here settles well within this. */
const PROMPT_MS = 10_000;
const SMALL = { width: 32, height: 24 };

/** The first `fraction` of `bytes`, cut 100 bytes into a packet of the video PID (0x100, ffmpeg's). */
function cutInVideoPacket(bytes: Uint8Array, fraction: number): Uint8Array {
  let at = Math.floor((bytes.length * fraction) / 188) * 188;
  while ((((bytes[at + 1]! & 0x1f) << 8) | bytes[at + 2]!) !== 0x100) at += 188;
  return bytes.subarray(0, at + 100);
}

describe.skipIf(!requireNativeTool('ffmpeg'))('MPEG-TS input stillframe cannot fully use', () => {
  it('no video stream → unsupported', async () => {
    await expect(openVideoFile(await openFileSource(fixture('audio-only.ts')), { runner })).rejects.toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/no video stream/) });
  });

  it('MPEG-2 video → unsupported, naming it', async () => {
    await expect(openVideoFile(await openFileSource(fixture('mpeg2video.ts')), { runner })).rejects.toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/MPEG-2 video/) });
  });

  it('three sync bytes, then garbage → unsupported', async () => {
    const bytes = testBytes(2 * 1024 * 1024);
    bytes[0] = bytes[188] = bytes[376] = 0x47;
    await expect(openVideoFile(memorySource(bytes), { runner })).rejects.toMatchObject({ kind: 'unsupported' });
  });

  it('cut inside a video packet: frames before the cut come out, the frame it cuts is an io error', async () => {
    const cut = cutInVideoPacket(readFileSync(fixture('h264-bframes.ts')), 0.6);
    const last = (await indexMpegts(memorySource(cut))).samples.slice().at(-1)!;
    const video = await openVideoFile(memorySource(cut), { runner });
    try {
      const first = await video.extractFrame(0, { size: SMALL });
      expect(first.timeUs).toBe(video.info.firstFrameUs);
      const began = Date.now();
      await expect(video.extractFrame(Math.round((last.cts * 1e6) / 90_000), { mode: 'closest', size: SMALL })).rejects.toMatchObject({ kind: 'io' });
      expect(Date.now() - began).toBeLessThan(PROMPT_MS);
    } finally {
      await video.close();
    }
  });

  it('garbage after a valid start: the frames before it come out', async () => {
    const whole = readFileSync(fixture('h264-bframes.ts'));
    const start = whole.subarray(0, Math.floor(whole.length / 2 / 188) * 188);
    const damaged = new Uint8Array(start.length + 4 * 1024 * 1024);
    damaged.set(start);
    damaged.set(testBytes(damaged.length - start.length), start.length);
    const began = Date.now();
    const video = await openVideoFile(memorySource(damaged), { runner });
    try {
      const frames = await video.extractFrames([0, (video.info.firstFrameUs + video.info.lastFrameUs) / 2, video.info.lastFrameUs - 100_000], { size: SMALL });
      expect(frames.filter((frame) => frame instanceof Error)).toEqual([]);
      expect(Date.now() - began).toBeLessThan(PROMPT_MS);
    } finally {
      await video.close();
    }
  });
});
