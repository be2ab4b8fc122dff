/**
 * Only the needed bytes are read: one thumbnail from a 1.5 GiB file (a virtual one: a real MP4
 * with a huge padding box) reads the index, the samples from the frame's entry point to the
 * frame, and a small margin — never the padding, never other GOPs, never the index twice.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ByteSource } from '../../src/sources/byte-source.js';
import { countingSource } from '../../src/sources/counting-source.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { openVideoFile } from '../../src/video-file.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture } from '../helpers/fixtures.js';
import { ffprobe, requireNativeTool } from '../helpers/native.js';
import { paddedMp4Source, writePaddedMp4, type PaddedLayout } from '../helpers/padded-source.js';

const runner = createNodeRunner();
afterAll(() => runner.close());

const GIB = 1024 ** 3;
const MARGIN = 16 * 1024;
/** Other bytes between two samples that a read may take in rather than split (stillframe's rule). */
const BRIDGEABLE_GAP = 64 * 1024;
/** Bytes of box headers looked at once while walking the file and again inside their box. */
const REREAD_HEADERS = 1024;

/** How many distinct bytes the reads cover. */
function distinctBytes(reads: ReadonlyArray<{ offset: number; length: number }>): number {
  let total = 0;
  let end = 0;
  for (const { offset, length } of [...reads].sort((a, b) => a.offset - b.offset)) {
    total += Math.max(0, offset + length - Math.max(offset, end));
    end = Math.max(end, offset + length);
  }
  return total;
}

/** Packets in decode order, from native ffprobe. */
function packets(path: string) {
  return ffprobe(['-select_streams', 'v:0', '-show_entries', 'packet=pts_time,size,pos,flags', '-of', 'csv=p=0', path])
    .trim()
    .split('\n')
    .map((line) => {
      const [pts, size, pos, flags] = line.split(',');
      return { timeUs: Math.round(Number(pts) * 1e6), size: Number(size), pos: Number(pos), key: flags!.startsWith('K') };
    });
}

/** Extracts a mid-GOP frame and checks the bytes read against what ffprobe says it needs. */
async function expectEconomicalRead(path: string, source: ByteSource, layout: PaddedLayout): Promise<void> {
  const counting = countingSource(source);
  const video = await openVideoFile(counting, { runner });
  const frame = await video.extractFrame(2_500_000, { mode: 'closest' });

  const list = packets(path);
  const targetAt = list.findIndex((p) => Math.abs(p.timeUs - frame.timeUs) <= 1);
  expect(targetAt).toBeGreaterThan(0);
  let entryAt = targetAt;
  while (!list[entryAt]!.key) entryAt--;
  const needed = list.slice(entryAt, targetAt + 1).reduce((sum, p) => sum + p.size, 0);
  // The prefix in file order: the gaps between its samples small enough to be read through.
  const prefix = list.slice(entryAt, targetAt + 1);
  const byPosition = [...prefix].sort((a, b) => a.pos - b.pos);
  const gaps = byPosition.slice(1).map((p, i) => p.pos - (byPosition[i]!.pos + byPosition[i]!.size));
  const bridged = gaps.filter((gap) => gap > 0 && gap <= BRIDGEABLE_GAP).reduce((sum, gap) => sum + gap, 0);

  expect(counting.bytesRead).toBeLessThanOrEqual(layout.indexBytes + needed + bridged + MARGIN);
  expect(counting.bytesRead).toBeGreaterThanOrEqual(needed);
  // Samples stored back to back, or apart by a small gap, are read together: one read per
  // stretch of the GOP prefix, plus the entry point and the target, read alone while the plan
  // verified them.
  const stretches = 1 + gaps.filter((gap) => gap < 0 || gap > BRIDGEABLE_GAP).length;
  const padding = layout.size - statSync(path).size;
  const first = prefix[0]!.pos + padding;
  const end = prefix.at(-1)!.pos + prefix.at(-1)!.size + padding;
  const sampleReads = counting.reads.filter((read) => read.offset >= first && read.offset < end).length;
  expect(sampleReads).toBeLessThanOrEqual(stretches + 2);
  // Nothing but box headers is read twice: the index is parsed from the bytes read once.
  expect(counting.bytesRead - distinctBytes(counting.reads)).toBeLessThanOrEqual(REREAD_HEADERS);
  await video.close();
}

