/**
 * A deliberately tiny MP4 reader for the codec tests: the first video track's sample
 * entry, its configuration box payload, and its samples' bytes, straight from
 * stsd/stsz/stsc/stco/co64/stss. It is independent of the project's demuxer on purpose, so
 * the codec tests check the bitstream code against the file and nothing else. No edit
 * lists, no fragments, no timing: tests that need timing ask ffprobe.
 */

export interface Mp4Track {
  /** Sample entry type: avc1, avc3, hvc1, hev1, vp09, ... */
  codec: string;
  /** Payload (after the box header) of avcC / hvcC / vpcC, if present. */
  config: Uint8Array | undefined;
  /** File offset and size of each sample, decode order. */
  offsets: number[];
  sizes: number[];
  /** 0-based indices of samples in stss, or null when there is no stss (all sync). */
  sync: Set<number> | null;
}

interface Box {
  type: string;
  /** Payload start and end (after the header). */
  start: number;
  end: number;
}

function boxes(bytes: Uint8Array, start: number, end: number): Box[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Box[] = [];
  let pos = start;
  while (pos + 8 <= end) {
    let size = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    let header = 8;
    if (size === 1) {
      size = Number(view.getBigUint64(pos + 8));
      header = 16;
    } else if (size === 0) {
      size = end - pos;
    }
    if (size < header) break;
    // A truncated file: keep the box, clamped to the bytes present.
    out.push({ type, start: pos + header, end: Math.min(pos + size, end) });
    pos += size;
  }
  return out;
}

function child(bytes: Uint8Array, parent: Box, type: string): Box | undefined {
  return boxes(bytes, parent.start, parent.end).find((b) => b.type === type);
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`test MP4 reader: no ${what}`);
  return value;
}

/** Reads the first video track of an MP4 file held in memory. */
export function readMp4Track(bytes: Uint8Array): Mp4Track {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number) => view.getUint32(at);
  const moov = need(boxes(bytes, 0, bytes.length).find((b) => b.type === 'moov'), 'moov');
  for (const trak of boxes(bytes, moov.start, moov.end).filter((b) => b.type === 'trak')) {
    const mdia = need(child(bytes, trak, 'mdia'), 'mdia');
    const hdlr = need(child(bytes, mdia, 'hdlr'), 'hdlr');
    if (String.fromCharCode(...bytes.subarray(hdlr.start + 8, hdlr.start + 12)) !== 'vide') continue;
    const stbl = need(child(bytes, need(child(bytes, mdia, 'minf'), 'minf'), 'stbl'), 'stbl');

    const stsd = need(child(bytes, stbl, 'stsd'), 'stsd');
    const entry = boxes(bytes, stsd.start + 8, stsd.end)[0]!;
    // VisualSampleEntry: 78 bytes of fixed fields before its child boxes.
    const configBox = boxes(bytes, entry.start + 78, entry.end).find((b) => ['avcC', 'hvcC', 'vpcC'].includes(b.type));
    const config = configBox ? bytes.subarray(configBox.start, configBox.end) : undefined;

    const stsz = need(child(bytes, stbl, 'stsz'), 'stsz');
    const fixedSize = u32(stsz.start + 4);
    const count = u32(stsz.start + 8);
    const sizes = Array.from({ length: count }, (_, i) => fixedSize || u32(stsz.start + 12 + 4 * i));

    const stco = child(bytes, stbl, 'stco');
    const co64 = child(bytes, stbl, 'co64');
    const chunkOffsets: number[] = [];
    if (stco) {
      for (let i = 0; i < u32(stco.start + 4); i++) chunkOffsets.push(u32(stco.start + 8 + 4 * i));
    } else {
      const box = need(co64, 'stco/co64');
      for (let i = 0; i < u32(box.start + 4); i++) chunkOffsets.push(Number(view.getBigUint64(box.start + 8 + 8 * i)));
    }

    const stsc = need(child(bytes, stbl, 'stsc'), 'stsc');
    const runs = Array.from({ length: u32(stsc.start + 4) }, (_, i) => ({
      firstChunk: u32(stsc.start + 8 + 12 * i),
      perChunk: u32(stsc.start + 12 + 12 * i),
    }));
    const offsets: number[] = [];
    for (let r = 0; r < runs.length && offsets.length < count; r++) {
      const lastChunk = r + 1 < runs.length ? runs[r + 1]!.firstChunk - 1 : chunkOffsets.length;
      for (let chunk = runs[r]!.firstChunk; chunk <= lastChunk && offsets.length < count; chunk++) {
        let offset = chunkOffsets[chunk - 1]!;
        for (let s = 0; s < runs[r]!.perChunk && offsets.length < count; s++) {
          offsets.push(offset);
          offset += sizes[offsets.length - 1]!;
        }
      }
    }

    const stss = child(bytes, stbl, 'stss');
    const sync = stss ? new Set(Array.from({ length: u32(stss.start + 4) }, (_, i) => u32(stss.start + 8 + 4 * i) - 1)) : null;
    return { codec: entry.type, config, offsets, sizes, sync };
  }
  throw new Error('test MP4 reader: no video track');
}

/** Bytes of sample `index`, or undefined when the file ends before the sample does. */
export function sampleBytes(file: Uint8Array, track: Mp4Track, index: number): Uint8Array | undefined {
  const start = track.offsets[index]!;
  const end = start + track.sizes[index]!;
  return end <= file.length ? file.subarray(start, end) : undefined;
}
