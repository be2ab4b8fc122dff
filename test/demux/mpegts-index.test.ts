/**
 * The MPEG-TS index lists the video stream's access units as native ffprobe lists its packets:
 * the same count, PTS, DTS, key flags and elementary-stream sizes, in decode order — on files
 * ffmpeg writes (B-frames, interleaved audio, open GOPs, HEVC, M2TS, time stamps that wrap) and
 * on the corpus's transport streams, one of which starts every PES inside the previous picture.
 * Files it cannot use fail with typed errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { indexMpegts } from '../../src/demux/mpegts/mpegts-index.js';
import { writeDecodeTransportStream } from '../../src/demux/mpegts/mpegts-writer.js';
import { pesHeaderSize, TIMESTAMP_WRAP, writePesHeader } from '../../src/demux/mpegts/pes.js';
import { TS_PACKET_SIZE } from '../../src/demux/mpegts/ts-packet.js';
import type { VideoTrack } from '../../src/demux/video-track.js';
import type { ByteSource } from '../../src/sources/byte-source.js';
import { countingSource } from '../../src/sources/counting-source.js';
import { memorySource } from '../../src/sources/memory-source.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { readExact } from '../../src/sources/read-exact.js';
import { fixture, requireSharedMedia, sharedMedia, type FixtureName } from '../helpers/fixtures.js';
import { ffprobe, requireNativeTool } from '../helpers/native.js';
import { testBytes } from '../helpers/noise.js';
import { expectNativeFrames, referenceFrames } from '../helpers/reference.js';
import { openVideoFile } from '../../src/video-file.js';
import { createNodeRunner } from '../../wasm/node-runner.js';

const runner = createNodeRunner({ instances: 1 });
afterAll(() => runner.close());

const native = requireNativeTool('ffmpeg') && requireNativeTool('ffprobe');

/** A video packet as ffprobe lists it. */
interface Packet {
  readonly pts: number;
  readonly dts: number;
  readonly size: number;
  readonly key: boolean;
}

function probedPackets(path: string): Packet[] {
  return ffprobe(['-select_streams', 'v:0', '-show_entries', 'packet=pts,dts,size,flags', '-of', 'csv=p=0', path])
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [pts, dts, size, flags] = line.split(',');
      return { pts: Number(pts), dts: Number(dts), size: Number(size), key: flags!.startsWith('K') };
    });
}

/** The index's samples as packets, each access unit read back through `unpackSample`. */
async function indexedPackets(source: ByteSource, track: VideoTrack): Promise<Packet[]> {
  const packets: Packet[] = [];
  for (const sample of track.samples.slice()) {
    const { data } = track.unpackSample!(await readExact(source, sample.offset, sample.size), sample);
    packets.push({ pts: sample.cts, dts: sample.dts, size: data.length, key: sample.labeledSync });
  }
  return packets;
}

async function indexFile(path: string): Promise<{ track: VideoTrack; packets: Packet[] }> {
  const source = await openFileSource(path);
  try {
    const track = await indexMpegts(source);
    return { track, packets: await indexedPackets(source, track) };
  } finally {
    await source.close();
  }
}

/** ffprobe's width and height of the first video stream. */
function probedSize(path: string): { width: number; height: number } {
  // The stream is listed twice: in its program, and alone.
  const [width, height] = ffprobe(['-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', path]).trim().split('\n')[0]!.split(',');
  return { width: Number(width), height: Number(height) };
}

async function expectIndexMatchesFfprobe(path: string): Promise<void> {
  const { track, packets } = await indexFile(path);
  expect(packets).toEqual(probedPackets(path));
  expect({ width: track.codedWidth, height: track.codedHeight }).toEqual(probedSize(path));
}

