/**
 * The sample table of progressive MP4/MOV files (read by stillframe itself from `stbl`, not by
 * mp4box): every sample's file offset, size, sync flag, decode time step and composition offset
 * agree with native ffprobe's packets (`-ignore_editlist 1`: the table as stored), on generated
 * fixtures and on the real-world files of the shared corpus. Times are compared as steps and
 * offsets, since ffmpeg and stillframe may start the clock at different points.
 */
import { describe, expect, it } from 'vitest';
import { indexMp4 } from '../../src/demux/mp4/mp4-index.js';
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
  const ours = track.samples.map((s, i) => ({
    pos: s.offset,
    size: s.size,
    key: s.labeledSync,
    step: i + 1 < packets.length ? track.samples[i + 1]!.dts - s.dts : null,
    composition: s.cts - s.dts - (track.samples[0]!.cts - track.samples[0]!.dts),
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
