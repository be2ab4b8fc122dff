/**
 * The Matroska/WebM index lists the video track's blocks as native ffprobe lists its packets:
 * the same count, byte positions, sizes, key flags and presentation times, in decode order —
 * on files ffmpeg writes (with B-frames, interleaved audio, live-style clusters of unknown size)
 * and on the real-world corpus.
 */
import { describe, expect, it } from 'vitest';
import { indexMatroska } from '../../src/demux/matroska/matroska-index.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { fixture, requireSharedMedia, sharedMedia, type FixtureName } from '../helpers/fixtures.js';
import { ffprobe, requireNativeTool } from '../helpers/native.js';

/** ffprobe's video packets: position, size, key flag and pts in the stream's time base. */
function probedPackets(path: string) {
  return ffprobe(['-select_streams', 'v:0', '-show_entries', 'packet=pts,pos,size,flags', '-of', 'csv=p=0', path])
    .trim()
    .split('\n')
    // Packets with side data (VP9 alpha) get a trailing field and a blank line.
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [pts, size, pos, flags] = line.split(',');
      return { pts: Number(pts), pos: Number(pos), size: Number(size), key: flags!.startsWith('K') };
    });
}

async function expectIndexMatchesFfprobe(path: string): Promise<void> {
  const source = await openFileSource(path);
  const track = await indexMatroska(source);
  // ffprobe gives a block's position; its frame follows the 4-byte block header (a one-byte
  // track number, the relative timecode, the flags). A track with alpha stores whole block
  // elements: the frame is found in them by unpacking.
  const ours = [];
  for (const s of track.samples.slice()) {
    let { offset, size } = s;
    if (track.unpackSample) {
      const stored = await source.read(s.offset, s.size);
      const { data } = track.unpackSample(stored, s);
      offset += data.byteOffset - stored.byteOffset;
      size = data.length;
    }
    ours.push({ pts: s.cts, pos: offset - 4, size, key: s.labeledSync });
  }
  await source.close();
  expect(ours).toEqual(probedPackets(path));
}

describe.skipIf(!requireNativeTool('ffprobe'))('the Matroska index, against ffprobe', () => {
  const generated: FixtureName[] = ['h264-bframes.mkv', 'hevc-open-gop.mkv', 'vp9.webm', 'vp8.webm', 'vp9-live.webm', 'mpeg4.mkv', 'mjpeg.mkv'];
  for (const name of generated) {
    it(name, () => expectIndexMatchesFfprobe(fixture(name)));
  }

  it.skipIf(!requireSharedMedia())('the corpus: frames.webm, annex-b-avc.mkv, transparency.webm', async () => {
    for (const name of ['frames.webm', 'annex-b-avc.mkv', 'transparency.webm']) await expectIndexMatchesFfprobe(sharedMedia(name));
  });

  it('the live-style fixture really has clusters of unknown size', async () => {
    const source = await openFileSource(fixture('vp9-live.webm'));
    const head = Buffer.from(await source.read(0, 64 * 1024));
    await source.close();
    const cluster = head.indexOf(Buffer.from([0x1f, 0x43, 0xb6, 0x75]));
    expect(cluster).toBeGreaterThan(0);
    // A size field of all ones: 0xFF, 0x7F 0xFF, 0x3F 0xFF 0xFF, … (the length marker, then ones).
    const first = head[cluster + 4]!;
    const length = Math.clz32(first) - 23;
    expect(first).toBe(0xff >> (length - 1));
    expect([...head.subarray(cluster + 5, cluster + 4 + length)].every((byte) => byte === 0xff)).toBe(true);
  });
});

describe.skipIf(!requireNativeTool('ffprobe') || !requireSharedMedia())('VP9 alpha in WebM', () => {
  it('each block of transparency.webm unpacks into its frame and its alpha plane, both VP9 frames', async () => {
    const source = await openFileSource(sharedMedia('transparency.webm'));
    try {
      const track = await indexMatroska(source);
      expect(track.unpackSample, 'a track with AlphaMode 1 unpacks its blocks').toBeDefined();
      const samples = track.samples.slice();
      expect(samples.length).toBe(probedPackets(sharedMedia('transparency.webm')).length);
      const unpacked = [];
      for (const sample of samples) {
        const { data, alphaData } = track.unpackSample!(await source.read(sample.offset, sample.size), sample);
        // A VP9 frame starts with the 2-bit frame marker 0b10.
        expect(data[0]! >> 6, `frame at ${sample.cts}`).toBe(2);
        expect(alphaData?.[0]! >> 6, `alpha at ${sample.cts}`).toBe(2);
        unpacked.push({ sample, data, alphaData });
      }
      // Decode inputs carry the alpha plane, for the decoder that reads it.
      const input = track.buildDecodeInput(unpacked.slice(0, 3), [samples[2]!]);
      expect(input.decoder).toBe('libvpx-vp9');
      const plain = track.buildDecodeInput(unpacked.slice(0, 3).map(({ sample, data }) => ({ sample, data })), [samples[2]!]);
      expect(plain.decoder).toBeUndefined();
      expect(input.bytes.length - plain.bytes.length).toBeGreaterThan(unpacked.slice(0, 3).reduce((sum, s) => sum + s.alphaData!.length, 0));
    } finally {
      await source.close();
    }
  });

  it('a track without AlphaMode stores plain frames', async () => {
    const source = await openFileSource(fixture('vp9.webm'));
    const track = await indexMatroska(source);
    await source.close();
    expect(track.unpackSample).toBeUndefined();
  });
});
