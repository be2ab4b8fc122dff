/**
 * Bad input gets a clear, typed error within seconds, and the engine keeps serving: zero-length,
 * garbage, truncated, audio-only, moov missing, container headers with nothing usable after them, bad arguments.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { memorySource } from '../../src/sources/memory-source.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { openVideoFile } from '../../src/video-file.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture, requireSharedMedia, sharedMedia } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';

const runner = createNodeRunner();
afterAll(() => runner.close());

const open = (bytes: Uint8Array) => openVideoFile(memorySource(bytes), { runner });

describe('input that is not a video', () => {
  it('rejects a zero-length source as unsupported', async () => {
    await expect(open(new Uint8Array(0))).rejects.toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/empty/) });
  });

  it('rejects garbage bytes as unsupported', async () => {
    const garbage = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) & 0xff);
    await expect(open(garbage)).rejects.toMatchObject({ kind: 'unsupported' });
  });

  it('refuses a Matroska header with nothing valid after it, and MPEG-TS packets that name no video stream', async () => {
    await expect(open(Uint8Array.of(0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0))).rejects.toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/Matroska/) });
    const ts = new Uint8Array(188 * 3);
    ts[0] = ts[188] = ts[376] = 0x47;
    await expect(open(ts)).rejects.toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/MPEG-TS/) });
  });
});

describe.skipIf(!requireNativeTool('ffmpeg'))('broken or unusual MP4', () => {
  it('rejects an audio-only file: no video track', async () => {
    await expect(openVideoFile(await openFileSource(fixture('audio-only.m4a')), { runner })).rejects.toMatchObject({
      kind: 'unsupported',
      message: expect.stringMatching(/no video track/),
    });
  });

  it('rejects a file whose moov is missing as unsupported', async () => {
    await expect(openVideoFile(await openFileSource(fixture('moov-missing.mp4')), { runner })).rejects.toMatchObject({
      kind: 'unsupported',
      message: expect.stringMatching(/moov/),
    });
  });

  it('serves frames whose bytes are present in a truncated file, and an io error for the rest', async () => {
    const video = await openVideoFile(await openFileSource(fixture('truncated.mp4')), { runner });
    const early = await video.extractFrame(0, { mode: 'closest' });
    expect(early.width).toBe(320);
    await expect(video.extractFrame(3_800_000, { mode: 'closest' })).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/truncated/) });
    // The engine and the file keep serving after the failure.
    expect((await video.extractFrame(40_000, { mode: 'closest' })).timeUs).toBe(40_000);
    await video.close();
  });

  it('rejects a moov cut short as an io error', async () => {
    const whole = readFileSync(fixture('h264-bframes.mp4'));
    await expect(open(new Uint8Array(whole.subarray(0, 2000)))).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/truncated/) });
  });

  it('rejects bad times as invalid arguments', async () => {
    const video = await openVideoFile(await openFileSource(fixture('h264-no-bframes.mp4')), { runner });
    for (const bad of [Number.NaN, -1, Infinity]) {
      await expect(video.extractFrame(bad)).rejects.toMatchObject({ kind: 'invalid-argument' });
    }
    await video.close();
    await expect(video.extractFrame(0)).rejects.toMatchObject({ kind: 'not-allowed' });
  });
});

describe.skipIf(!requireNativeTool('ffmpeg'))('broken or unusual WebM/Matroska', () => {
  it('rejects an audio-only WebM: no video track', async () => {
    await expect(open(new Uint8Array(readFileSync(fixture('audio-only.webm'))))).rejects.toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/no video track/) });
  });

  it('serves frames whose bytes are present in a truncated WebM, an io error for the rest, and keeps serving', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('vp9.webm')));
    const video = await open(bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expect((await video.extractFrame(0, { mode: 'closest' })).timeUs).toBe(video.info.firstFrameUs);
    await expect(video.extractFrame(2_900_000, { mode: 'closest' })).rejects.toMatchObject({ kind: 'io' });
    expect((await video.extractFrame(300_000, { mode: 'previous-sync' })).timeUs).toBe(video.info.firstFrameUs);
    await video.close();
  });

  it('rejects a Matroska file cut inside its header, and garbage after a valid EBML header', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('vp9.webm')));
    await expect(open(bytes.subarray(0, 30))).rejects.toMatchObject({ kind: expect.stringMatching(/unsupported|io/) });
    const garbage = Uint8Array.from(bytes.subarray(0, 200));
    garbage.fill(0, 60);
    await expect(open(garbage)).rejects.toMatchObject({ kind: expect.stringMatching(/unsupported|io/) });
  });
});

describe.skipIf(!requireSharedMedia())('real-world broken files', () => {
  it('toothsome-dts.mp4 and multiple-aac-tracks.mp4 have no video track', async () => {
    for (const name of ['toothsome-dts.mp4', 'multiple-aac-tracks.mp4']) {
      await expect(openVideoFile(await openFileSource(sharedMedia(name)), { runner })).rejects.toMatchObject({
        kind: 'unsupported',
        message: expect.stringMatching(/no video track/),
      });
    }
  });

  it('annex-b.mp4 (truncated at 100 kB) decodes its first frame and gives io past its end', async () => {
    const video = await openVideoFile(await openFileSource(sharedMedia('annex-b.mp4')), { runner });
    const first = await video.extractFrame(0, { mode: 'closest' });
    expect([first.width, first.height]).toEqual([1920, 1080]);
    await expect(video.extractFrame(5_000_000, { mode: 'closest' })).rejects.toMatchObject({ kind: 'io' });
    await video.close();
  });
});
