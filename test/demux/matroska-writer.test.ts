/**
 * The Matroska decode input: native ffmpeg/ffprobe read what `writeDecodeMatroska` writes with
 * exactly the packets given (pts, keyframe flag, size), decode them to the same pictures as the
 * source, split long runs into several Clusters, and every element size is exact.
 *
 * Sources are generated with native ffmpeg (H.264 with B-frames in MKV, VP9 and VP8 in WebM).
 * Their TrackEntry and blocks are taken out by the small, strict EBML walker below, kept here on
 * purpose so the writer is checked against something independent of the production reader.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MatroskaSample, type MatroskaTrackHeader, writeDecodeMatroska } from '../../src/demux/matroska/matroska-writer.js';
import { ffmpeg, ffprobe, requireNativeTool } from '../helpers/native.js';

// ---- A tiny, strict EBML walker -----------------------------------------------------------

interface Element {
  readonly id: number;
  readonly start: number;
  readonly dataStart: number;
  readonly end: number;
}

function vint(bytes: Uint8Array, at: number, keepMarker: boolean): { value: number; length: number } {
  const first = bytes[at];
  if (first === undefined || first === 0) throw new Error(`bad vint at ${at}`);
  const length = Math.clz32(first) - 23;
  let value = keepMarker ? first : first & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + bytes[at + i]!;
  if (!keepMarker && value === 2 ** (7 * length) - 1) throw new Error(`unknown size at ${at}`);
  return { value, length };
}

/** The elements in [start, end), which must fill that range exactly. */
function children(bytes: Uint8Array, start: number, end: number): Element[] {
  const out: Element[] = [];
  let at = start;
  while (at < end) {
    const id = vint(bytes, at, true);
    const size = vint(bytes, at + id.length, false);
    const dataStart = at + id.length + size.length;
    const elementEnd = dataStart + size.value;
    if (elementEnd > end) throw new Error(`element 0x${id.value.toString(16)} at ${at} runs past its parent (${elementEnd} > ${end})`);
    out.push({ id: id.value, start: at, dataStart, end: elementEnd });
    at = elementEnd;
  }
  return out;
}

function child(bytes: Uint8Array, parent: Element, id: number): Element | undefined {
  return children(bytes, parent.dataStart, parent.end).find((e) => e.id === id);
}

function uint(bytes: Uint8Array, e: Element): number {
  let value = 0;
  for (let i = e.dataStart; i < e.end; i++) value = value * 256 + bytes[i]!;
  return value;
}

const ID = {
  ebml: 0x1a45dfa3,
  docType: 0x4282,
  segment: 0x18538067,
  info: 0x1549a966,
  timecodeScale: 0x2ad7b1,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackNumber: 0xd7,
  trackType: 0x83,
  cluster: 0x1f43b675,
  timecode: 0xe7,
  simpleBlock: 0xa3,
  blockGroup: 0xa0,
  block: 0xa1,
  referenceBlock: 0xfb,
  blockAdditions: 0x75a1,
  blockMore: 0xa6,
  blockAddId: 0xee,
  blockAdditional: 0xa5,
};

interface Block {
  readonly track: number;
  readonly pts: number;
  readonly keyframe: boolean;
  readonly data: Uint8Array;
  /** BlockAdditional 1 of a BlockGroup: VP9's alpha plane. */
  readonly alphaData?: Uint8Array;
}

interface ParsedFile {
  readonly header: MatroskaTrackHeader;
  /** Cluster timecodes, in file order. */
  readonly clusterTimecodes: number[];
  /** Every block of every track, in file order. */
  readonly blocks: Block[];
}

/** A (Simple)Block payload; `keyframe` is given for a Block, whose flags do not hold it. */
function parseBlock(bytes: Uint8Array, e: Element, clusterTimecode: number, keyframe?: boolean): Block {
  const track = vint(bytes, e.dataStart, false);
  const at = e.dataStart + track.length;
  const relative = new DataView(bytes.buffer, bytes.byteOffset).getInt16(at);
  const flags = bytes[at + 2]!;
  if (flags & 0x06) throw new Error('laced block');
  return {
    track: track.value,
    pts: clusterTimecode + relative,
    keyframe: keyframe ?? (flags & 0x80) !== 0,
    data: bytes.subarray(at + 3, e.end),
  };
}

