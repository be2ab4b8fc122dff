/**
 * Loading an MP4 made by native ffmpeg (or from the shared corpus) into what the codec
 * tests compare: the samples, their classification, and ffprobe's view of the same file.
 */
import { readFileSync } from 'node:fs';
import { parseAvcC, parseHvcC, type DecoderConfig } from '../../../src/codec/decoder-config.js';
import { classifySample, type SampleClass, type SampleCodec } from '../../../src/codec/entry-points.js';
import { splitNalUnits } from '../../../src/codec/nal-units.js';
import { readMp4Track, sampleBytes, type Mp4Track } from './mp4-samples.js';
import { annexB } from './bytes.js';
import { decodeFrameMd5s, ffprobeEntries, ivfFrames } from './native-reference.js';

export interface LoadedStream {
  path: string;
  codec: SampleCodec;
  track: Mp4Track;
  config: DecoderConfig | undefined;
  /** Sample bytes, decode order (undefined for samples past the end of a cut file). */
  samples: (Uint8Array | undefined)[];
  classes: (SampleClass | undefined)[];
  /** ffprobe packet flags: the container's sync label, per sample. */
  labeledKey: boolean[];
}

/** Decoder's view of one output frame, from `ffprobe -show_frames`. */
export interface ProbedFrame {
  sample: number;
  keyFrame: boolean;
  pictType: string;
}

function codecOf(entry: string): SampleCodec {
  if (entry === 'avc1' || entry === 'avc3') return 'h264';
  if (entry === 'hvc1' || entry === 'hev1') return 'hevc';
  if (entry === 'vp09') return 'vp9';
  if (entry === 'vp08') return 'vp8';
  return 'other';
}

/** Reads an MP4, classifies every sample, and asks ffprobe for the container's key flags. */
export function loadMp4(path: string): LoadedStream {
  const file = new Uint8Array(readFileSync(path));
  const track = readMp4Track(file);
  const codec = codecOf(track.codec);
  const config =
    codec === 'h264' ? parseAvcC(track.config!) : codec === 'hevc' ? parseHvcC(track.config!) : undefined;
  const samples = track.sizes.map((_, i) => sampleBytes(file, track, i));
  const classes = samples.map((s) =>
    s ? classifySample(codec, s, config?.lengthSize ?? 4, { maxTemporalId: config?.maxTemporalId }) : undefined,
  );
  const byOffset = new Map(track.offsets.map((offset, i) => [offset, i]));
  const labeledKey = track.sizes.map(() => false);
  for (const { pos, flags } of ffprobeEntries(path, 'packet', ['pos', 'flags'])) {
    const index = byOffset.get(Number(pos));
    if (index !== undefined) labeledKey[index] = String(flags).includes('K');
  }
  return { path, codec, track, config, samples, classes, labeledKey };
}

/** ffprobe's decoded frames (output order), each mapped back to its sample. */
export function probeFrames(stream: LoadedStream): ProbedFrame[] {
  const byOffset = new Map(stream.track.offsets.map((offset, i) => [offset, i]));
  return ffprobeEntries(stream.path, 'frame', ['pkt_pos', 'key_frame', 'pict_type']).map((frame) => {
    const sample = byOffset.get(Number(frame.pkt_pos));
    if (sample === undefined) throw new Error(`frame at pkt_pos ${frame.pkt_pos} matches no sample`);
    return { sample, keyFrame: Number(frame.key_frame) === 1, pictType: String(frame.pict_type) };
  });
}

/**
 * An Annex-B elementary stream of the given samples (decode order), with the record's
 * parameter sets first, for native ffmpeg to decode.
 */
export function annexBOf(stream: LoadedStream, indices: readonly number[]): Uint8Array {
  const units: Uint8Array[] = [...(stream.config?.parameterSets ?? [])];
  for (const i of indices) units.push(...splitNalUnits(stream.samples[i]!, stream.config!.lengthSize));
  return annexB(4, ...units);
}

/** Decodes the given samples with native ffmpeg; MD5 per output frame. */
export function decodeSamples(stream: LoadedStream, indices: readonly number[], options: { showAll?: boolean } = {}): string[] {
  return decodeFrameMd5s(annexBOf(stream, indices), stream.codec === 'h264' ? 'h264' : 'hevc', options);
}

const outputs = new WeakMap<LoadedStream, { order: number[]; md5: Map<number, string> }>();

/**
 * The whole stream decoded by native ffmpeg: sample indices in output order (from
 * ffprobe) and each sample's frame MD5. Computed once per stream.
 */
export function fullDecode(stream: LoadedStream): { order: number[]; md5: Map<number, string> } {
  let known = outputs.get(stream);
  if (!known) {
    const full = decodeSamples(stream, range(0, stream.samples.length));
    const order = probeFrames(stream).map((f) => f.sample);
    if (full.length !== order.length) throw new Error(`${stream.path}: decoded ${full.length} frames, ffprobe saw ${order.length}`);
    known = { order, md5: new Map(order.map((sample, k) => [sample, full[k]!])) };
    outputs.set(stream, known);
  }
  return known;
}

/** from..to-1 */
export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/**
 * Classifies each frame of an IVF file (VP8/VP9 elementary stream) and reads ffprobe's
 * packet key flags for the same frames.
 */
export function classifyIvf(path: string, codec: 'vp8' | 'vp9'): { classified: (boolean | undefined)[]; labeled: boolean[] } {
  const frames = ivfFrames(new Uint8Array(readFileSync(path)));
  const labeled = ffprobeEntries(path, 'packet', ['flags']).map((p) => String(p.flags).includes('K'));
  if (labeled.length !== frames.length) throw new Error(`${path}: ${frames.length} IVF frames but ${labeled.length} packets`);
  return { classified: frames.map((f) => classifySample(codec, f, 0).isEntryPoint), labeled };
}
