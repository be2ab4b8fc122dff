/**
 * The sample table of progressive MP4/MOV files (read by stillframe itself from `stbl`, not by
 * mp4box): every sample's file offset, size, sync flag, decode time step and composition offset
 * agree with native ffprobe's packets (`-ignore_editlist 1`: the table as stored), on generated
 * fixtures and on the real-world files of the shared corpus. Times are compared as steps and
 * offsets, since ffmpeg and stillframe may start the clock at different points.
 */
import { describe, expect, it } from 'vitest';
import { indexMp4 } from '../../src/demux/mp4/mp4-index.js';
import { readSampleTable } from '../../src/demux/mp4/sample-table.js';
import { SampleList } from '../../src/demux/sample-list.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { fixture, requireSharedMedia, sharedMedia, type FixtureName } from '../helpers/fixtures.js';
import { ffprobe, requireNativeTool } from '../helpers/native.js';

/** ffprobe's packets of the first video stream, in decode order, edit lists ignored. */
function probedPackets(path: string) {
  return ffprobe(['-ignore_editlist', '1', '-select_streams', 'v:0', '-show_entries', 'packet=pts,dts,size,pos,flags', '-of', 'csv=p=0', path])
    .trim()
    .split('\n')
    .map((line) => {
      const [pts, dts, size, pos, flags] = line.split(',');
      return { pts: Number(pts), dts: Number(dts), size: Number(size), pos: Number(pos), key: flags!.startsWith('K') };
    });
}

async function expectTableMatchesFfprobe(path: string): Promise<void> {
  const source = await openFileSource(path);
  const track = await indexMp4(source);
  await source.close();
  const packets = probedPackets(path);
  expect(track.samples.length).toBe(packets.length);
  const samples = track.samples.slice();
  const ours = samples.map((s, i) => ({
    pos: s.offset,
    size: s.size,
    key: s.labeledSync,
    step: i + 1 < packets.length ? samples[i + 1]!.dts - s.dts : null,
    composition: s.cts - s.dts - (samples[0]!.cts - samples[0]!.dts),
  }));
  const theirs = packets.map((p, i) => ({
    pos: p.pos,
    size: p.size,
    key: p.key,
    step: i + 1 < packets.length ? packets[i + 1]!.dts - p.dts : null,
    composition: p.pts - p.dts - (packets[0]!.pts - packets[0]!.dts),
  }));
  expect(ours).toEqual(theirs);
}

describe.skipIf(!requireNativeTool('ffmpeg'))('the sample table of progressive files', () => {
  // Not the fixtures with a doctored sync table: for those ffmpeg takes key flags from the bitstream.
  const fixtures: FixtureName[] = ['h264-bframes.mp4', 'h264-irregular-gop.mp4', 'hevc-open-gop.mp4', 'h264.mov', 'prores.mov', 'mpeg4.mp4', 'edit-list-cut.mp4'];
  for (const name of fixtures) {
    it(`matches ffprobe: ${name}`, async () => {
      await expectTableMatchesFfprobe(fixture(name));
    });
  }

  describe.skipIf(!requireSharedMedia())('real-world files', () => {
    for (const name of ['video.mp4', 'video-h265.mp4', 'cursed-vfr.mp4', 'edts.mp4', 'sar_2x1.mp4', 'rotate-buck-bunny.mp4']) {
      it(`matches ffprobe: ${name}`, async () => {
        await expectTableMatchesFfprobe(sharedMedia(name));
      });
    }
  });
});

/** A box: 32-bit size, type, payload. */
function box(type: string, ...payload: number[][]): number[] {
  const body = payload.flat();
  const size = 8 + body.length;
  return [size >>> 24, (size >>> 16) & 255, (size >>> 8) & 255, size & 255, ...[...type].map((c) => c.charCodeAt(0)), ...body];
}
const u32 = (...values: number[]) => values.flatMap((v) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]);
const u64 = (...values: number[]) => values.flatMap((v) => [...u32(Math.floor(v / 2 ** 32)), ...u32(v >>> 0)]);
const fullBox = (type: string, ...payload: number[][]) => box(type, u32(0), ...payload);

describe('the sample table of a hand-made stbl', () => {
  it('reads compact sizes, 64-bit chunk offsets, chunk runs, negative composition offsets and a sloppy sync table', () => {
    const stbl = box(
      'stbl',
      fullBox('stts', u32(2), u32(3, 100), u32(2, 50)),
      box('ctts', [1, 0, 0, 0], u32(2), u32(1, 200), u32(4, -100 >>> 0)),
      // The duplicate 1 is passed over; 4 is still sync.
      fullBox('stss', u32(3), u32(1, 1, 4)),
      // stz2 with 4-bit fields: sizes 1, 2, 3, 4, 5 (first in the high nibble).
      fullBox('stz2', [0, 0, 0, 4], u32(5), [0x12, 0x34, 0x50]),
      // Chunks 1-2 hold two samples each, chunk 3 one.
      fullBox('stsc', u32(2), u32(1, 2, 1), u32(3, 1, 1)),
      fullBox('co64', u32(3), u64(2 ** 33, 2 ** 33 + 1000, 2 ** 33 + 5000)),
    );
    const moov = new Uint8Array(stbl);
    const columns = readSampleTable(moov, { at: 0, size: moov.length }, 2 ** 34);
    const samples = new SampleList(columns).slice().map(({ dts, cts, duration, offset, size, labeledSync }) => ({ dts, cts, duration, offset, size, isSync: labeledSync }));
    expect(samples).toEqual([
      { dts: 0, cts: 200, duration: 100, offset: 2 ** 33, size: 1, isSync: true },
      { dts: 100, cts: 0, duration: 100, offset: 2 ** 33 + 1, size: 2, isSync: false },
      { dts: 200, cts: 100, duration: 100, offset: 2 ** 33 + 1000, size: 3, isSync: false },
      { dts: 300, cts: 200, duration: 50, offset: 2 ** 33 + 1003, size: 4, isSync: true },
      { dts: 350, cts: 250, duration: 50, offset: 2 ** 33 + 5000, size: 5, isSync: false },
    ]);
  });

  it('refuses a table whose chunks place fewer samples than it sizes', () => {
    const stbl = box('stbl', fullBox('stts', u32(1), u32(3, 1)), fullBox('stsz', u32(0), u32(3), u32(1, 1, 1)), fullBox('stsc', u32(1), u32(1, 1, 1)), fullBox('stco', u32(2), u32(10, 20)));
    const moov = new Uint8Array(stbl);
    expect(() => readSampleTable(moov, { at: 0, size: moov.length }, 1000)).toThrow(/place 2 of its 3 samples/);
  });

  it('refuses, before allocating for them, more samples of a fixed size than its chunks or the file can hold', () => {
    // One chunk of 2^32 - 1 samples, and a count to match: 4 G samples of 10 bytes in a 1 MB file.
    const huge = (count: number, perChunk: number) =>
      new Uint8Array(box('stbl', fullBox('stts', u32(1), u32(count, 1)), fullBox('stsz', u32(10), u32(count)), fullBox('stsc', u32(1), u32(1, perChunk, 1)), fullBox('stco', u32(1), u32(0))));
    const tooMany = huge(0xfffffff0, 0xffffffff);
    expect(() => readSampleTable(tooMany, { at: 0, size: tooMany.length }, 1_000_000)).toThrow(expect.objectContaining({ kind: 'unsupported' }));
    const moreThanChunks = huge(1000, 10);
    expect(() => readSampleTable(moreThanChunks, { at: 0, size: moreThanChunks.length }, 1_000_000)).toThrow(/cannot be in its chunks or in the file/);
  });
});