/** Walks a whole file strictly: EBML header and Segment fill it, every size is exact. */
function parseMatroska(bytes: Uint8Array): ParsedFile {
  const top = children(bytes, 0, bytes.length);
  expect(top.map((e) => e.id)).toEqual([ID.ebml, ID.segment]);
  const segment = top[1]!;
  const level1 = children(bytes, segment.dataStart, segment.end);
  const info = level1.find((e) => e.id === ID.info)!;
  const scale = child(bytes, info, ID.timecodeScale);
  const tracks = level1.find((e) => e.id === ID.tracks)!;
  const video = children(bytes, tracks.dataStart, tracks.end).find((e) => e.id === ID.trackEntry && uint(bytes, child(bytes, e, ID.trackType)!) === 1)!;
  const clusterTimecodes: number[] = [];
  const blocks: Block[] = [];
  for (const cluster of level1.filter((e) => e.id === ID.cluster)) {
    const parts = children(bytes, cluster.dataStart, cluster.end);
    const timecode = uint(bytes, parts.find((e) => e.id === ID.timecode)!);
    clusterTimecodes.push(timecode);
    for (const part of parts) {
      if (part.id === ID.simpleBlock) blocks.push(parseBlock(bytes, part, timecode));
      if (part.id === ID.blockGroup) {
        const group = children(bytes, part.dataStart, part.end);
        const keyframe = !group.some((e) => e.id === ID.referenceBlock);
        const block = parseBlock(bytes, group.find((e) => e.id === ID.block)!, timecode, keyframe);
        const additions = group.find((e) => e.id === ID.blockAdditions);
        const more = additions && child(bytes, additions, ID.blockMore);
        const alpha = more && child(bytes, more, ID.blockAdditional);
        if (more) expect(uint(bytes, child(bytes, more, ID.blockAddId)!)).toBe(1);
        blocks.push(alpha ? { ...block, alphaData: bytes.subarray(alpha.dataStart, alpha.end) } : block);
      }
    }
  }
  return {
    header: {
      timecodeScale: scale ? uint(bytes, scale) : 1_000_000,
      trackEntry: bytes.slice(video.start, video.end),
      trackNumber: uint(bytes, child(bytes, video, ID.trackNumber)!),
    },
    clusterTimecodes,
    blocks,
  };
}

/** The video samples of a parsed source, in decode (file) order. */
function videoSamples(file: ParsedFile): MatroskaSample[] {
  return file.blocks
    .filter((b) => b.track === file.header.trackNumber)
    .map(({ pts, data, keyframe, alphaData }) => (alphaData ? { pts, data, keyframe, alphaData } : { pts, data, keyframe }));
}

// ---- Synthetic checks (no native tools) -----------------------------------------------------

/** A TrackEntry with just TrackNumber, TrackType video and a CodecID. */
function fakeTrackEntry(trackNumber: number): Uint8Array {
  const numberBytes = trackNumber < 256 ? [trackNumber] : [trackNumber >> 8, trackNumber & 0xff];
  const codec = Array.from('V_VP8', (c) => c.charCodeAt(0));
  const payload = [0xd7, 0x80 | numberBytes.length, ...numberBytes, 0x83, 0x81, 0x01, 0x86, 0x80 | codec.length, ...codec];
  return Uint8Array.from([0xae, 0x80 | payload.length, ...payload]);
}

function fakeSamples(ptsList: readonly number[], sizes: (i: number) => number = (i) => 10 + i): MatroskaSample[] {
  return ptsList.map((pts, i) => ({ pts, keyframe: i === 0, data: new Uint8Array(sizes(i)).fill(i & 0xff) }));
}

