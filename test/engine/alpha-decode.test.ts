/**
 * VP9 with alpha through the engine: with `decoder: 'libvpx-vp9'` the frame decoder hands back
 * `yuva420p` frames whose RGBA has native ffmpeg's alpha exactly (`-c:v libvpx-vp9 … -pix_fmt
 * rgba`) and its colour within the conversion tolerance; ffmpeg's own VP9 decoder, the default,
 * leaves the alpha out. Whole WebM files are the input here; the Matroska demuxer builds the
 * same kind of input from the blocks it picks.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFrames } from '../../src/engine/frame-decoder.js';
import { yuvToRgba } from '../../src/image/yuv-to-rgba.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture, requireSharedMedia, sharedMedia } from '../helpers/fixtures.js';
import { ffmpeg, requireNativeTool } from '../helpers/native.js';
import { alphaDifference, rgbDifference } from '../helpers/pixels.js';

const runner = createNodeRunner({ instances: 1 });
afterAll(() => runner.close());

const TIMEOUT_MS = 30_000;

/** Native ffmpeg's RGBA of presented frame `n`, decoded by libvpx (which decodes the alpha). */
function nativeRgba(path: string, n: number, width: number, height: number) {
  const data = ffmpeg(['-c:v', 'libvpx-vp9', '-i', path, '-map', '0:v:0', '-vf', `select=eq(n\\,${n})`, '-frames:v', '1', '-pix_fmt', 'rgba', '-f', 'rawvideo', '-']);
  return { width, height, data };
}

/** Decodes the frames at `targetPts` (ms, the WebM timescale) of a whole file with libvpx and checks each against native. */
async function expectNativeAlpha(path: string, frames: readonly { pts: number; n: number }[]): Promise<void> {
  const input = { fileName: 'input.webm', bytes: readFileSync(path), targetPts: frames.map((f) => f.pts), decoder: 'libvpx-vp9' };
  const decoded = await decodeFrames(runner, input, TIMEOUT_MS);
  decoded.forEach(({ frame }, i) => {
    expect(frame.pixelFormat).toBe('yuva420p');
    const ours = yuvToRgba(frame);
    const native = nativeRgba(path, frames[i]!.n, frame.width, frame.height);
    const colour = rgbDifference(ours, native);
    const label = `frame ${frames[i]!.n}: colour mean ${colour.mean.toFixed(3)} max ${colour.max}`;
    expect(alphaDifference(ours, native).max, label).toBe(0);
    // The tolerance of yuv420p against native swscale (test/image/yuv-to-rgba.test.ts).
    expect(colour.mean, label).toBeLessThan(1.5);
    expect(colour.max, label).toBeLessThanOrEqual(4);
  });
}

describe.skipIf(!requireNativeTool('ffmpeg'))('decoding VP9 with alpha', () => {
  // 25 fps in millisecond ticks: frame n is presented at 40·n.
  it('gives yuva420p frames with native ffmpeg’s alpha exactly, in the order asked for', async () => {
    await expectNativeAlpha(fixture('vp9-alpha.webm'), [{ pts: 1200, n: 30 }, { pts: 0, n: 0 }, { pts: 480, n: 12 }]);
  });

  it('sees transparency: the fixture has fully transparent, partly and fully opaque pixels', async () => {
    const input = { fileName: 'input.webm', bytes: readFileSync(fixture('vp9-alpha.webm')), targetPts: [0], decoder: 'libvpx-vp9' };
    const [decoded] = await decodeFrames(runner, input, TIMEOUT_MS);
    const alpha = new Set(yuvToRgba(decoded!.frame).data.filter((_, i) => i % 4 === 3));
    expect([alpha.has(0), alpha.has(255), alpha.size > 100]).toEqual([true, true, true]);
  });

  it('without the libvpx decoder gets the colour planes only (ffmpeg’s VP9 decoder ignores alpha)', async () => {
    const input = { fileName: 'input.webm', bytes: readFileSync(fixture('vp9-alpha.webm')), targetPts: [0] };
    const [decoded] = await decodeFrames(runner, input, TIMEOUT_MS);
    expect(decoded!.frame.pixelFormat).toBe('yuv420p');
  });

  it.skipIf(!requireSharedMedia())('decodes the corpus’s transparency.webm (1280×720) with its alpha', async () => {
    await expectNativeAlpha(sharedMedia('transparency.webm'), [{ pts: 0, n: 0 }]);
  });
});
