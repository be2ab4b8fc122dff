/**
 * The codec readers against real bitstreams made by native ffmpeg (x264, x265, libvpx) and
 * checked against ffmpeg itself: ffprobe's key-frame and picture-type view, and actual
 * decodes. "Entry point" is verified by decoding from that sample alone; "not referenced"
 * by decoding with every such sample removed; both must give bit-exact frames.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { classifySample } from '../../src/codec/entry-points.js';
import { inspectH264Sample } from '../../src/codec/h264.js';
import { splitNalUnits, splitNalUnitsWithFraming } from '../../src/codec/nal-units.js';
import { splitVp9Superframe } from '../../src/codec/vp9.js';
import { fixture } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';
import { annexB } from './helpers/bytes.js';
import { classifyIvf, decodeSamples, fullDecode, loadMp4, probeFrames, range, type LoadedStream } from './helpers/streams.js';

const haveNative = requireNativeTool('ffmpeg') && requireNativeTool('ffprobe');

describe.skipIf(!haveNative)('real bitstreams from native ffmpeg', () => {
  let h264Closed: LoadedStream;
  let h264Open: LoadedStream;
  let hevcOpen: LoadedStream;
  let hevcTemporal: LoadedStream;

  beforeAll(() => {
    // See the recipes in test/helpers/fixtures.ts for what each stream holds.
    h264Closed = loadMp4(fixture('small-h264-closed-gop.mp4'));
    h264Open = loadMp4(fixture('small-h264-open-gop.mp4'));
    hevcOpen = loadMp4(fixture('small-hevc-open-gop.mp4'));
    hevcTemporal = loadMp4(fixture('small-hevc-temporal-layers.mp4'));
  }, 120_000);

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

  it('H.264 open GOP: recovery-point I-frames are entry points, as the container and ffprobe say, though not IDR', () => {
    const frames = probeFrames(h264Open);
    expect(frames).toHaveLength(h264Open.samples.length);
    const recovery = range(0, h264Open.samples.length).filter((i) => h264Open.classes[i]!.isRecoveryPoint);
    expect(recovery.length).toBeGreaterThan(3);
    expect(h264Open.classes.filter((c) => c!.isEntryPoint)).toHaveLength(recovery.length + 1);
    expect(h264Open.classes[0]!.isEntryPoint).toBe(true);
    expect(h264Open.classes[0]!.isRecoveryPoint).toBeUndefined();
    for (const frame of frames) {
      const cls = h264Open.classes[frame.sample]!;
      // ffmpeg flags IDR and recovery-point pictures as key frames; so does the muxer.
      expect(cls.isEntryPoint).toBe(frame.keyFrame);
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

  it('decoding entry..target (as the planner does) delivers every target shown after the entry, with showall from recovery points', () => {
    // The engine decodes an input that runs from the entry point to the target and ends
    // there, with `-flags2 +showall`. Checked for one GOP per stream, every target in it.
    const lostTargets = (stream: LoadedStream, entry: number, count: number, showAll: boolean) => {
      const { order, md5 } = fullDecode(stream);
      const lost: number[] = [];
      for (let target = entry; target < Math.min(entry + count, stream.samples.length); target++) {
        // Leading pictures (a CRA's RASLs, a recovery point's B-frames shown before it) are
        // decoded from the entry point before: not targets here.
        if (order.indexOf(target) < order.indexOf(entry)) continue;
        if (!decodeSamples(stream, range(entry, target + 1), { showAll }).includes(md5.get(target)!)) lost.push(target);
      }
      return lost;
    };
    const entries = (stream: LoadedStream) => range(0, stream.samples.length).filter((i) => stream.classes[i]!.isEntryPoint);
    expect(lostTargets(h264Closed, entries(h264Closed)[1]!, 10, true)).toEqual([]);
    expect(lostTargets(h264Open, 0, 12, true)).toEqual([]);
    const cra = entries(hevcOpen)[1]!;
    expect(lostTargets(hevcOpen, cra, entries(hevcOpen)[2]! - cra, true)).toEqual([]);
    const recovery = range(0, h264Open.samples.length).find((i) => h264Open.classes[i]!.isRecoveryPoint)!;
    expect(lostTargets(h264Open, recovery, 12, true)).toEqual([]);

    // Why showall: without it ffmpeg (lavc 59, native and wasm alike) withholds pictures decoded
    // from a recovery point that are still in its reorder queue when the input ends, because
    // they only count as "recovered" once the I-frame itself has been output.
    expect(lostTargets(h264Open, recovery, 12, false).length).toBeGreaterThan(0);
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
      const frames = probeFrames(stream);
      expect(frames, stream.path).toHaveLength(stream.samples.length);
      for (const frame of frames) {
        expect(stream.classes[frame.sample]!.isEntryPoint).toBe(frame.keyFrame);
        expect(stream.labeledKey[frame.sample]).toBe(frame.keyFrame);
      }
    }
  });

  it('finds the same NAL units in Annex-B copies of real samples (3- and 4-byte start codes)', () => {
    for (const stream of all()) {
      for (const sample of stream.samples) {
        const units = splitNalUnits(sample!, 4);
        for (const startCode of [3, 4] as const) {
          const split = splitNalUnitsWithFraming(annexB(startCode, ...units), 4);
          // The one documented ambiguity (see splitNalUnitsWithFraming): a lone unit of
          // 257 + first-byte bytes behind a 3-byte start code reads as length-prefixed.
          if (startCode === 3 && units.length === 1 && units[0]!.length === 257 + units[0]![0]!) continue;
          expect(split.framing).toBe('annex-b');
          expect(split.units.map((u) => Array.from(u.subarray(0, 8)))).toEqual(units.map((u) => Array.from(u.subarray(0, 8))));
          expect(split.units.map((u) => u.length)).toEqual(units.map((u) => u.length));
        }
      }
    }
  });

  it('classifies from the first bytes of a sample the same way, or says it cannot tell', () => {
    let decided = 0;
    for (const stream of all()) {
      stream.samples.forEach((sample, i) => {
        for (const visible of [16, 64, 256]) {
          if (visible >= sample!.length) continue;
          const partial = classifySample(stream.codec, sample!.subarray(0, visible), 4, {
            sampleSize: sample!.length,
            maxTemporalId: stream.config!.maxTemporalId,
          });
          if (partial.isEntryPoint !== undefined) {
            decided++;
            expect(partial, `${stream.path} sample ${i} first ${visible} bytes`).toEqual(stream.classes[i]);
          }
        }
      });
    }
    // Not vacuous: some first bytes do tell.
    expect(decided).toBeGreaterThan(0);
  });
});

describe.skipIf(!haveNative)('real VP9/VP8 bitstreams from native ffmpeg', () => {
  it('VP9 in MP4 (two-pass, alt-ref superframes): key frames match the container and ffprobe', () => {
    const stream = loadMp4(fixture('small-vp9-altref.mp4'));
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
    const { classified, labeled } = classifyIvf(fixture('small-vp8.ivf'), 'vp8');
    expect(classified).toEqual(labeled);
    expect(classified.filter(Boolean)).toHaveLength(8);
  });
});
