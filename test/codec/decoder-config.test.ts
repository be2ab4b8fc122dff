import { describe, expect, it } from 'vitest';
import { parseAvcC, parseHvcC } from '../../src/codec/decoder-config.js';
import { concat } from './helpers/bytes.js';

const SPS = [0x67, 0x64, 0x00, 0x1f, 0xac, 0xd9];
const PPS = [0x68, 0xeb, 0xe3, 0xcb];

function avcC(lengthSizeMinusOne: number, sps: number[][], pps: number[][], tail: number[] = []): Uint8Array {
  return concat(
    [1, 0x64, 0x00, 0x1f, 0xfc | lengthSizeMinusOne, 0xe0 | sps.length],
    ...sps.map((u) => [u.length >> 8, u.length & 0xff, ...u]),
    [pps.length],
    ...pps.map((u) => [u.length >> 8, u.length & 0xff, ...u]),
    tail,
  );
}

const expectUnsupported = (fn: () => unknown) => expect(fn).toThrow(expect.objectContaining({ kind: 'unsupported' }));

describe('parseAvcC', () => {
  it.each([
    [0, 1],
    [1, 2],
    [3, 4],
  ])('reads lengthSizeMinusOne %i as %i-byte lengths, with SPS and PPS', (minusOne, size) => {
    const config = parseAvcC(avcC(minusOne, [SPS], [PPS]));
    expect(config.lengthSize).toBe(size);
    expect(config.framing).toBe('length-prefixed');
    expect(config.parameterSets.map((u) => Array.from(u))).toEqual([SPS, PPS]);
    expect(config.maxTemporalId).toBeUndefined();
  });

  it('returns views into the payload', () => {
    const payload = avcC(3, [SPS], [PPS]);
    const [sps] = parseAvcC(payload).parameterSets;
    expect(sps!.buffer).toBe(payload.buffer);
    expect(sps!.byteOffset).toBe(8);
  });

  it('reads several parameter sets and ignores the High-profile extension after them', () => {
    const sps2 = [0x67, 0x4d, 0x40];
    const config = parseAvcC(avcC(3, [SPS, sps2], [PPS], [0xfd, 0xf8, 0xf8, 0x00]));
    expect(config.parameterSets.map((u) => Array.from(u))).toEqual([SPS, sps2, PPS]);
  });

  it('accepts a record without parameter sets (avc3: they are in the samples)', () => {
    expect(parseAvcC(avcC(3, [], []))).toEqual({ lengthSize: 4, parameterSets: [], framing: 'length-prefixed' });
  });

  it('reads an empty record as Annex-B samples, as ffmpeg does', () => {
    expect(parseAvcC(new Uint8Array(0))).toEqual({ lengthSize: 4, parameterSets: [], framing: 'annex-b' });
  });

  it('reads a record that is itself Annex-B as Annex-B parameter sets', () => {
    const config = parseAvcC(concat([0, 0, 0, 1], SPS, [0, 0, 1], PPS));
    expect(config.framing).toBe('annex-b');
    expect(config.parameterSets.map((u) => Array.from(u))).toEqual([SPS, PPS]);
  });

  it('throws unsupported at every truncation point', () => {
    const payload = avcC(3, [SPS], [PPS]);
    for (let cut = 1; cut < payload.length; cut++) expectUnsupported(() => parseAvcC(payload.subarray(0, cut)));
  });

  it('throws unsupported for garbage', () => {
    expectUnsupported(() => parseAvcC(new Uint8Array([2, 0x64, 0, 0x1f, 0xff, 0xe1])));
    expectUnsupported(() => parseAvcC(new Uint8Array([0xff, 0xff, 0xff, 0xff])));
    expectUnsupported(() => parseAvcC(new Uint8Array([0, 0, 5, 1])));
  });
});

// HEVC NAL units: VPS (32), SPS (33) with sps_max_sub_layers_minus1 in byte 2, PPS (34).
const VPS = [0x40, 0x01, 0x0c, 0x01, 0xff, 0xff];
const spsWithSubLayers = (minus1: number) => [0x42, 0x01, (minus1 << 1) | 0x01, 0x01, 0x60];
const HEVC_PPS = [0x44, 0x01, 0xc1, 0x72];

function hvcC(options: { lengthSizeMinusOne?: number; numTemporalLayers?: number; version?: number; arrays: [number, number[][]][] }): Uint8Array {
  const header = new Array<number>(22).fill(0);
  header[0] = options.version ?? 1;
  header[1] = 0x01; // general_profile_idc 1 (Main)
  header[21] = ((options.numTemporalLayers ?? 1) << 3) | (options.lengthSizeMinusOne ?? 3);
  return concat(
    header,
    [options.arrays.length],
    ...options.arrays.map(([type, units]) =>
      concat([0x80 | type, units.length >> 8, units.length & 0xff], ...units.map((u) => [u.length >> 8, u.length & 0xff, ...u])),
    ),
  );
}

describe('parseHvcC', () => {
  it('reads the length size and the VPS/SPS/PPS arrays in order', () => {
    const config = parseHvcC(hvcC({ arrays: [[32, [VPS]], [33, [spsWithSubLayers(0)]], [34, [HEVC_PPS]]] }));
    expect(config.lengthSize).toBe(4);
    expect(config.framing).toBe('length-prefixed');
    expect(config.parameterSets.map((u) => Array.from(u))).toEqual([VPS, spsWithSubLayers(0), HEVC_PPS]);
    expect(config.maxTemporalId).toBe(0);
  });

  it.each([0, 1, 3])('reads lengthSizeMinusOne %i', (minusOne) => {
    expect(parseHvcC(hvcC({ lengthSizeMinusOne: minusOne, arrays: [] })).lengthSize).toBe(minusOne + 1);
  });

  it('takes the highest temporal sub-layer from the SPS, else from numTemporalLayers', () => {
    const twoSps = hvcC({ numTemporalLayers: 1, arrays: [[33, [spsWithSubLayers(1), spsWithSubLayers(2)]]] });
    expect(parseHvcC(twoSps).maxTemporalId).toBe(2);
    expect(parseHvcC(hvcC({ numTemporalLayers: 3, arrays: [[32, [VPS]]] })).maxTemporalId).toBe(2);
    expect(parseHvcC(hvcC({ numTemporalLayers: 0, arrays: [] })).maxTemporalId).toBeUndefined();
  });

  it('accepts configurationVersion 0 (early muxers), like ffmpeg', () => {
    expect(parseHvcC(hvcC({ version: 0, arrays: [[34, [HEVC_PPS]]] })).parameterSets).toHaveLength(1);
  });

  it('reads an empty or Annex-B record as Annex-B', () => {
    expect(parseHvcC(new Uint8Array(0))).toEqual({ lengthSize: 4, parameterSets: [], framing: 'annex-b' });
    const config = parseHvcC(concat([0, 0, 0, 1], VPS, [0, 0, 0, 1], HEVC_PPS));
    expect(config.framing).toBe('annex-b');
    expect(config.parameterSets.map((u) => Array.from(u))).toEqual([VPS, HEVC_PPS]);
  });

  it('throws unsupported at every truncation point', () => {
    const payload = hvcC({ arrays: [[32, [VPS]], [34, [HEVC_PPS]]] });
    for (let cut = 1; cut < payload.length; cut++) expectUnsupported(() => parseHvcC(payload.subarray(0, cut)));
  });

  it('throws unsupported for bytes that look like a start code but are not Annex-B', () => {
    expectUnsupported(() => parseHvcC(new Uint8Array([0, 0, 0, 0, 0])));
  });
});