// ffmpeg makes the fixture, ffprobe lists its packets.
describe.skipIf(!requireNativeTool('ffmpeg') || !requireNativeTool('ffprobe'))('reading only what a frame needs', () => {
  it('reads the index and the GOP prefix of one mid-GOP frame from a virtual 1.5 GiB file', async () => {
    const path = fixture('h264-bframes.mp4');
    const { source, layout } = paddedMp4Source(path, 1.5 * GIB);
    expect(layout.size).toBeGreaterThan(1.5 * GIB);
    await expectEconomicalRead(path, source, layout);
  });

  it('does the same on a real (sparse) 2.5 GiB file on disk: offsets past 2 GiB work', async () => {
    const path = fixture('h264-bframes.mp4');
    const dir = mkdtempSync(join(tmpdir(), 'stillframe-big-'));
    try {
      const layout = writePaddedMp4(path, 2.5 * GIB, join(dir, 'big.mp4'));
      expect(layout.size).toBeGreaterThan(2.5 * GIB);
      await expectEconomicalRead(path, await openFileSource(join(dir, 'big.mp4')), layout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads through an audio chunk between two video chunks of a GOP prefix: one read, not two', async () => {
    // h264-bframes.mp4 interleaves AAC chunks with its video chunks.
    const path = fixture('h264-bframes.mp4');
    const counting = countingSource(await openFileSource(path));
    const video = await openVideoFile(counting, { runner });
    const frame = await video.extractFrame(1_920_000, { mode: 'closest' });
    await video.close();
    const list = packets(path);
    const targetAt = list.findIndex((p) => Math.abs(p.timeUs - frame.timeUs) <= 1);
    let entryAt = targetAt;
    while (!list[entryAt]!.key) entryAt--;
    const prefix = list.slice(entryAt, targetAt + 1).sort((a, b) => a.pos - b.pos);
    const gaps = prefix.slice(1).map((p, i) => p.pos - (prefix[i]!.pos + prefix[i]!.size));
    expect(gaps.some((gap) => gap > 0), 'the prefix is split by another track').toBe(true);
    expect(gaps.every((gap) => gap <= 64 * 1024)).toBe(true);
    const end = prefix.at(-1)!.pos + prefix.at(-1)!.size;
    const sampleReads = counting.reads.filter((read) => read.offset >= prefix[0]!.pos && read.offset < end).length;
    // The whole prefix in one read, plus the entry point and the target read alone while planning.
    expect(sampleReads).toBeLessThanOrEqual(3);
  });

  it('reads samples stored back to back in one read, not one read each', async () => {
    // Video only: each chunk holds many samples in a row.
    const path = fixture('h264-no-bframes.mp4');
    const counting = countingSource(await openFileSource(path));
    const video = await openVideoFile(counting, { runner });
    const frame = await video.extractFrame(2_300_000, { mode: 'closest' });
    await video.close();
    const list = packets(path);
    const targetAt = list.findIndex((p) => Math.abs(p.timeUs - frame.timeUs) <= 1);
    let entryAt = targetAt;
    while (!list[entryAt]!.key) entryAt--;
    const prefix = list.slice(entryAt, targetAt + 1);
    const end = prefix.at(-1)!.pos + prefix.at(-1)!.size;
    const sampleReads = counting.reads.filter((read) => read.offset >= prefix[0]!.pos && read.offset < end).length;
    expect(prefix.length).toBeGreaterThan(5);
    // The run of samples, plus the entry point and the target read alone while planning.
    expect(sampleReads).toBeLessThanOrEqual(3);
  });
});
