/**
 * Every decode has a time limit (`openVideoFile(source, { decodeTimeoutMs })`, 30 s by default):
 * a frame whose decode overruns it fails with a `timeout` error soon after the limit, and the
 * engine, which threw the overrunning instance away, serves the next frame.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { openVideoFile } from '../../src/video-file.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';
import { expectedFrame, referenceFrames } from '../helpers/reference.js';

const runner = createNodeRunner({ instances: 1 });
afterAll(() => runner.close());

describe.skipIf(!(requireNativeTool('ffmpeg') && requireNativeTool('ffprobe')))('decode time limit', () => {
  it('fails a mid-GOP frame whose decode overruns a tiny limit with timeout; the default limit then decodes it', async () => {
    const path = fixture('h264-bframes.mp4');
    // 1.3 s lies between the key frames at 1 s and 2 s: the decode runs from 1 s to the target.
    const timeUs = 1_300_000;

    const hurried = await openVideoFile(await openFileSource(path), { runner, decodeTimeoutMs: 1 });
    const started = Date.now();
    await expect(hurried.extractFrame(timeUs, { mode: 'closest' })).rejects.toMatchObject({
      name: 'StillframeError',
      kind: 'timeout',
      message: expect.stringMatching(/time limit of 1 ms/),
    });
    expect(Date.now() - started, 'reported soon after the limit').toBeLessThan(5_000);
    await hurried.close();

    const patient = await openVideoFile(await openFileSource(path), { runner });
    const frame = await patient.extractFrame(timeUs, { mode: 'closest' });
    expect(frame.timeUs).toBe(expectedFrame(referenceFrames(path), timeUs, 'closest').timeUs);
    expect([frame.width, frame.height]).toEqual([320, 240]);
    await patient.close();
  });
});
