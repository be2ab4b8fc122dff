/**
 * Laced Matroska blocks (several frames in one block: Xiph, EBML and fixed-size lacing). Muxers
 * rarely lace video, so the files are made here: the frames of a VP8 WebM made by native ffmpeg,
 * regrouped three to a block. The index must list every frame as the unlaced file has it, and the
 * frames must decode to what native ffmpeg decodes from the laced file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { indexMatroska } from '../../src/demux/matroska/matroska-index.js';
import { memorySource } from '../../src/sources/memory-source.js';
import { openVideoFile } from '../../src/video-file.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { concat } from '../codec/helpers/bytes.js';
import { element, text, uint } from '../helpers/ebml-builder.js';
import { fixture } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';
import { expectNativeFrames, referenceFrames } from '../helpers/reference.js';

type Lacing = 'xiph' | 'fixed' | 'ebml';
const LACING_BITS: Record<Lacing, number> = { xiph: 0b010, fixed: 0b100, ebml: 0b110 };

/** The lace header of `sizes` (every frame but the last), after the frame count. */
function laceHeader(lacing: Lacing, sizes: readonly number[]): number[] {
  if (lacing === 'fixed') return [];
  if (lacing === 'xiph') return sizes.slice(0, -1).flatMap((size) => [...Array(Math.floor(size / 255)).fill(255), size % 255]);
  // EBML lacing: the first size unsigned, then differences, signed by an offset of 2^(7·2-1) - 1, all as 2-byte vints.
  return sizes.slice(0, -1).flatMap((size, i) => {
    const value = i === 0 ? size : size - sizes[i - 1]! + (2 ** 13 - 1);
    return [0x40 | (value >> 8), value & 0xff];
  });
}

/** A SimpleBlock of track 1 holding `frames` laced, `relative` ticks after its cluster. */
function lacedBlock(lacing: Lacing, relative: number, key: boolean, frames: readonly Uint8Array[]): Uint8Array {
  const flags = (key ? 0x80 : 0) | (frames.length > 1 ? LACING_BITS[lacing] : 0);
  const header = [0x81, (relative >> 8) & 0xff, relative & 0xff, flags];
  if (frames.length > 1) header.push(frames.length - 1, ...laceHeader(lacing, frames.map((f) => f.length)));
  return element(0xa3, Uint8Array.from(header), ...frames);
}

/** A WebM whose one VP8 track (`codecPrivate`-less, `frameTicks` ms a frame) holds `frames`, laced by threes. */
function lacedWebm(lacing: Lacing, width: number, height: number, frameTicks: number, frames: ReadonlyArray<{ data: Uint8Array; key: boolean }>): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (let i = 0; i < frames.length; i += 3) {
    // A key frame starts its own block, so that the block's key flag is true of its first frame only.
    const run = frames.slice(i, i + 3);
    const cut = run.findIndex((frame, k) => k > 0 && frame.key);
    const group = cut > 0 ? run.slice(0, cut) : run;
    blocks.push(lacedBlock(lacing, i * frameTicks, group[0]!.key, group.map((f) => f.data)));
    i -= 3 - group.length;
  }
  const track = element(
    0xae,
    uint(0xd7, 1),
    uint(0x73c5, 1),
    uint(0x83, 1),
    text(0x86, 'V_VP8'),
    uint(0x23e383, frameTicks * 1_000_000),
    element(0xe0, uint(0xb0, width), uint(0xba, height)),
  );
  return concat(
    element(0x1a45dfa3, text(0x4282, 'webm'), uint(0x4287, 4), uint(0x4285, 2)),
    element(0x18538067, element(0x1549a966, uint(0x2ad7b1, 1_000_000)), element(0x1654ae6b, track), element(0x1f43b675, uint(0xe7, 0), ...blocks)),
  );
}

// ---- The specs --------------------------------------------------------------------------------

describe('laced blocks, by the index', () => {
  it('fixed-size lacing: frames of equal size, one after another, a frame duration apart', async () => {
    const frames = Array.from({ length: 7 }, (_, i) => ({ data: new Uint8Array(50).fill(i), key: i % 4 === 0 }));
    const file = lacedWebm('fixed', 64, 48, 40, frames);
    const track = await indexMatroska(memorySource(file));
    const samples = track.samples.slice();
    expect(samples.map((s) => [s.cts, s.size, s.labeledSync])).toEqual(frames.map((f, i) => [i * 40, 50, f.key]));
    for (const [i, s] of samples.entries()) expect(file.subarray(s.offset, s.offset + s.size)).toEqual(frames[i]!.data);
  });

  it('a laced block that declares more bytes than it holds is an io error, not a wrong index', async () => {
    const block = lacedBlock('xiph', 0, true, [new Uint8Array(10), new Uint8Array(10)]);
    // The lace header says the first frame is 10 bytes; make it claim 255 + 255 + 40.
    const bad = concat(block.subarray(0, 9 + 5), [255, 255, 40], block.subarray(9 + 6));
    const file = concat(
      element(0x1a45dfa3, text(0x4282, 'webm')),
      element(0x18538067, element(0x1654ae6b, element(0xae, uint(0xd7, 1), uint(0x83, 1), text(0x86, 'V_VP8'))), element(0x1f43b675, uint(0xe7, 0), bad)),
    );
    await expect(indexMatroska(memorySource(file))).rejects.toMatchObject({ kind: 'io' });
  });
});

describe.skipIf(!requireNativeTool('ffmpeg') || !requireNativeTool('ffprobe'))('laced blocks of real VP8 frames', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stillframe-lacing-'));
  const runner = createNodeRunner({ instances: 1 });
  afterAll(async () => {
    await runner.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function sourceFrames() {
    const bytes = new Uint8Array(readFileSync(fixture('vp8.webm')));
    const track = await indexMatroska(memorySource(bytes));
    return { track, frames: track.samples.slice().map((s) => ({ data: bytes.slice(s.offset, s.offset + s.size), key: s.labeledSync, cts: s.cts })) };
  }

  it.each(['xiph', 'ebml'] as const)('%s lacing: the index lists the unlaced frames, and they decode as native ffmpeg decodes the laced file', async (lacing) => {
    const { track, frames } = await sourceFrames();
    const file = lacedWebm(lacing, track.codedWidth, track.codedHeight, 40, frames);
    const laced = await indexMatroska(memorySource(file));
    const samples = laced.samples.slice();
    expect(samples.map((s) => [s.cts, s.size, s.labeledSync])).toEqual(frames.map((f, i) => [i * 40, f.data.length, f.key]));
    for (const [i, s] of samples.entries()) expect(file.subarray(s.offset, s.offset + s.size), `frame ${i}`).toEqual(frames[i]!.data);

    const path = join(dir, `${lacing}.webm`);
    writeFileSync(path, file);
    expect(referenceFrames(path).length).toBe(frames.length);
    const video = await openVideoFile(memorySource(file), { runner });
    try {
      await expectNativeFrames(video, path, [0, 1_010_000, 1_930_000, 2_500_000]);
    } finally {
      await video.close();
    }
  });
});
