/**
 * Writes the smallest MP4 the decode engine needs: one video track holding only the samples
 * of a decode plan, with the source's sample description copied verbatim (so every codec and
 * its colour/aspect boxes reach the decoder unchanged) and the samples' own timestamps, so the
 * target frame is found by its presentation timestamp, not by counting decoder output.
 */
import type { SampleWithData } from '../video-track.js';

/** What the writer needs to know about the track. */
export interface Mp4TrackHeader {
  readonly timescale: number;
  readonly width: number;
  readonly height: number;
  /** The source's complete `stsd` box, header included. */
  readonly sampleDescription: Uint8Array;
}

class BoxBuilder {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  bytes(data: Uint8Array): this {
    this.chunks.push(data);
    this.length += data.length;
    return this;
  }

  u8(value: number): this {
    return this.bytes(Uint8Array.of(value));
  }

  u16(value: number): this {
    return this.bytes(Uint8Array.of(value >>> 8, value & 0xff));
  }

  u32(value: number): this {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, value >>> 0);
    return this.bytes(out);
  }

  i32(value: number): this {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setInt32(0, value);
    return this.bytes(out);
  }

  u64(value: number): this {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, BigInt(value));
    return this.bytes(out);
  }

  ascii(text: string): this {
    return this.bytes(Uint8Array.from(text, (c) => c.charCodeAt(0)));
  }

  zeros(count: number): this {
    return this.bytes(new Uint8Array(count));
  }

  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

function box(type: string, ...children: Uint8Array[]): Uint8Array {
  const body = new BoxBuilder();
  for (const child of children) body.bytes(child);
  const content = body.concat();
  return new BoxBuilder().u32(8 + content.length).ascii(type).bytes(content).concat();
}

function fullBox(type: string, version: number, flags: number, build: (b: BoxBuilder) => void): Uint8Array {
  const body = new BoxBuilder().u8(version).u8(flags >>> 16).u16(flags & 0xffff);
  build(body);
  return box(type, body.concat());
}

const IDENTITY_MATRIX = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];

function matrix(b: BoxBuilder): void {
  for (const value of IDENTITY_MATRIX) b.u32(value);
}

/** Run-length encodes equal neighbours, as `stts` and `ctts` store them. */
function runs(values: readonly number[]): Array<[count: number, value: number]> {
  const out: Array<[number, number]> = [];
  for (const value of values) {
    const last = out[out.length - 1];
    if (last && last[1] === value) last[0]++;
    else out.push([1, value]);
  }
  return out;
}

function sampleTable(header: Mp4TrackHeader, samples: readonly SampleWithData[], mdatOffset: number) {
  const durations = samples.map(({ sample }, i) => {
    const next = samples[i + 1];
    // Decode-time deltas keep the decoder's timeline gap-free even when a plan skips samples.
    return next ? next.sample.dts - sample.dts : Math.max(1, sample.duration);
  });
  const offsets = samples.map(({ sample }) => sample.cts - sample.dts);
  return box(
    'stbl',
    header.sampleDescription,
    fullBox('stts', 0, 0, (b) => {
      const entries = runs(durations);
      b.u32(entries.length);
      for (const [count, delta] of entries) b.u32(count).u32(delta);
    }),
    // Version 1 allows negative composition offsets, which some sources use.
    fullBox('ctts', 1, 0, (b) => {
      const entries = runs(offsets);
      b.u32(entries.length);
      for (const [count, offset] of entries) b.u32(count).i32(offset);
    }),
    // Only the first sample is declared sync: it is the verified entry point, and the engine
    // never seeks inside this file.
    fullBox('stss', 0, 0, (b) => b.u32(1).u32(1)),
    fullBox('stsc', 0, 0, (b) => b.u32(1).u32(1).u32(samples.length).u32(1)),
    fullBox('stsz', 0, 0, (b) => {
      b.u32(0).u32(samples.length);
      for (const { data } of samples) b.u32(data.length);
    }),
    fullBox('co64', 0, 0, (b) => b.u32(1).u64(mdatOffset)),
  );
}

function movie(header: Mp4TrackHeader, samples: readonly SampleWithData[], mdatOffset: number): Uint8Array {
  const firstDts = samples[0]!.sample.dts;
  const last = samples[samples.length - 1]!.sample;
  const duration = last.dts + Math.max(1, last.duration) - firstDts;
  return box(
    'moov',
    fullBox('mvhd', 0, 0, (b) => {
      b.u32(0).u32(0).u32(header.timescale).u32(duration).u32(0x10000).u16(0x100).zeros(10);
      matrix(b);
      b.zeros(24).u32(2);
    }),
    box(
      'trak',
      fullBox('tkhd', 0, 3, (b) => {
        b.u32(0).u32(0).u32(1).u32(0).u32(duration).zeros(8).u16(0).u16(0).u16(0).u16(0);
        matrix(b);
        b.u32(header.width * 0x10000).u32(header.height * 0x10000);
      }),
      box(
        'mdia',
        fullBox('mdhd', 0, 0, (b) => b.u32(0).u32(0).u32(header.timescale).u32(duration).u16(0x55c4).u16(0)),
        fullBox('hdlr', 0, 0, (b) => b.u32(0).ascii('vide').zeros(12).ascii('stillframe').u8(0)),
        box(
          'minf',
          fullBox('vmhd', 0, 1, (b) => b.zeros(8)),
          box('dinf', fullBox('dref', 0, 0, (b) => b.u32(1).bytes(fullBox('url ', 0, 1, () => {})))),
          sampleTable(header, samples, mdatOffset),
        ),
      ),
    ),
  );
}

/**
 * Builds an MP4 of `samples` (decode order, the first one a true entry point). Timestamps are
 * rebased so the first decode time is 0; the returned `ptsShift` is what was subtracted.
 */
export function writeDecodeMp4(header: Mp4TrackHeader, samples: readonly SampleWithData[]): { bytes: Uint8Array; ptsShift: number } {
  if (samples.length === 0) throw new Error('writeDecodeMp4 needs at least one sample');
  const ftyp = box('ftyp', new BoxBuilder().ascii('isom').u32(0x200).ascii('isomiso2mp41').concat());
  const payload = samples.reduce((sum, { data }) => sum + data.length, 0);
  // The moov size does not depend on the chunk offset's value, so measure it once with 0.
  const moovSize = movie(header, samples, 0).length;
  const mdatHeader = 16;
  const mdatOffset = ftyp.length + moovSize + mdatHeader;
  const moov = movie(header, samples, mdatOffset);
  const out = new Uint8Array(mdatOffset + payload);
  out.set(ftyp, 0);
  out.set(moov, ftyp.length);
  const view = new DataView(out.buffer);
  const mdatStart = ftyp.length + moov.length;
  view.setUint32(mdatStart, 1);
  out.set([0x6d, 0x64, 0x61, 0x74], mdatStart + 4);
  view.setBigUint64(mdatStart + 8, BigInt(mdatHeader + payload));
  let at = mdatOffset;
  for (const { data } of samples) {
    out.set(data, at);
    at += data.length;
  }
  return { bytes: out, ptsShift: samples[0]!.sample.dts };
}