describe.skipIf(!native)('the MPEG-TS index, against ffprobe', () => {
  const generated: FixtureName[] = ['h264-bframes.ts', 'h264-open-gop.ts', 'h264-bframes.m2ts', 'mpeg4.ts'];
  for (const name of generated) {
    it(name, () => expectIndexMatchesFfprobe(fixture(name)));
  }

  it('hevc-open-gop.ts (ffmpeg counts the zero byte of a 4-byte start code with the picture before, the specification with the one after)', async () => {
    const path = fixture('hevc-open-gop.ts');
    const { track, packets } = await indexFile(path);
    const probed = probedPackets(path);
    expect(packets.map(({ size, ...rest }) => rest)).toEqual(probed.map(({ size, ...rest }) => rest));
    packets.forEach((packet, i) => expect(Math.abs(packet.size - probed[i]!.size), `sample ${i}`).toBeLessThanOrEqual(1));
    expect(packets.reduce((sum, p) => sum + p.size, 0)).toBe(probed.reduce((sum, p) => sum + p.size, 0));
    expect({ width: track.codedWidth, height: track.codedHeight }).toEqual(probedSize(path));
    expect(track.codec).toBe('hevc');
    expect(track.parameterSets.map((unit) => (unit[0]! >> 1) & 0x3f)).toEqual([32, 33, 34]);
  });

  it('h264-wrap.ts: the 33-bit time stamps continue past the wrap (ffprobe moves the ones before it below 0 instead)', async () => {
    const path = fixture('h264-wrap.ts');
    const { packets } = await indexFile(path);
    const probed = probedPackets(path);
    expect(probed.some((p) => p.pts < 0) && probed.some((p) => p.pts > 0), 'the fixture wraps mid-file').toBe(true);
    const raw = packets.map((p) => p.dts);
    expect(raw.every((dts, i) => i === 0 || dts > raw[i - 1]!), 'decode times rise').toBe(true);
    expect(raw.at(-1)).toBeGreaterThan(TIMESTAMP_WRAP);
    expect(packets).toEqual(probed.map((p) => ({ ...p, pts: p.pts + TIMESTAMP_WRAP, dts: p.dts + TIMESTAMP_WRAP })));
  });

  it('gives each sample the gap to the next frame shown as its duration, and the last one the gap before it', async () => {
    const { track } = await indexFile(fixture('h264-bframes.ts'));
    const shown = track.samples.slice().sort((a, b) => a.cts - b.cts);
    expect(shown.map((s) => s.duration)).toEqual(shown.map((s, i) => (shown[i + 1] ?? s).cts - (i + 1 < shown.length ? s.cts : shown[i - 1]!.cts)));
    expect(new Set(shown.map((s) => s.duration))).toEqual(new Set([3600]));
  });

  describe.skipIf(!requireSharedMedia())('the corpus', () => {
    it('0.ts (H.264 720×720 60 fps; each PES starts with the last bytes of the picture before)', () => expectIndexMatchesFfprobe(sharedMedia('0.ts')));

    it('hevc.ts (HEVC 1080p)', async () => {
      const path = sharedMedia('hevc.ts');
      const { track, packets } = await indexFile(path);
      const probed = probedPackets(path);
      expect(packets.map(({ size, ...rest }) => rest)).toEqual(probed.map(({ size, ...rest }) => rest));
      packets.forEach((packet, i) => expect(Math.abs(packet.size - probed[i]!.size), `sample ${i}`).toBeLessThanOrEqual(1));
      expect({ width: track.codedWidth, height: track.codedHeight }).toEqual(probedSize(path));
    });
  });

  it('reads the file once, in large reads', async () => {
    const path = fixture('h264-bframes.ts');
    const source = countingSource(await openFileSource(path));
    try {
      await indexMpegts(source);
      const fileSize = source.size;
      // The container sniff, then the scan.
      expect(source.bytesRead).toBeLessThan(fileSize + 4096);
      expect(source.reads.length).toBeLessThanOrEqual(2 + Math.ceil(fileSize / (1024 * 1024)));
    } finally {
      await source.close?.();
    }
  });
});

/**
 * `path`'s access units rewritten into PES packets that start `shifts[k % shifts.length]` bytes
 * after access unit k does (before it when negative: the PES opens with the end of the unit
 * before; 1–4: inside its 4-byte start code), each with the time stamps of the unit starting in it.
 */
async function reshuffled(path: string, streamType: number, shifts: readonly number[]) {
  const source = await openFileSource(path);
  try {
    const track = await indexMpegts(source);
    const samples = track.samples.slice();
    const units = await Promise.all(samples.map(async (sample) => track.unpackSample!(await readExact(source, sample.offset, sample.size), sample).data));
    const stream = Buffer.concat(units);
    const starts = units.map((_, k) => units.slice(0, k).reduce((sum, unit) => sum + unit.length, 0));
    const cuts = starts.map((start, k) => (k === 0 ? 0 : start + shifts[k % shifts.length]!));
    const origin = Math.min(...samples.map((s) => s.dts));
    const written = writeDecodeTransportStream(
      streamType,
      samples.map((sample, k) => ({ pts: sample.cts - origin, dts: sample.dts - origin, data: stream.subarray(cuts[k]!, cuts[k + 1] ?? stream.length) })),
    );
    return { units, written };
  } finally {
    await source.close();
  }
}

