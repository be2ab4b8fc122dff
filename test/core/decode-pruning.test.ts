/**
 * A decode pass leaves out the pictures its targets do not need. From the entry point to the last
 * target, the engine gets every sample except:
 * - the unreferenced ones that are not targets (H.264 `nal_ref_idc` 0; HEVC sub-layer
 *   non-reference pictures of the highest sub-layer — a lower sub-layer's may still be
 *   referenced by a higher one);
 * - for H.264 targets that are I- or P-frames, also the reference pictures no slice of theirs
 *   (or of the pictures they predict from) has in its active reference list, such as the
 *   reference B-frame of an x264 B-pyramid when P-frames use one reference.
 * Which pictures are unreferenced, and what kind each is, is read independently, from native
 * ffmpeg's `trace_headers` bitstream filter; what the engine got, from ffprobe on the decode input
 * it was handed. The frames themselves stay those of native ffmpeg: the conformance specs check
 * the pixels with pruning on, and the last spec here checks that leaving out the reference
 * B-frames changes no pixel.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { openVideoFile } from '../../src/video-file.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture, type FixtureName } from '../helpers/fixtures.js';
import { ffprobe, requireNativeTool } from '../helpers/native.js';
import { expectedFrame, meanAbsDiff, referenceFrames, referencePixels } from '../helpers/reference.js';
import { countingRunner } from '../kinesis/helpers.js';

/** Lets a spec turn the H.264 reference analysis off, to compare with decoding every reference picture. */
const analysis = vi.hoisted(() => ({ enabled: true }));
vi.mock('../../src/codec/h264-reference-analysis.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/codec/h264-reference-analysis.js')>();
  return {
    h264PicturesToDecode: (...args: Parameters<typeof original.h264PicturesToDecode>) => (analysis.enabled ? original.h264PicturesToDecode(...args) : undefined),
  };
});