describe('writeDecodeMatroska: structure', () => {
  it('writes an exact-size file whose blocks read back with the given pts, flags and bytes', () => {
    const header = { timecodeScale: 1_000_000, trackEntry: fakeTrackEntry(1), trackNumber: 1 };
    // Payload sizes around the vint length boundaries: a block of 126 bytes has a 1-byte size,
    // 127 (reserved all-ones) needs 2, and so on.
    const sizes = [122, 123, 16378, 16379, 70_000, 3];
    const samples = fakeSamples([0, 80, 40, 120, 200, 160], (i) => sizes[i]!);
    const bytes = writeDecodeMatroska(header, samples);
    const file = parseMatroska(bytes);
    const top = children(bytes, 0, bytes.length);
    expect(top[1]!.end).toBe(bytes.length);
    expect(new TextDecoder().decode(bytes.subarray(child(bytes, top[0]!, ID.docType)!.dataStart, child(bytes, top[0]!, ID.docType)!.end))).toBe('matroska');
    expect(file.header).toEqual(header);
    expect(file.clusterTimecodes).toEqual([0]);
    expect(file.blocks).toEqual(samples.map((s) => ({ track: 1, ...s })));
  });

  it('keeps B-frame steps back within int16 offsets and opens new Clusters past them', () => {
    const header = { timecodeScale: 1_000_000, trackEntry: fakeTrackEntry(300), trackNumber: 300 };
    // Decode order with steps back, spans well past 32767 ticks, and a first sample shown after
    // a later one (an open GOP's leading pictures).
    const ptsList = [100, 0, 32767, 32868, 30000, 70000, 65000, 66000, 140_000, 139_000, 200_000, 100_000];
    const samples = fakeSamples(ptsList);
    const file = parseMatroska(writeDecodeMatroska(header, samples));
    expect(file.blocks.map((b) => b.pts)).toEqual(ptsList);
    expect(file.blocks.every((b) => b.track === 300)).toBe(true);
    expect(file.clusterTimecodes.length).toBeGreaterThan(3);
    expect(file.clusterTimecodes.every((t) => t >= 0)).toBe(true);
  });

  it('rejects what it cannot write faithfully', () => {
    const header = { timecodeScale: 1_000_000, trackEntry: fakeTrackEntry(1), trackNumber: 1 };
    expect(() => writeDecodeMatroska(header, [])).toThrow(/at least one sample/);
    expect(() => writeDecodeMatroska({ ...header, trackNumber: 2 }, fakeSamples([0]))).toThrow(/trackNumber/);
    expect(() => writeDecodeMatroska({ ...header, trackEntry: header.trackEntry.subarray(0, 5) }, fakeSamples([0]))).toThrow(/TrackEntry/);
    expect(() => writeDecodeMatroska(header, fakeSamples([0, -40]))).toThrow(/pts/);
  });
});

// ---- Against native ffmpeg ------------------------------------------------------------------

interface Packet {
  readonly pts: number;
  readonly keyframe: boolean;
  readonly size: number;
}

/** The video packets ffprobe lists, in file order. */
function probePackets(path: string): Packet[] {
  return ffprobe(['-select_streams', 'v:0', '-show_entries', 'packet=pts,flags,size', '-of', 'csv=p=0', path])
    .split('\n')
    // Packets with side data (VP9 alpha) are followed by an empty line.
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [pts, size, flags] = line.split(',');
      return { pts: Number(pts), keyframe: flags!.startsWith('K'), size: Number(size) };
    });
}

function probeTimeBase(path: string): string {
  return ffprobe(['-select_streams', 'v:0', '-show_entries', 'stream=time_base', '-of', 'csv=p=0', path]).trim();
}

/**
 * Decodes `path` as the engine does (`-copyts`, timestamps kept in the demuxer's time base),
 * optionally through `filter`, and returns each frame's MD5 by pts. Any warning fails: a decode
 * input must read cleanly.
 */
