/**
 * The codec readers against real bitstreams made by native ffmpeg (x264, x265, libvpx) and
 * checked against ffmpeg itself: ffprobe's key-frame and picture-type view, and actual
 * decodes. "Entry point" is verified by decoding from that sample alone; "not referenced"
 * by decoding with every such sample removed; both must give bit-exact frames.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifySample } from '../../src/codec/entry-points.js';
import { inspectH264Sample } from '../../src/codec/h264.js';
import { splitNalUnits, splitNalUnitsWithFraming } from '../../src/codec/nal-units.js';
import { splitVp9Superframe } from '../../src/codec/vp9.js';
import { ffmpeg, nativeToolAvailable, tempDir } from './helpers/native.js';
import { classifyIvf, decodeSamples, fullDecode, loadMp4, probeFrames, range, type LoadedStream } from './helpers/streams.js';

const haveNative = nativeToolAvailable('ffmpeg') && nativeToolAvailable('ffprobe');

const LAVFI = ['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25'];
const X264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'];
const X265 = ['-c:v', 'libx265', '-preset', 'fast', '-pix_fmt', 'yuv420p'];

describe.skipIf(!haveNative)('real bitstreams from native ffmpeg', () => {
  let tmp: ReturnType<typeof tempDir>;
  const make = (name: string, args: string[]) => {
    const out = join(tmp.dir, name);
    ffmpeg([...args, out]);
    return out;
  };
  let h264Closed: LoadedStream;
  let h264Open: LoadedStream;
  let hevcOpen: LoadedStream;
  let hevcTemporal: LoadedStream;

  beforeAll(() => {
    tmp = tempDir();
    // Closed GOPs: every I-frame an IDR; B-pyramid gives referenced and unreferenced Bs.
    h264Closed = loadMp4(make('h264-closed.mp4', [...LAVFI, '-t', '2', ...X264, '-g', '10', '-bf', '2']));
    // Open GOPs: only the first picture is an IDR; later key frames are I-frames with a
    // recovery point SEI, followed in decode order by leading B-frames (keyint 12 puts
    // the I-frame at the end of a mini-GOP).
    h264Open = loadMp4(
      make('h264-open.mp4', [...LAVFI, '-t', '4', ...X264, '-bf', '2', '-x264-params', 'keyint=12:min-keyint=12:open-gop=1:scenecut=0']),
    );
    // HEVC open GOPs: CRA pictures with RASL leading pictures.
    hevcOpen = loadMp4(
      make('hevc-open.mp4', [...LAVFI, '-t', '2', ...X265, '-x265-params', 'keyint=10:min-keyint=10:open-gop=1:scenecut=0:bframes=3:log-level=error']),
    );
    // Temporal scalability: unreferenced B-frames in sub-layer 1 (TSA_N), so the SPS says
    // sps_max_sub_layers_minus1 = 1.
    hevcTemporal = loadMp4(
      make('hevc-temporal.mp4', [
        ...LAVFI, '-t', '2', ...X265,
        '-x265-params', 'keyint=10:min-keyint=10:open-gop=1:scenecut=0:bframes=3:temporal-layers=1:log-level=error',
      ]),
    );
  }, 120_000);
  afterAll(() => tmp?.remove());

  const all = () => [h264Closed, h264Open, hevcOpen, hevcTemporal];

  it('reads every generated sample as length-prefixed, with the lengths from the record', () => {
    for (const stream of all()) {
      expect(stream.config!.framing).toBe('length-prefixed');
      expect(stream.config!.lengthSize).toBe(4);
      for (const sample of stream.samples) {
        expect(splitNalUnitsWithFraming(sample!, 4).framing).toBe('length-prefixed');
      }
    }
  });

  it('parses the HEVC records: VPS/SPS/PPS and the highest temporal sub-layer', () => {
    for (const stream of [hevcOpen, hevcTemporal]) {
      const types = stream.config!.parameterSets.map((u) => (u[0]! >> 1) & 0x3f);
      expect(types).toEqual(expect.arrayContaining([32, 33, 34]));
    }
    expect(hevcOpen.config!.maxTemporalId).toBe(0);
    expect(hevcTemporal.config!.maxTemporalId).toBe(1);
  });

  it('H.264 closed GOP: entry points are exactly the key frames of ffprobe and of the container', () => {
    const frames = probeFrames(h264Closed);
    expect(frames).toHaveLength(h264Closed.samples.length);
    for (const frame of frames) {
      const cls = h264Closed.classes[frame.sample]!;
      expect(cls.isEntryPoint).toBe(frame.keyFrame);
      expect(cls.isEntryPoint).toBe(h264Closed.labeledKey[frame.sample]);
      expect(inspectH264Sample(splitNalUnits(h264Closed.samples[frame.sample]!, 4)).isIntra).toBe(frame.pictType === 'I');
    }
    expect(h264Closed.classes.filter((c) => c!.isEntryPoint)).toHaveLength(5);
  });

  it('H.264 open GOP: the container labels recovery-point I-frames sync; the bitstream says they are not IDR', () => {
    const frames = probeFrames(h264Open);
    const recovery = range(0, h264Open.samples.length).filter((i) => h264Open.classes[i]!.isRecoveryPoint);
    expect(recovery.length).toBeGreaterThan(3);
    expect(h264Open.classes.filter((c) => c!.isEntryPoint)).toHaveLength(1);
    expect(h264Open.classes[0]!.isEntryPoint).toBe(true);
    for (const frame of frames) {
      const cls = h264Open.classes[frame.sample]!;
      // ffmpeg flags IDR and recovery-point pictures as key frames; so does the muxer.
      expect(Boolean(cls.isEntryPoint || cls.isRecoveryPoint)).toBe(frame.keyFrame);
      expect(h264Open.labeledKey[frame.sample]).toBe(frame.keyFrame);
      if (cls.isRecoveryPoint) expect(frame.pictType).toBe('I');
    }
  });

  it('every H.264/HEVC entry point decodes on its own, bit-exact, minus RASL pictures only', () => {
    for (const stream of [h264Closed, hevcOpen, hevcTemporal]) {
      const { order, md5 } = fullDecode(stream);
      const entries = range(0, stream.samples.length).filter((i) => stream.classes[i]!.isEntryPoint);
      expect(entries.length).toBeGreaterThan(1);
      for (const entry of entries) {
        const nextEntry = entries.find((e) => e > entry) ?? stream.samples.length;
        // Pictures that must not come out when decoding starts here: this entry's RASLs.
        const dropped = (i: number) => i > entry && i < nextEntry && stream.classes[i]!.isLeadingUndecodable;
        const expected = order.filter((i) => i >= entry && !dropped(i)).map((i) => md5.get(i));
        expect(decodeSamples(stream, range(entry, stream.samples.length)), `${stream.path} from ${entry}`).toEqual(expected);
      }
    }
    // The HEVC open-GOP stream really has RASL pictures, so the rule above was exercised.
    expect(hevcOpen.classes.some((c) => c!.isLeadingUndecodable)).toBe(true);
  });

  it('decoding entry..target (as the planner does) delivers the target from IDR/CRA, not from recovery points', () => {
    // The engine decodes an input that runs from the entry point to the target and ends
    // there. Checked for one GOP per stream, every target in it.
    const lostTargets = (stream: LoadedStream, entry: number, count: number) => {
      const { md5 } = fullDecode(stream);
      const lost: number[] = [];
      for (let target = entry; target < Math.min(entry + count, stream.samples.length); target++) {
        // A RASL picture of this very CRA is decoded from the entry before: not a target here.
        if (target > entry && stream.classes[target]!.isLeadingUndecodable) continue;
        if (!decodeSamples(stream, range(entry, target + 1)).includes(md5.get(target)!)) lost.push(target);
      }
      return lost;
    };
    const entries = (stream: LoadedStream) => range(0, stream.samples.length).filter((i) => stream.classes[i]!.isEntryPoint);
    expect(lostTargets(h264Closed, entries(h264Closed)[1]!, 10)).toEqual([]);
    expect(lostTargets(h264Open, 0, 12)).toEqual([]);
    const cra = entries(hevcOpen)[1]!;
    expect(lostTargets(hevcOpen, cra, entries(hevcOpen)[2]! - cra)).toEqual([]);

    // The evidence behind classifySample's IDR-only rule for H.264: from a recovery-point
    // I-frame ffmpeg (lavc 59, native and wasm alike) drops the leading B-frames, and also
    // later pictures still in its reorder queue when the input ends, because those are
    // only marked "recovered" once the I-frame itself has been output.
    const recovery = range(0, h264Open.samples.length).find((i) => h264Open.classes[i]!.isRecoveryPoint)!;
    expect(lostTargets(h264Open, recovery, 12).length).toBeGreaterThan(0);
  });

  it('every sample classified non-reference can be skipped without changing any other frame', () => {
    for (const stream of all()) {
      const { order, md5 } = fullDecode(stream);
      const skipped = new Set(range(0, stream.samples.length).filter((i) => !stream.classes[i]!.isReference));
      expect(skipped.size, stream.path).toBeGreaterThan(0);
      const kept = range(0, stream.samples.length).filter((i) => !skipped.has(i));
      const expected = order.filter((i) => !skipped.has(i)).map((i) => md5.get(i));
      expect(decodeSamples(stream, kept), stream.path).toEqual(expected);
    }
  });

  it('HEVC: IRAP pictures are ffprobe key frames, and the container agrees', () => {
    for (const stream of [hevcOpen, hevcTemporal]) {
      for (const frame of probeFrames(stream)) {
        expect(stream.classes[frame.sample]!.isEntryPoint).toBe(frame.keyFrame);
        expect(stream.labeledKey[frame.sample]).toBe(frame.keyFrame);
      }
    }
  });

  it('finds the same NAL units in Annex-B copies of real samples (3- and 4-byte start codes)', () => {
    for (const stream of all()) {
      for (const sample of stream.samples) {
        const units = splitNalUnits(sample!, 4);
        for (const startCode of [[0, 0, 1], [0, 0, 0, 1]]) {
          const annexB = new Uint8Array(units.reduce((n, u) => n + startCode.length + u.length, 0));
          let pos = 0;
          for (const unit of units) {
            annexB.set(startCode, pos);
            annexB.set(unit, pos + startCode.length);
            pos += startCode.length + unit.length;
          }
          const split = splitNalUnitsWithFraming(annexB, 4);
          // The one documented ambiguity (see splitNalUnitsWithFraming): a lone unit of
          // 257 + first-byte bytes behind a 3-byte start code reads as length-prefixed.
          if (startCode.length === 3 && units.length === 1 && units[0]!.length === 257 + units[0]![0]!) continue;
          expect(split.framing).toBe('annex-b');
          expect(split.units.map((u) => Array.from(u.subarray(0, 8)))).toEqual(units.map((u) => Array.from(u.subarray(0, 8))));
          expect(split.units.map((u) => u.length)).toEqual(units.map((u) => u.length));
        }
      }
    }
  });

  it('classifies from the first bytes of a sample the same way, or says it cannot tell', () => {
    for (const stream of all()) {
      stream.samples.forEach((sample, i) => {
        for (const visible of [16, 64, 256]) {
          if (visible >= sample!.length) continue;
          const partial = classifySample(stream.codec, sample!.subarray(0, visible), 4, {
            sampleSize: sample!.length,
            maxTemporalId: stream.config!.maxTemporalId,
          });
          if (partial.isEntryPoint !== undefined) {
            expect(partial, `${stream.path} sample ${i} first ${visible} bytes`).toEqual(stream.classes[i]);
          }
        }
      });
    }
  });
});

describe.skipIf(!haveNative)('real VP9/VP8 bitstreams from native ffmpeg', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir();
  });
  afterAll(() => tmp?.remove());

  it('VP9 in MP4 (two-pass, alt-ref superframes): key frames match the container and ffprobe', () => {
    const log = join(tmp.dir, 'vp9pass');
    const vp9 = ['-c:v', 'libvpx-vp9', '-g', '30', '-b:v', '200k', '-passlogfile', log];
    ffmpeg([...LAVFI, '-t', '3', ...vp9, '-pass', '1', '-f', 'null', '-']);
    const path = join(tmp.dir, 'vp9.mp4');
    ffmpeg([...LAVFI, '-t', '3', ...vp9, '-pass', '2', '-auto-alt-ref', '1', '-lag-in-frames', '25', path]);
    const stream = loadMp4(path);
    expect(stream.codec).toBe('vp9');
    // Superframes (a hidden alt-ref frame plus a shown frame) are really there.
    expect(stream.samples.filter((s) => splitVp9Superframe(s!).length > 1).length).toBeGreaterThan(0);
    const keyFrames = new Map(probeFrames(stream).map((f) => [f.sample, f.keyFrame]));
    stream.classes.forEach((cls, i) => {
      expect(cls!.isEntryPoint, `sample ${i}`).toBe(stream.labeledKey[i]);
      expect(cls!.isEntryPoint, `sample ${i}`).toBe(keyFrames.get(i));
    });
    expect(stream.classes.filter((c) => c!.isEntryPoint).length).toBeGreaterThan(1);
  });

  it('VP8 (via IVF): key frames match the packet flags', () => {
    const webm = join(tmp.dir, 'vp8.webm');
    ffmpeg([...LAVFI, '-t', '3', '-c:v', 'libvpx', '-g', '10', '-b:v', '200k', webm]);
    const ivf = join(tmp.dir, 'vp8.ivf');
    ffmpeg(['-i', webm, '-c', 'copy', '-f', 'ivf', ivf]);
    const { classified, labeled } = classifyIvf(ivf, 'vp8');
    expect(classified).toEqual(labeled);
    expect(classified.filter(Boolean)).toHaveLength(8);
  });
});
