/**
 * Matroska tracks stored Video-for-Windows style (`V_MS/VFW/FOURCC`, a BITMAPINFOHEADER as
 * CodecPrivate), as XviD and DivX files remuxed to MKV are: the FourCC names the codec, and the
 * frames decode as native ffmpeg decodes them, in every mode. Such a track's block times are
 * decode times (ffmpeg reads them so): with B-frames, whose presentation times they do not give,
 * the track is refused by name rather than shown out of order. The files are made here: the
 * MPEG-4 Part 2 frames of Matroska files native ffmpeg wrote, under a VFW TrackEntry.
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
import { element, simpleBlock, text, uint } from '../helpers/ebml-builder.js';
import { fixture } from '../helpers/fixtures.js';
import { ffmpeg, requireNativeTool } from '../helpers/native.js';
import { expectNativeFrames } from '../helpers/reference.js';

const native = requireNativeTool('ffmpeg') && requireNativeTool('ffprobe');
const runner = createNodeRunner({ instances: 1 });
const dir = mkdtempSync(join(tmpdir(), 'stillframe-vfw-'));
afterAll(async () => {
  await runner.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A little-endian BITMAPINFOHEADER for `fourcc` at `width`×`height`, followed by the codec's own header bytes. */
function bitmapInfoHeader(fourcc: string, width: number, height: number, extra: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(40));
  header.setUint32(0, 40 + extra.length, true);
  header.setInt32(4, width, true);
  header.setInt32(8, height, true);
  header.setUint16(12, 1, true); // planes
  header.setUint16(14, 24, true); // bits per pixel
  for (let i = 0; i < 4; i++) header.setUint8(16 + i, fourcc.charCodeAt(i));
  header.setUint32(20, width * height * 3, true);
  return concat(new Uint8Array(header.buffer), extra);
}

/**
 * The frames of the Matroska file at `source` (MPEG-4 Part 2, or Motion JPEG) under a VFW
 * TrackEntry with `fourcc`, written beside the others; `pack` merges each P-VOP with the frame
 * after it, as DivX's packed bitstream stores a P-VOP and a B-VOP in one chunk.
 */
async function vfwFile(source: string, fourcc: string, pack = false): Promise<{ path: string; bytes: Uint8Array }> {
  const original = new Uint8Array(readFileSync(source));
  const track = await indexMatroska(memorySource(original));
  // The VOL header, as the stream carries it before its first VOP (00 00 01 B6) once dump_extra puts it in.
  const vol = track.codec === 'mpeg4' ? volHeader(source) : new Uint8Array(0);
  const entry = element(
    0xae,
    uint(0xd7, 1),
    uint(0x73c5, 1),
    uint(0x83, 1),
    text(0x86, 'V_MS/VFW/FOURCC'),
    element(0x63a2, bitmapInfoHeader(fourcc, track.codedWidth, track.codedHeight, vol)),
    element(0xe0, uint(0xb0, track.codedWidth), uint(0xba, track.codedHeight)),
  );
  // Decode order, decode times: without B-frames, the presentation times.
  const frames = track.samples.slice().map((s) => ({ time: s.dts, key: s.labeledSync, data: original.subarray(s.offset, s.offset + s.size) }));
  const stored = pack ? packed(frames) : frames;
  const blocks = stored.map((f) => simpleBlock(f.time, f.key, f.data));
  const bytes = concat(
    element(0x1a45dfa3, text(0x4282, 'matroska'), uint(0x4287, 4), uint(0x4285, 2)),
    element(0x18538067, element(0x1549a966, uint(0x2ad7b1, 1_000_000)), element(0x1654ae6b, entry), element(0x1f43b675, uint(0xe7, 0), ...blocks)),
  );
  const path = join(dir, `${fourcc}-${source.split('/').pop()}`);
  writeFileSync(path, bytes);
  return { path, bytes };
}

/** The VOL header of the MPEG-4 Part 2 file at `source`. */
function volHeader(source: string): Uint8Array {
  const stream = ffmpeg(['-i', source, '-c:v', 'copy', '-bsf:v', 'dump_extra', '-frames:v', '1', '-f', 'm4v', '-']);
  return stream.subarray(0, Buffer.from(stream).indexOf(Buffer.from([0, 0, 1, 0xb6])));
}

/** Each non-key frame merged with the one after it (the second's time dropped). */
function packed(frames: ReadonlyArray<{ time: number; key: boolean; data: Uint8Array }>) {
  const out: Array<{ time: number; key: boolean; data: Uint8Array }> = [];
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i]!;
    const next = frames[i + 1];
    if (!frame.key && next && !next.key) {
      out.push({ ...frame, data: concat(frame.data, next.data) });
      i++;
    } else {
      out.push(frame);
    }
  }
  return out;
}

describe.skipIf(!native)('Matroska V_MS/VFW/FOURCC tracks', () => {
  const withoutBFrames = join(dir, 'mpeg4-ip.mkv');

  it('an XVID track without B-frames is MPEG-4 Part 2, and gives native ffmpeg’s frame in every mode (a lower-case FourCC too)', async () => {
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '2', '-c:v', 'mpeg4', '-bf', '0', '-g', '25', '-q:v', '4', withoutBFrames]);
    for (const fourcc of ['XVID', 'divx']) {
      const { path, bytes } = await vfwFile(withoutBFrames, fourcc);
      const video = await openVideoFile(memorySource(bytes), { runner });
      expect([video.info.codec, video.info.codecString]).toEqual(['mpeg4', `V_MS/VFW/FOURCC (${fourcc})`]);
      try {
        await expectNativeFrames(video, path, [700_000, 1_530_000], ['next-sync', 'previous-sync', 'closest-sync', 'closest']);
      } finally {
        await video.close();
      }
    }
  }, 60_000);

  it('a VFW track with B-frames is refused, saying why, also when they hide in packed blocks after a P-VOP', async () => {
    for (const pack of [false, true]) {
      const { bytes } = await vfwFile(fixture('mpeg4.mkv'), 'XVID', pack);
      await expect(openVideoFile(memorySource(bytes), { runner }), `packed: ${pack}`).rejects.toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/VFW\/FOURCC track with B-frames/) });
    }
  });

  it('an MJPG track is Motion JPEG, and gives native ffmpeg’s frames', async () => {
    const { path, bytes } = await vfwFile(fixture('mjpeg.mkv'), 'MJPG');
    const video = await openVideoFile(memorySource(bytes), { runner });
    try {
      expect([video.info.codec, video.info.codecString]).toEqual(['mjpeg', 'V_MS/VFW/FOURCC (MJPG)']);
      await expectNativeFrames(video, path, [300_000, 1_410_000]);
    } finally {
      await video.close();
    }
  });

  it('a FourCC the engine does not decode is refused by name', async () => {
    const { bytes } = await vfwFile(fixture('mpeg4.mkv'), 'WMV3');
    await expect(openVideoFile(memorySource(bytes), { runner })).rejects.toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/V_MS\/VFW\/FOURCC \(WMV3\)/) });
  });
});
