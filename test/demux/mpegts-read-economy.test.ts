/**
 * A transport stream has no index, so opening one reads it once, front to back; the index is
 * kept with the opened video. Frames extracted afterwards read only the packets of their own
 * GOP (from its key frame to the frame), never the file again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { countingSource } from '../../src/sources/counting-source.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { openVideoFile } from '../../src/video-file.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture, requireSharedMedia, sharedMedia } from '../helpers/fixtures.js';
import { ffprobe, requireNativeTool } from '../helpers/native.js';

const runner = createNodeRunner({ instances: 1 });
afterAll(() => runner.close());

/** File positions of the key frames' first packets, and of the last video packet, from ffprobe. */
function keyPositions(path: string): { keys: Array<{ timeUs: number; pos: number }> } {
  const keys = ffprobe(['-select_streams', 'v:0', '-show_entries', 'packet=pts_time,pos,flags', '-of', 'csv=p=0', path])
    .trim()
    .split('\n')
    .filter((line) => line.split(',')[2]?.startsWith('K'))
    .map((line) => {
      const [time, pos] = line.split(',');
      return { timeUs: Math.round(Number(time) * 1e6), pos: Number(pos) };
    });
  return { keys };
}

describe.skipIf(!(requireNativeTool('ffmpeg') && requireNativeTool('ffprobe')))('reads of an MPEG-TS file', () => {
  it('opening reads the file once; each frame then reads within its own GOP only', async () => {
    const path = fixture('h264-bframes.ts');
    const source = countingSource(await openFileSource(path));
    const video = await openVideoFile(source, { runner });
    try {
      expect(source.bytesRead, 'the index reads the file once').toBeLessThan(source.size + 4096);
      const opened = source.reads.length;
      const { keys } = keyPositions(path);
      // Frames inside the second, third and fourth GOP (1 s GOPs starting at 1.4 s).
      const times = [2_100_000, 3_000_000, 4_900_000];
      const frames = await video.extractFrames(times, { mode: 'closest', size: { width: 32, height: 24 } });
      expect(frames.every((frame) => !(frame instanceof Error))).toBe(true);
      const after = source.reads.slice(opened);
      expect(after.length, 'a few reads per GOP').toBeLessThanOrEqual(3 * times.length);
      for (const read of after) {
        const gop = keys.findIndex((key, i) => read.offset >= key.pos && read.offset + read.length <= (keys[i + 1]?.pos ?? source.size));
        expect(gop, `read ${read.offset}+${read.length} lies within one GOP`).toBeGreaterThanOrEqual(0);
      }
      const total = after.reduce((sum, read) => sum + read.length, 0);
      expect(total, 'no more than the three GOPs').toBeLessThan(source.size * 0.8);
    } finally {
      await video.close();
    }
  });

  it.skipIf(!requireSharedMedia())('0.ts (one key frame; samples that share packets): a frame reads from the key frame to itself, in one read', async () => {
    const path = sharedMedia('0.ts');
    const source = countingSource(await openFileSource(path));
    const video = await openVideoFile(source, { runner });
    try {
      const opened = source.reads.length;
      await video.extractFrame(10_500_000, { mode: 'closest', size: { width: 32, height: 32 } });
      const after = source.reads.slice(opened);
      expect(after.length).toBeLessThanOrEqual(3);
      const end = Math.max(...after.map((read) => read.offset + read.length));
      // Half a second of a five-second file, from its start.
      expect(end).toBeLessThan(source.size * 0.25);
    } finally {
      await video.close();
    }
  });
});
