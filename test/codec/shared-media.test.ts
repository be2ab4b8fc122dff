/**
 * The codec readers on real files made by other people (../shared/media, read in place):
 * Annex-B start codes inside MP4 samples, an empty avcC, a cut file, HEVC with a CRA and
 * RASL pictures, VP9 in WebM. Compared with ffprobe/ffmpeg where they are available.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAvcC } from '../../src/codec/decoder-config.js';
import { classifySample } from '../../src/codec/entry-points.js';
import { inspectH264Sample } from '../../src/codec/h264.js';
import { inspectHevcSample } from '../../src/codec/hevc.js';
import { splitNalUnits, splitNalUnitsWithFraming } from '../../src/codec/nal-units.js';
import { readMp4Track, sampleBytes } from './helpers/mp4-samples.js';
import { fixture, requireSharedMedia, sharedMedia } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';
import { classifyIvf, decodeSamples, fullDecode, loadMp4, range } from './helpers/streams.js';

const haveMedia = requireSharedMedia();
const haveNative = haveMedia && requireNativeTool('ffmpeg') && requireNativeTool('ffprobe');

describe.skipIf(!haveMedia)('annex-b.mp4: Annex-B start codes inside MP4 samples', () => {
  const file = haveMedia ? new Uint8Array(readFileSync(sharedMedia('annex-b.mp4'))) : new Uint8Array();
  const track = haveMedia ? readMp4Track(file) : undefined;

  it('has an empty avcC, read as "samples are Annex-B"', () => {
    expect(track!.config).toHaveLength(0);
    expect(parseAvcC(track!.config!)).toEqual({ lengthSize: 4, parameterSets: [], framing: 'annex-b' });
  });

  it('detects the first sample as Annex-B and an IDR access unit', () => {
    const sample = sampleBytes(file, track!, 0)!;
    expect(Array.from(sample.subarray(0, 4))).toEqual([0, 0, 0, 1]);
    const split = splitNalUnitsWithFraming(sample, 4);
    expect(split.framing).toBe('annex-b');
    // AUD, SPS, PPS, prefix NAL, IDR slice.
    expect(split.units.map((u) => u[0]! & 0x1f)).toEqual([9, 7, 8, 14, 5]);
    expect(inspectH264Sample(split.units).isIdr).toBe(true);
    expect(classifySample('h264', sample, 4)).toEqual({ isEntryPoint: true, isReference: true });
  });

  it('classifies the samples the cut file still holds, including the one cut short', () => {
    const present = range(0, 6).map((i) => {
      const start = track!.offsets[i]!;
      return file.subarray(start, Math.min(file.length, start + track!.sizes[i]!));
    });
    // Sample 5 runs past the end of the cut file (into where moov now sits): classify
    // its first bytes, telling the real size.
    expect(present[5]!.length).toBeLessThan(track!.sizes[5]!);
    const classes = present.map((s, i) => classifySample('h264', s, 4, { sampleSize: track!.sizes[i]! }));
    expect(classes.map((c) => c.isEntryPoint)).toEqual([true, false, false, false, false, false]);
    for (const s of present) expect(splitNalUnitsWithFraming(s, 4, s.length + 1).framing).toBe('annex-b');
  });
});

describe.skipIf(!haveNative)('corpus MP4 files against ffprobe and ffmpeg', () => {
  const files = ['video.mp4', 'video-h265.mp4', 'sar_2x1.mp4', 'edts.mp4', 'cursed-vfr.mp4'];

  it('reads every sample as length-prefixed and agrees with every sync label', () => {
    for (const name of files) {
      const stream = loadMp4(sharedMedia(name));
      stream.samples.forEach((sample, i) => {
        expect(splitNalUnitsWithFraming(sample!, stream.config!.lengthSize).framing, `${name} #${i}`).toBe('length-prefixed');
        expect(stream.classes[i]!.isEntryPoint, `${name} #${i}`).toBe(stream.labeledKey[i]);
      });
    }
  });

  it('annex-b.mp4: the container flags only the IDR among the samples present', () => {
    const stream = loadMp4(sharedMedia('annex-b.mp4'));
    const present = range(0, 5);
    expect(present.map((i) => stream.classes[i]!.isEntryPoint)).toEqual(present.map((i) => stream.labeledKey[i]));
  });

  it('video-h265.mp4: decoding from its CRA drops exactly its RASL picture', () => {
    const stream = loadMp4(sharedMedia('video-h265.mp4'));
    const entries = range(0, stream.samples.length).filter((i) => stream.classes[i]!.isEntryPoint);
    expect(entries).toEqual([0, 249]);
    const cra = 249;
    expect(inspectHevcSample(splitNalUnits(stream.samples[cra]!, 4)).irapType).toBe('CRA');
    const rasl = range(cra + 1, stream.samples.length).filter((i) => stream.classes[i]!.isLeadingUndecodable);
    expect(rasl).toEqual([250]);
    const { order, md5 } = fullDecode(stream);
    const expected = order.filter((i) => i >= cra && !rasl.includes(i)).map((i) => md5.get(i));
    expect(decodeSamples(stream, range(cra, stream.samples.length))).toEqual(expected);
  });

  it('sar_2x1.mp4 and edts.mp4: skipping the non-reference samples changes no other frame', () => {
    for (const name of ['sar_2x1.mp4', 'edts.mp4']) {
      const stream = loadMp4(sharedMedia(name));
      const { order, md5 } = fullDecode(stream);
      const skipped = new Set(range(0, stream.samples.length).filter((i) => !stream.classes[i]!.isReference));
      expect(skipped.size, name).toBeGreaterThan(0);
      const kept = range(0, stream.samples.length).filter((i) => !skipped.has(i));
      expect(decodeSamples(stream, kept), name).toEqual(order.filter((i) => !skipped.has(i)).map((i) => md5.get(i)));
    }
  });
});

describe.skipIf(!haveNative)('corpus WebM files (VP9) against ffprobe', () => {
  it.each([
    ['corpus-frames.ivf', 'frames.webm', 1],
    ['corpus-transparency.ivf', 'transparency.webm', 5],
  ] as const)('%s (the frames of %s): key frames match the packet flags', (ivf, _, keys) => {
    const { classified, labeled } = classifyIvf(fixture(ivf), 'vp9');
    expect(classified).toEqual(labeled);
    expect(classified.filter(Boolean)).toHaveLength(keys);
  });
});
