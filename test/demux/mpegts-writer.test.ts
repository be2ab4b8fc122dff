/**
 * The MPEG-TS decode input: native ffprobe reads what `writeDecodeTransportStream` writes with
 * exactly the packets given (PTS, DTS, size), native ffmpeg decodes them to the source's
 * pictures, the packets are well formed (continuity counters without a gap, tables first); and
 * a track's decode input across the 33-bit wrap gives the engine the target frames at the
 * time stamps it names.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { indexMpegts } from '../../src/demux/mpegts/mpegts-index.js';
import { writeDecodeTransportStream, type TsSample } from '../../src/demux/mpegts/mpegts-writer.js';
import type { EncodedSample, SampleWithData, VideoTrack } from '../../src/demux/video-track.js';
import { splitNalUnits } from '../../src/codec/nal-units.js';
import { decodeFrames } from '../../src/engine/frame-decoder.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { readExact } from '../../src/sources/read-exact.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture, type FixtureName } from '../helpers/fixtures.js';
import { ffmpeg, ffprobe, requireNativeTool } from '../helpers/native.js';

const native = requireNativeTool('ffmpeg') && requireNativeTool('ffprobe');
const dir = mkdtempSync(join(tmpdir(), 'stillframe-ts-writer-'));
const runner = createNodeRunner({ instances: 1 });
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await runner.close();
});

/** A transport stream's track (a fixture's, or the file at a path) and every sample with its access unit. */
async function readTrack(name: FixtureName | string): Promise<{ path: string; track: VideoTrack; samples: SampleWithData[] }> {
  const path = name.startsWith('/') ? name : fixture(name as FixtureName);
  const source = await openFileSource(path);
  try {
    const track = await indexMpegts(source);
    const samples: SampleWithData[] = [];
    for (const sample of track.samples.slice()) samples.push({ sample, ...track.unpackSample!(await readExact(source, sample.offset, sample.size), sample) });
    return { path, track, samples };
  } finally {
    await source.close();
  }
}

function writeFile(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function probedPackets(path: string) {
  return ffprobe(['-select_streams', 'v:0', '-show_entries', 'packet=pts,dts,size', '-of', 'csv=p=0', path])
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [pts, dts, size] = line.split(',').map(Number);
      return { pts, dts, size };
    });
}

/** MD5 of each decoded picture (raw yuv420p), in presentation order, as native ffmpeg makes them. */
function nativeFrameHashes(path: string): string[] {
  const lines = Buffer.from(ffmpeg(['-i', path, '-map', '0:v:0', '-pix_fmt', 'yuv420p', '-f', 'framemd5', '-'])).toString().split('\n');
  return lines.filter((line) => line !== '' && !line.startsWith('#')).map((line) => line.split(',').at(-1)!.trim());
}