const engine = createNodeRunner();
const scratch = mkdtempSync(join(tmpdir(), 'stillframe-pruning-'));
afterAll(async () => {
  await engine.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** One coded picture as native ffmpeg sees it, in decode order. */
interface Packet {
  readonly size: number;
  readonly pts: number;
  readonly key: boolean;
  /** No other picture may reference it, by the codec's rules. */
  readonly unreferenced: boolean;
  /** H.264: slice_type % 5 of its first slice (0 P, 1 B, 2 I). */
  readonly sliceType?: number;
}

/**
 * The video packets of `path` in decode order, with what `trace_headers` prints of their first
 * slice NAL unit: H.264 `nal_ref_idc`; HEVC `nal_unit_type` and `temporal_id`.
 */
function tracedPackets(path: string): Packet[] {
  const run = spawnSync('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'trace', '-i', path, '-map', '0:v', '-c', 'copy', '-bsf:v', 'trace_headers', '-f', 'null', '-'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`ffmpeg trace_headers failed on ${path}`);
  const trace = run.stderr.toString();
  const lines = trace.split('\n').filter((line) => line.includes('[trace_headers'));
  const raw: { size: number; pts: number; key: boolean; refIdc?: number; sliceType?: number; hevc?: { type: number; tid: number } }[] = [];
  for (const line of lines) {
    const packet = /Packet: (\d+) bytes, (key frame, )?pts (-?\d+)/.exec(line);
    if (packet) raw.push({ size: Number(packet[1]), key: Boolean(packet[2]), pts: Number(packet[3]) });
    const current = raw.at(-1);
    const sliceType = /\bslice_type\s+[01]+ = (\d+)/.exec(line);
    if (current && sliceType && current.refIdc !== undefined && current.sliceType === undefined) current.sliceType = Number(sliceType[1]) % 5;
    if (!current || current.refIdc !== undefined || current.hevc) continue;
    const h264 = /nal_unit_type: (\d+)\(.*\), nal_ref_idc: (\d+)/.exec(line);
    if (h264 && [1, 5].includes(Number(h264[1]))) current.refIdc = Number(h264[2]);
    const hevc = /nal_unit_type: (\d+)\(.*\), nuh_layer_id: \d+, temporal_id: (\d+)/.exec(line);
    if (hevc && Number(hevc[1]) <= 21) current.hevc = { type: Number(hevc[1]), tid: Number(hevc[2]) };
  }
  const maxTid = Math.max(0, ...raw.map((packet) => packet.hevc?.tid ?? 0));
  return raw.map(({ size, pts, key, refIdc, sliceType, hevc }) => ({
    size,
    pts,
    key,
    sliceType,
    // HEVC sub-layer non-reference types are the even ones up to 14 (TRAIL_N, TSA_N, STSA_N, RADL_N, RASL_N, RSV_VCL_N…).
    unreferenced: refIdc !== undefined ? refIdc === 0 : hevc !== undefined && hevc.type <= 14 && hevc.type % 2 === 0 && hevc.tid === maxTid,
  }));
}

/** The packet sizes, in decode order, of the decode input a job was handed. */
function inputPacketSizes(bytes: Uint8Array, name: string): number[] {
  const file = join(scratch, name);
  writeFileSync(file, bytes);
  return ffprobe(['-select_streams', 'v:0', '-show_entries', 'packet=size', '-of', 'csv=p=0', file]).trim().split('\n').map(Number);
}

/** One closest-mode frame decoded alone, with what native ffmpeg says of the packets around it. */
async function decodeAlone(name: FixtureName, timeUs: number) {
  const path = fixture(name);
  const runner = countingRunner(engine);
  const video = await openVideoFile(await openFileSource(path), { runner });
  const frame = await video.extractFrame(timeUs, { mode: 'closest', upright: false });
  const stats = video.decodeStats;
  await video.close();

  const packets = tracedPackets(path);
  const frames = referenceFrames(path);
  const target = expectedFrame(frames, timeUs, 'closest');
  // Decode order: the target's packet, and the last key packet at or before it.
  const byPts = [...packets].sort((a, b) => a.pts - b.pts);
  const targetPacket = packets.indexOf(byPts[target.n]!);
  let entry = targetPacket;
  while (!packets[entry]!.key) entry--;
  expect(frame.timeUs).toBe(target.timeUs);
  expect(runner.jobs).toHaveLength(1);
  const input = inputPacketSizes(runner.jobs[0]!.inputs[0]!.data, `${name}-input.mp4`);
  return { path, frame, stats, target, input, prefix: packets.slice(entry, targetPacket + 1) };
}

/** Presentation time of the last P-frame of the first GOP, by the trace. */
function lastPFrameOfFirstGop(name: FixtureName): number {
  const packets = tracedPackets(fixture(name));
  const nextKey = packets.findIndex((packet, i) => i > 0 && packet.key);
  const last = packets.slice(0, nextKey).filter((packet) => packet.sliceType === 0).at(-1)!;
  const n = [...packets].sort((a, b) => a.pts - b.pts).indexOf(last);
  return referenceFrames(fixture(name))[n]!.timeUs;
}

describe.skipIf(!requireNativeTool('ffmpeg'))('decode passes leave out unreferenced pictures', () => {
  const cases: [FixtureName, number][] = [
    ['h264-bframes.mp4', 1_920_000], // late in a 1 s GOP, x264 B-pyramid: referenced and unreferenced B-frames; the target is a B-frame
    ['hevc.mp4', 1_440_000], // x265, 3 B-frames, one temporal layer, late in a 0.8 s GOP
    ['small-hevc-temporal-layers.mp4', 1_320_000], // x265 temporal layers: lower-layer _N pictures stay
  ];
  for (const [name, timeUs] of cases) {
    it(`${name} at ${timeUs / 1e6} s: exactly the referenced pictures and the target`, async () => {
      const { stats, input, prefix } = await decodeAlone(name, timeUs);
      if (name.startsWith('h264')) expect(prefix.at(-1)!.sliceType, 'a B-frame target keeps every reference picture').toBe(1);
      const expected = prefix.filter((packet, i) => i === prefix.length - 1 || !packet.unreferenced).map((packet) => packet.size);
      expect(stats).toEqual({ passes: 1, samples: expected.length, skipped: prefix.length - expected.length });
      expect(input).toEqual(expected);
      // Pruning happened: the plain range from the entry point held more pictures.
      expect(expected.length).toBeLessThan(prefix.length);
    });
  }
});

describe.skipIf(!requireNativeTool('ffmpeg'))('an H.264 P-frame target gets only the pictures its reference lists name', () => {
  const fewer: FixtureName[] = ['small-h264-pyramid-ref1.mp4', 'small-h264-pyramid-strict.mp4', 'small-h264-sliced.mp4'];
  for (const name of fewer) {
    it(`${name}: the IDR and the P-frames before the target, not the pyramid's reference B-frames`, async () => {
      const { path, frame, stats, target, input, prefix } = await decodeAlone(name, lastPFrameOfFirstGop(name));
      expect(prefix.at(-1)!.sliceType).toBe(0);
      // The premise: reference B-frames lie between the IDR and the target.
      expect(prefix.filter((packet) => packet.sliceType === 1 && !packet.unreferenced).length).toBeGreaterThan(0);
      const expected = prefix.filter((packet) => packet.sliceType !== 1).map((packet) => packet.size);
      expect(input).toEqual(expected);
      expect(stats).toEqual({ passes: 1, samples: expected.length, skipped: prefix.length - expected.length });
      // Native ffmpeg's frame, not a neighbour (160×120 chroma edges keep even the right frame ~5 apart).
      const diff = (n: number) => meanAbsDiff(frame.data, referencePixels(path, n, frame.width, frame.height));
      expect(diff(target.n)).toBeLessThan(6);
      expect(diff(target.n)).toBeLessThan(Math.min(diff(target.n - 1), diff(target.n + 1)));
    });
  }

  it('small-h264-pyramid-ref3.mp4: P-frames list the reference B-frames among three references, so they stay', async () => {
    const { stats, input, prefix } = await decodeAlone('small-h264-pyramid-ref3.mp4', lastPFrameOfFirstGop('small-h264-pyramid-ref3.mp4'));
    const expected = prefix.filter((packet, i) => i === prefix.length - 1 || !packet.unreferenced).map((packet) => packet.size);
    expect(prefix.some((packet) => packet.sliceType === 1 && !packet.unreferenced)).toBe(true);
    expect(input).toEqual(expected);
    expect(stats.samples).toBe(expected.length);
  });

  it('leaving the reference B-frames out changes no pixel of any frame', async () => {
    for (const name of [...fewer, 'small-h264-pyramid-ref3.mp4'] as const) {
      const pixels = async (enabled: boolean) => {
        analysis.enabled = enabled;
        const video = await openVideoFile(await openFileSource(fixture(name)), { runner: engine });
        const times = referenceFrames(fixture(name)).map((frame) => frame.timeUs);
        // One call per frame: a batch that holds a B-frame target keeps every reference picture.
        const frames = await Promise.all(times.map((time) => video.extractFrame(time, { mode: 'closest', upright: false })));
        const stats = video.decodeStats;
        await video.close();
        analysis.enabled = true;
        return { data: frames.map((frame) => Buffer.from(frame.data).toString('base64')), stats };
      };
      const pruned = await pixels(true);
      const full = await pixels(false);
      expect(pruned.data, name).toEqual(full.data);
      if (name !== 'small-h264-pyramid-ref3.mp4') expect(pruned.stats.samples, name).toBeLessThan(full.stats.samples);
    }
  });
});
