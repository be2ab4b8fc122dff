/**
 * A decode pass leaves out the pictures nothing references: from the entry point to the last
 * target, the engine gets every sample except the unreferenced ones that are not targets
 * (H.264 `nal_ref_idc` 0; HEVC sub-layer non-reference pictures of the highest sub-layer — a
 * lower sub-layer's may still be referenced by a higher one). Which pictures are unreferenced
 * is read independently, from native ffmpeg's `trace_headers` bitstream filter; what the
 * engine got, from ffprobe on the decode input it was handed. The frames themselves stay those
 * of native ffmpeg (the conformance specs check the pixels with pruning on).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { openVideoFile } from '../../src/video-file.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture, type FixtureName } from '../helpers/fixtures.js';
import { ffprobe, requireNativeTool } from '../helpers/native.js';
import { expectedFrame, referenceFrames } from '../helpers/reference.js';
import { countingRunner } from '../kinesis/helpers.js';

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
  const raw: { size: number; pts: number; key: boolean; refIdc?: number; hevc?: { type: number; tid: number } }[] = [];
  for (const line of lines) {
    const packet = /Packet: (\d+) bytes, (key frame, )?pts (-?\d+)/.exec(line);
    if (packet) raw.push({ size: Number(packet[1]), key: Boolean(packet[2]), pts: Number(packet[3]) });
    const current = raw.at(-1);
    if (!current || current.refIdc !== undefined || current.hevc) continue;
    const h264 = /nal_unit_type: (\d+)\(.*\), nal_ref_idc: (\d+)/.exec(line);
    if (h264 && [1, 5].includes(Number(h264[1]))) current.refIdc = Number(h264[2]);
    const hevc = /nal_unit_type: (\d+)\(.*\), nuh_layer_id: \d+, temporal_id: (\d+)/.exec(line);
    if (hevc && Number(hevc[1]) <= 21) current.hevc = { type: Number(hevc[1]), tid: Number(hevc[2]) };
  }
  const maxTid = Math.max(0, ...raw.map((packet) => packet.hevc?.tid ?? 0));
  return raw.map(({ size, pts, key, refIdc, hevc }) => ({
    size,
    pts,
    key,
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

describe.skipIf(!requireNativeTool('ffmpeg'))('decode passes leave out unreferenced pictures', () => {
  const cases: [FixtureName, number][] = [
    ['h264-bframes.mp4', 1_920_000], // late in a 1 s GOP, x264 B-pyramid: referenced and unreferenced B-frames
    ['hevc.mp4', 1_440_000], // x265, 3 B-frames, one temporal layer, late in a 0.8 s GOP
    ['small-hevc-temporal-layers.mp4', 1_320_000], // x265 temporal layers: lower-layer _N pictures stay
  ];
  for (const [name, timeUs] of cases) {
    it(`${name} at ${timeUs / 1e6} s: exactly the referenced pictures and the target`, async () => {
      const path = fixture(name);
      const runner = countingRunner(engine);
      const video = await openVideoFile(await openFileSource(path), { runner });
      const frame = await video.extractFrame(timeUs, { mode: 'closest' });
      await video.close();

      const packets = tracedPackets(path);
      const frames = referenceFrames(path);
      const target = expectedFrame(frames, timeUs, 'closest');
      expect(frame.timeUs).toBe(target.timeUs);
      // Decode order: the target's packet, and the last key packet at or before it.
      const byPts = [...packets].sort((a, b) => a.pts - b.pts);
      const targetPacket = packets.indexOf(byPts[target.n]!);
      let entry = targetPacket;
      while (!packets[entry]!.key) entry--;
      const expected = packets
        .slice(entry, targetPacket + 1)
        .filter((packet, i) => entry + i === targetPacket || !packet.unreferenced)
        .map((packet) => packet.size);

      expect(runner.jobs).toHaveLength(1);
      expect(video.decodeStats).toEqual({ passes: 1, samples: expected.length, skipped: targetPacket - entry + 1 - expected.length });
      const input = runner.jobs[0]!.inputs[0]!;
      expect(inputPacketSizes(input.data, `${name}-input.mp4`)).toEqual(expected);
      // Pruning happened: the plain range from the entry point held more pictures.
      expect(expected.length).toBeLessThan(targetPacket - entry + 1);
    });
  }
});