function decodeByPts(path: string, filter?: string): Map<number, string> {
  // libvpx decodes the alpha plane, which ffmpeg's own VP9 decoder leaves out.
  const decoder = path.includes('alpha') ? ['-c:v', 'libvpx-vp9'] : [];
  const run = spawnSync('ffmpeg', [
    '-hide_banner', '-nostdin', '-v', 'warning', '-copyts', ...decoder, '-i', path, '-map', '0:v:0',
    ...(filter ? ['-vf', filter] : []),
    '-fps_mode', 'passthrough', '-enc_time_base:v', '-1', '-f', 'framemd5', '-',
  ], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  expect(run.status).toBe(0);
  expect(run.stderr.toString()).toBe('');
  const frames = new Map<number, string>();
  for (const line of run.stdout.toString().split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(',').map((f) => f.trim());
    frames.set(Number(fields[2]), fields[5]!);
  }
  return frames;
}

const SOURCES = {
  'h264.mkv': ['-c:v', 'libx264', '-bf', '2', '-g', '25'],
  'vp9.webm': ['-c:v', 'libvpx-vp9', '-b:v', '200k', '-g', '25'],
  'vp8.webm': ['-c:v', 'libvpx', '-b:v', '200k', '-g', '25'],
  // An alpha that changes from frame to frame, so that a frame's alpha comes from its own block.
  'vp9-alpha.webm': ['-vf', "format=yuva420p,geq=lum='lum(X,Y)':cb='cb(X,Y)':cr='cr(X,Y)':a='mod(X+4*N,256)'", '-c:v', 'libvpx-vp9', '-auto-alt-ref', '0', '-b:v', '200k', '-g', '25'],
} as const;
type SourceName = keyof typeof SOURCES;

describe.skipIf(!requireNativeTool('ffmpeg') || !requireNativeTool('ffprobe'))('writeDecodeMatroska: read by native ffmpeg', () => {
  let dir: string;
  const sources = new Map<SourceName, { path: string; file: ParsedFile; samples: MatroskaSample[]; frames: Map<number, string> }>();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stillframe-mkv-writer-'));
    for (const [name, codec] of Object.entries(SOURCES) as Array<[SourceName, readonly string[]]>) {
      const path = join(dir, name);
      ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25', '-t', '2', ...codec, path]);
      const file = parseMatroska(new Uint8Array(readFileSync(path)));
      const samples = videoSamples(file);
      // The walker reads the source as ffprobe does, so what it hands the writer is right.
      expect(probePackets(path)).toEqual(samples.map((s) => ({ pts: s.pts, keyframe: s.keyframe, size: s.data.length })));
      sources.set(name, { path, file, samples, frames: decodeByPts(path) });
    }
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Writes `samples` with the source's header, checks it structurally and by ffprobe, returns its path. */
  function writeAndProbe(name: SourceName, samples: readonly MatroskaSample[], outName: string): { path: string; written: ParsedFile } {
    const source = sources.get(name)!;
    const bytes = writeDecodeMatroska(source.file.header, samples);
    const written = parseMatroska(bytes);
    expect(written.header).toEqual(source.file.header);
    expect(videoSamples(written)).toEqual(samples);
    const path = join(dir, outName);
    writeFileSync(path, bytes);
    expect(probeTimeBase(path)).toBe(probeTimeBase(source.path));
    expect(probePackets(path)).toEqual(samples.map((s) => ({ pts: s.pts, keyframe: s.keyframe, size: s.data.length })));
    return { path, written };
  }

  it.each(Object.keys(SOURCES) as SourceName[])('%s: all samples demux with their pts and flags and decode to the source frames', (name) => {
    const source = sources.get(name)!;
    const { path } = writeAndProbe(name, source.samples, `all-${name}`);
    expect(decodeByPts(path)).toEqual(source.frames);
  });

  it.each(Object.keys(SOURCES) as SourceName[])('%s: a run from a mid-stream keyframe decodes to the source frames, and the engine select finds a target', (name) => {
    const source = sources.get(name)!;
    const keyframes = source.samples.flatMap((s, i) => (s.keyframe ? [i] : []));
    expect(keyframes.length).toBeGreaterThanOrEqual(2);
    const run = source.samples.slice(keyframes[1], keyframes[2] ?? source.samples.length);
    const { path } = writeAndProbe(name, run, `run-${name}`);
    const frames = decodeByPts(path);
    expect([...frames.keys()].sort((a, b) => a - b)).toEqual(run.map((s) => s.pts).sort((a, b) => a - b));
    for (const [pts, hash] of frames) expect(hash, `pts ${pts}`).toBe(source.frames.get(pts));
    // As the engine asks for it: one frame by its exact pts (a B-frame for H.264, stored after a
    // later picture), plus the last one shown.
    const targets = [run[2]!.pts, Math.max(...run.map((s) => s.pts))];
    const selected = decodeByPts(path, `select=${targets.map((t) => `eq(pts\\,${t})`).join('+')}`);
    expect(selected).toEqual(new Map(targets.sort((a, b) => a - b).map((t) => [t, source.frames.get(t)!])));
  });

  it('a run spanning more than 32767 ticks gets several Clusters and still demuxes and decodes right', () => {
    const source = sources.get('h264.mkv')!;
    // The 2 s source spans 2000 ticks of 1 ms: spread its timestamps 100 times (to 200 s) so one
    // run crosses the int16 block offset several times, B-frame steps back included. A Cluster
    // covers at most 65536 ticks, so a span over twice that needs at least three.
    const SPREAD = 100;
    const samples = source.samples.map((s) => ({ ...s, pts: s.pts * SPREAD }));
    expect(Math.max(...samples.map((s) => s.pts)) - samples[0]!.pts).toBeGreaterThan(2 * 65536);
    const { path, written } = writeAndProbe('h264.mkv', samples, 'spread-h264.mkv');
    expect(written.clusterTimecodes.length).toBeGreaterThanOrEqual(3);
    expect(decodeByPts(path)).toEqual(new Map([...source.frames].map(([pts, hash]) => [pts * SPREAD, hash])));
  });
});