describe.skipIf(!native)('PES packets that do not start where access units do', () => {
  // The fixtures' access units open with a 4-byte start code (00 00 00 01 and an access unit delimiter).
  const shifts = [0, -1, -5, -98, -400, 1, 2, 3, 4];

  for (const [name, streamType] of [['h264-bframes.ts', 0x1b], ['hevc-open-gop.ts', 0x24]] as const) {
    it(`${name}: every access unit is found whole, with its time stamps`, async () => {
      const { units, written } = await reshuffled(fixture(name), streamType, shifts);
      expect(units.every((unit) => unit[0] === 0 && unit[1] === 0 && unit[2] === 0 && unit[3] === 1)).toBe(true);
      const source = memorySource(written);
      const track = await indexMpegts(source);
      const found = await Promise.all(track.samples.slice().map(async (sample) => track.unpackSample!(await readExact(source, sample.offset, sample.size), sample).data));
      expect(found.length).toBe(units.length);
      found.forEach((unit, k) => expect(Buffer.from(unit).equals(Buffer.from(units[k]!)), `access unit ${k}`).toBe(true));
    });
  }
});

/**
 * `path`'s access units in a transport stream whose every PES header is split over two packets:
 * the first carries only `firstPayload` bytes of it, an adaptation field stuffing the rest.
 */
async function withSplitHeaders(path: string, streamType: number, firstPayload: number) {
  const source = await openFileSource(path);
  try {
    const track = await indexMpegts(source);
    const samples = track.samples.slice();
    const units = await Promise.all(samples.map(async (sample) => track.unpackSample!(await readExact(source, sample.offset, sample.size), sample).data));
    const origin = Math.min(...samples.map((s) => s.dts));
    const timed = samples.map((sample, k) => ({ pts: sample.cts - origin, dts: sample.dts - origin, data: units[k]! }));
    // The PAT and PMT of the writer's own output, then the PES packets cut as wanted.
    const tables = writeDecodeTransportStream(streamType, timed.slice(0, 1)).subarray(0, 2 * TS_PACKET_SIZE);
    const packets: Uint8Array[] = [tables];
    let continuity = 0;
    for (const sample of timed) {
      const pes = new Uint8Array(pesHeaderSize(sample.pts, sample.dts) + sample.data.length);
      writePesHeader(pes, 0, sample.pts, sample.dts);
      pes.set(sample.data, pes.length - sample.data.length);
      for (let sent = 0; sent < pes.length; ) {
        const room = sent === 0 ? firstPayload : TS_PACKET_SIZE - 4;
        const chunk = pes.subarray(sent, sent + room);
        packets.push(videoPacket(chunk, sent === 0, continuity));
        continuity = (continuity + 1) % 16;
        sent += chunk.length;
      }
    }
    return { units, written: Buffer.concat(packets) };
  } finally {
    await source.close();
  }
}

/** A packet of PID 0x100 carrying `payload`, an adaptation field of stuffing filling what it leaves. */
function videoPacket(payload: Uint8Array, unitStart: boolean, continuity: number): Uint8Array {
  const packet = new Uint8Array(TS_PACKET_SIZE).fill(0xff);
  const stuffing = TS_PACKET_SIZE - 4 - payload.length;
  packet.set([0x47, (unitStart ? 0x40 : 0) | 0x01, 0x00, (stuffing > 0 ? 0x30 : 0x10) | continuity]);
  if (stuffing > 0) {
    packet[4] = stuffing - 1;
    if (stuffing > 1) packet[5] = 0;
  }
  packet.set(payload, TS_PACKET_SIZE - payload.length);
  return packet;
}

describe.skipIf(!native)('PES headers split over two packets', () => {
  for (const firstPayload of [6, 9, 14]) {
    it(`every access unit is read back whole when the first packet holds only ${firstPayload} bytes of the header`, async () => {
      const { units, written } = await withSplitHeaders(fixture('h264-bframes.ts'), 0x1b, firstPayload);
      const source = memorySource(written);
      const track = await indexMpegts(source);
      const found = await Promise.all(track.samples.slice().map(async (sample) => track.unpackSample!(await readExact(source, sample.offset, sample.size), sample).data));
      expect(found.length).toBe(units.length);
      found.forEach((unit, k) => expect(Buffer.from(unit).equals(Buffer.from(units[k]!)), `access unit ${k}`).toBe(true));
    });
  }
});