describe.skipIf(!native)('writeDecodeTransportStream', () => {
  it('writes packets ffprobe reads back with the time stamps and sizes given, decoded to the source pictures', async () => {
    const { samples } = await readTrack('h264-bframes.ts');
    const origin = samples[0]!.sample.dts;
    const written: TsSample[] = samples.map(({ sample, data }) => ({ pts: sample.cts - origin, dts: sample.dts - origin, data }));
    const path = writeFile('all.ts', writeDecodeTransportStream(0x1b, written));
    expect(probedPackets(path)).toEqual(written.map(({ pts, dts, data }) => ({ pts, dts, size: data.length })));
    expect(nativeFrameHashes(path)).toEqual(nativeFrameHashes(fixture('h264-bframes.ts')));
  });

  it('writes HEVC under its stream type', async () => {
    const { samples } = await readTrack('hevc-open-gop.ts');
    const origin = samples[0]!.sample.dts;
    const path = writeFile('hevc.ts', writeDecodeTransportStream(0x24, samples.map(({ sample, data }) => ({ pts: sample.cts - origin, dts: sample.dts - origin, data }))));
    expect(ffprobe(['-select_streams', 'v:0', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', path]).trim().split('\n')[0]).toBe('hevc');
    expect(nativeFrameHashes(path)).toEqual(nativeFrameHashes(fixture('hevc-open-gop.ts')));
  });

  it('writes well-formed packets: PAT and PMT first, then the video PID with continuity counters that never skip', async () => {
    const { samples } = await readTrack('h264-bframes.ts');
    // Every other non-key sample left out, as a plan skipping frames would.
    const kept = samples.filter(({ sample }, i) => sample.labeledSync || i % 2 === 0);
    const bytes = writeDecodeTransportStream(0x1b, kept.map(({ sample, data }) => ({ pts: sample.cts - kept[0]!.sample.dts, dts: sample.dts - kept[0]!.sample.dts, data })));
    expect(bytes.length % 188).toBe(0);
    const pids: number[] = [];
    const counters: number[] = [];
    for (let at = 0; at < bytes.length; at += 188) {
      expect(bytes[at]).toBe(0x47);
      const pid = ((bytes[at + 1]! & 0x1f) << 8) | bytes[at + 2]!;
      pids.push(pid);
      if (pid === 0x100) counters.push(bytes[at + 3]! & 0x0f);
    }
    expect(pids.slice(0, 2)).toEqual([0, 0x1000]);
    expect(new Set(pids.slice(2))).toEqual(new Set([0x100]));
    counters.forEach((counter, i) => expect(counter).toBe(i % 16));
    const unitStarts = [];
    for (let at = 2 * 188; at < bytes.length; at += 188) if (bytes[at + 1]! & 0x40) unitStarts.push(at);
    expect(unitStarts.length).toBe(kept.length);
  });

  it('refuses no samples and time stamps a PES header cannot hold', () => {
    expect(() => writeDecodeTransportStream(0x1b, [])).toThrow(expect.objectContaining({ kind: 'invalid-argument' }));
    const data = new Uint8Array([0, 0, 0, 1, 0x09, 0xf0]);
    expect(() => writeDecodeTransportStream(0x1b, [{ pts: 2 ** 33, dts: 0, data }])).toThrow(RangeError);
    expect(() => writeDecodeTransportStream(0x1b, [{ pts: 10, dts: -1, data }])).toThrow(RangeError);
    expect(() => writeDecodeTransportStream(0x1b, [{ pts: 1.5, dts: 0, data }])).toThrow(RangeError);
  });
});

describe.skipIf(!native)('a track decode input starting at an open-GOP recovery point without an SPS', () => {
  it('carries the parameter sets of the stream after the access unit delimiter, and decodes', async () => {
    const { track, samples } = await readTrack('h264-open-gop.ts');
    const types = (data: Uint8Array) => splitNalUnits(data, 4).map((unit) => unit[0]! & 0x1f);
    const entry = samples.findIndex(({ sample, data }, i) => i > 0 && sample.labeledSync && !types(data).includes(7));
    expect(entry, 'a recovery point the muxer left without an SPS').toBeGreaterThan(0);
    const run = samples.slice(entry, entry + 6);
    const input = track.buildDecodeInput(run, [run[0]!.sample]);
    const written = await readTrack(writeFile('recovery-point.ts', input.bytes));
    expect(types(written.samples[0]!.data).slice(0, 4)).toEqual([9, 7, 8, ...types(run[0]!.data).slice(1, 2)]);
    expect(written.samples.slice(1).map(({ data }) => data)).toEqual(run.slice(1).map(({ data }) => data));
    expect(nativeFrameHashes(written.path).length).toBeGreaterThan(0);
  });
});

describe.skipIf(!native)('a track decode input across the 33-bit wrap', () => {
  it('starts near 0 and gives the engine each target at the time stamp it names, with the source pictures', async () => {
    const { track, samples } = await readTrack('h264-wrap.ts');
    const wrapAt = samples.findIndex(({ sample }) => sample.dts >= 2 ** 33);
    expect(wrapAt, 'the fixture wraps mid-file').toBeGreaterThan(0);
    // From the last key frame before the wrap to a few frames after it.
    const entry = samples.map(({ sample }) => sample.labeledSync).lastIndexOf(true, wrapAt - 1);
    const run = samples.slice(entry, wrapAt + 12);
    const targets: EncodedSample[] = [run[0]!.sample, run.at(-1)!.sample, ...run.filter(({ sample }) => sample.cts >= 2 ** 33).slice(0, 3).map(({ sample }) => sample)];
    const input = track.buildDecodeInput(run, targets);
    expect(input.fileName).toBe('input.ts');
    const path = writeFile('wrap-input.ts', input.bytes);
    const probed = probedPackets(path);
    expect(Math.min(...probed.map((p) => p.dts))).toBe(0);
    const probedPts = new Set(probed.map((p) => p.pts));
    for (const pts of input.targetPts) expect(probedPts.has(pts)).toBe(true);

    const decoded = await decodeFrames(runner, input, 30_000);
    // The source's pictures, matched by presentation order.
    const shownOrder = track.samples.slice().sort((a, b) => a.cts - b.cts).map((sample) => sample.index);
    const sourceHashes = nativeFrameHashes(fixture('h264-wrap.ts'));
    targets.forEach((target, i) => {
      const hash = createHash('md5').update(decoded[i]!.frame.data).digest('hex');
      expect(hash, `target ${target.index}`).toBe(sourceHashes[shownOrder.indexOf(target.index)]);
    });
  }, 60_000);
});
