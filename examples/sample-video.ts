/**
 * The demo's sample video, made on the spot by the same ffmpeg.wasm engine stillframe decodes
 * with (its libx264 encoder): 6 s of a moving test pattern with a frame counter, 640×360,
 * 25 fps, a keyframe every 2 s and B-frames — so that between key frames the modes disagree
 * visibly: NEXT_SYNC and PREVIOUS_SYNC give different key frames, CLOSEST_SYNC the nearer of
 * those two, and CLOSEST a frame in between (at the demo's 3.1 s: 4.00, 2.00, 4.00 and 3.08 s).
 * The recipe ships with the repo; the video itself is never committed.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createNodeRunner } from '../src/index.js';

/** Writes the sample to `path` (unless it is already there) and returns the path. */
export async function makeSampleVideo(path: string): Promise<string> {
  if (existsSync(path)) return path;
  const runner = createNodeRunner();
  try {
    const result = await runner.run({
      inputs: [],
      args: [
        '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-t', '6',
        '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '50', '-bf', '2',
        '-movflags', '+faststart', '/sample.mp4',
      ],
      outputPath: '/sample.mp4',
      timeoutMs: 120_000,
    });
    if (result.exitCode !== 0 || !result.output) throw new Error(`could not make the sample video:\n${result.log.slice(-5).join('\n')}`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, result.output);
    return path;
  } finally {
    await runner.close();
  }
}