describe.skipIf(!native)('MPEG-4 Part 2 whose VOL header comes once, before the first VOP', () => {
  it('decodes from a later key frame as native ffmpeg decodes the whole stream: the VOL is put before it', async () => {
    const source = await openFileSource(fixture('mpeg4.ts'));
    const track = await indexMpegts(source);
    const samples = track.samples.slice();
    const units = await Promise.all(samples.map(async (sample) => track.unpackSample!(await readExact(source, sample.offset, sample.size), sample).data));
    await source.close();
    // Every unit but the first starts at its GOV or VOP: the VOS/VO/VOL headers before it go.
    const stripped = units.map((unit, k) => {
      if (k === 0) return unit;
      const buffer = Buffer.from(unit);
      const at = [0xb3, 0xb6].map((code) => buffer.indexOf(Buffer.from([0, 0, 1, code]))).filter((i) => i >= 0);
      return unit.subarray(Math.min(...at));
    });
    expect(stripped.filter((unit, k) => unit.length < units[k]!.length).length, 'key frames that carried a VOL').toBeGreaterThan(1);
    const written = writeDecodeTransportStream(0x10, samples.map((sample, k) => ({ pts: sample.cts, dts: sample.dts, data: stripped[k]! })));
    const dir = mkdtempSync(join(tmpdir(), 'stillframe-mpeg4-vol-'));
    try {
      const path = join(dir, 'vol-once.ts');
      writeFileSync(path, written);
      const reference = referenceFrames(path);
      const video = await openVideoFile(memorySource(written), { runner });
      try {
        await expectNativeFrames(video, path, [reference[60]!.timeUs, reference[40]!.timeUs]);
      } finally {
        await video.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!native)('MPEG-TS files the index cannot use', () => {
  it('no video stream → unsupported', async () => {
    await expect(indexMpegts(await openFileSource(fixture('audio-only.ts')))).rejects.toMatchObject({ kind: 'unsupported', message: /no video stream/ });
  });

  it('MPEG-2 video → unsupported, naming the codec', async () => {
    await expect(indexMpegts(await openFileSource(fixture('mpeg2video.ts')))).rejects.toMatchObject({ kind: 'unsupported', message: /MPEG-2 video \(stream type 0x02\)/ });
  });

  it('no program tables (only packets of some PID) → unsupported', async () => {
    const packets = new Uint8Array(188 * 50);
    for (let at = 0; at < packets.length; at += 188) packets.set([0x47, 0x01, 0x00, 0x10], at);
    await expect(indexMpegts(memorySource(packets))).rejects.toMatchObject({ kind: 'unsupported' });
  });

  it('cut inside a packet: the samples before the cut are whole, the one it cuts fails to read with io', async () => {
    const whole = readFileSync(fixture('h264-bframes.ts'));
    // 100 bytes into a video packet (PID 0x100, ffmpeg's first) past the middle.
    let at = Math.floor(whole.length / 2 / 188) * 188;
    while (((whole[at + 1]! & 0x1f) << 8 | whole[at + 2]!) !== 0x100) at += 188;
    const cut = whole.subarray(0, at + 100);
    const source = memorySource(cut);
    const track = await indexMpegts(source);
    const complete = await indexMpegts(memorySource(whole));
    const samples = track.samples.slice();
    expect(samples.length).toBeLessThan(complete.samples.length);
    const beforeCut = samples.filter((s) => s.offset + s.size <= cut.length);
    for (const sample of beforeCut) {
      const data = track.unpackSample!(await readExact(source, sample.offset, sample.size), sample).data;
      const original = complete.samples.at(sample.index);
      expect(data).toEqual(complete.unpackSample!(whole.subarray(original.offset, original.offset + original.size), original).data);
    }
    const last = samples.at(-1)!;
    expect(last.offset + last.size).toBeGreaterThan(cut.length);
    await expect(readExact(source, last.offset, last.size)).rejects.toMatchObject({ kind: 'io' });
  });

  it('garbage after a valid start: the samples before it are indexed, the garbage is skipped without a hang', async () => {
    const whole = readFileSync(fixture('h264-bframes.ts'));
    const start = whole.subarray(0, 188 * 2000);
    const damaged = new Uint8Array(start.length + 3 * 1024 * 1024 + 77);
    damaged.set(start);
    damaged.set(testBytes(damaged.length - start.length), start.length);
    const began = Date.now();
    const track = await indexMpegts(memorySource(damaged));
    expect(Date.now() - began).toBeLessThan(10_000);
    const complete = await indexMpegts(memorySource(whole));
    const ours = track.samples.slice();
    expect(ours.length).toBeGreaterThan(10);
    // All but the last sample, which the garbage may end early, are the intact file's.
    expect(ours.slice(0, -1)).toEqual(complete.samples.slice(0, ours.length - 1));
  });

  it('garbage in the middle: the packets after it are found again', async () => {
    const whole = readFileSync(fixture('h264-bframes.ts'));
    const damaged = Uint8Array.from(whole);
    const at = Math.floor(whole.length / 2 / 188) * 188 + 33;
    damaged.set(testBytes(5000), at);
    const track = await indexMpegts(memorySource(damaged));
    const complete = await indexMpegts(memorySource(whole));
    const lastTime = complete.samples.at(complete.samples.length - 1).cts;
    expect(track.samples.at(track.samples.length - 1).cts).toBe(lastTime);
    expect(track.samples.length).toBeLessThan(complete.samples.length);
    expect(track.samples.length).toBeGreaterThan(complete.samples.length - 10);
  });
});
