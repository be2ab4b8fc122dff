/**
 * The H.264 reference analysis on real x264 streams: which pictures a target needs, and every
 * case where it must refuse (return `undefined`) so that the caller decodes all reference
 * pictures. Whether leaving pictures out changes any pixel is checked by decoding, in
 * test/core/decode-pruning.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { h264PicturesToDecode } from '../../src/codec/h264-reference-analysis.js';
import { splitNalUnits } from '../../src/codec/nal-units.js';
import { fixture } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';
import { loadMp4, probeFrames, type LoadedStream } from './helpers/streams.js';

describe.skipIf(!requireNativeTool('ffmpeg'))('H.264 reference analysis', () => {
  let ref1: LoadedStream;
  let ref3: LoadedStream;
  /** ffprobe's picture type of each sample (decode order) of the one-reference stream. */
  let types: string[];

  beforeAll(() => {
    ref1 = loadMp4(fixture('small-h264-pyramid-ref1.mp4'));
    ref3 = loadMp4(fixture('small-h264-pyramid-ref3.mp4'));
    types = [];
    for (const frame of probeFrames(ref1)) types[frame.sample] = frame.pictType;
  }, 120_000);

  const pictures = (stream: LoadedStream, from: number, to: number) =>
    stream.samples.slice(from, to + 1).map((sample) => splitNalUnits(sample!, stream.config!.lengthSize));
  const lastP = () => types.lastIndexOf('P', types.indexOf('I', 1));
  const analyse = (stream: LoadedStream, run: Uint8Array[][], targets: number[], sets = stream.config!.parameterSets) =>
    h264PicturesToDecode(run, new Set(targets), sets);

  it('a P-frame target with one active reference needs the IDR and the P-frames before it', () => {
    const target = lastP();
    const needed = analyse(ref1, pictures(ref1, 0, target), [target]);
    const iOrP = types.slice(0, target + 1).flatMap((type, i) => (type === 'I' || type === 'P' ? [i] : []));
    expect([...needed!].sort((a, b) => a - b)).toEqual(iOrP);
    expect(types.slice(0, target + 1)).toContain('B');
  });

  it('an IDR target needs only itself', () => {
    expect([...analyse(ref1, pictures(ref1, 0, 0), [0])!]).toEqual([0]);
  });

  it('refuses when a P-frame lists reference B-frames (three active references): they would be kept B-slices', () => {
    const target = lastP();
    expect(analyse(ref3, pictures(ref3, 0, target), [target])).toBeUndefined();
  });

  it('refuses B-frame targets (list order by picture order count is not modelled)', () => {
    const b = types.indexOf('B');
    expect(analyse(ref1, pictures(ref1, 0, b), [b])).toBeUndefined();
  });

  it('refuses a run that does not start at an IDR', () => {
    const target = lastP();
    expect(analyse(ref1, pictures(ref1, 1, target), [target - 1])).toBeUndefined();
  });

  it('refuses without parameter sets, and with a parameter set inside a later picture', () => {
    const target = lastP();
    const run = pictures(ref1, 0, target);
    expect(analyse(ref1, run, [target], [])).toBeUndefined();
    const withSps = run.map((nals, i) => (i === 2 ? [ref1.config!.parameterSets[0]!, ...nals] : nals));
    expect(analyse(ref1, withSps, [target])).toBeUndefined();
  });

  it('refuses a slice header cut short, and a gap in frame_num of the original run', () => {
    const target = lastP();
    const run = pictures(ref1, 0, target);
    const cut = run.map((nals, i) => (i === 1 ? nals.map((nal) => ((nal[0]! & 0x1f) === 1 ? nal.subarray(0, 2) : nal)) : nals));
    expect(analyse(ref1, cut, [target])).toBeUndefined();
    const withGap = run.filter((_, i) => i !== 1);
    expect(analyse(ref1, withGap, [target - 1])).toBeUndefined();
  });
});
