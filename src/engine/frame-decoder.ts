/**
 * Decodes exactly one frame of a decode input through an ffmpeg runner, and returns it in the
 * decoder's native pixel format. Only raw frames leave ffmpeg: conversion, scaling and encoding
 * happen in TypeScript, where they are the same on every JavaScript engine.
 */
import type { DecodeInput } from '../demux/video-track.js';
import { decodeError } from '../errors.js';
import type { ColorMatrix, RawVideoFrame } from '../image/raw-frame.js';
import { rawFrameBytes } from '../image/yuv-to-rgba.js';
import type { FFmpegRunner } from './ffmpeg-runner.js';

const OUTPUT_PATH = '/frame.raw';

/** What ffmpeg's log says about the raw output stream. */
interface OutputStreamInfo {
  readonly pixelFormat: string;
  readonly width: number;
  readonly height: number;
  readonly fullRange: boolean;
  readonly colorSpace: string | undefined;
  readonly sampleAspectRatio: { readonly num: number; readonly den: number };
}

/** A decoded frame plus the pixel aspect ratio the decoder reported. */
export interface DecodedFrame {
  readonly frame: RawVideoFrame;
  readonly sampleAspectRatio: { readonly num: number; readonly den: number };
}

const STREAM_LINE = /Video: rawvideo\b[^,]*(?:\([^)]*\))?, (\w+)(?:\(([^)]*)\))?, (\d+)x(\d+)(?: \[SAR (\d+):(\d+))?/;

/** Reads the output stream line ffmpeg prints (`Output #0 … Video: rawvideo …, yuv420p(tv, bt709), 1920x1080 [SAR 1:1 …]`). */
function parseOutputStream(log: readonly string[]): OutputStreamInfo | undefined {
  const outputAt = log.findIndex((line) => line.startsWith('Output #0'));
  if (outputAt < 0) return undefined;
  for (const line of log.slice(outputAt)) {
    const match = STREAM_LINE.exec(line);
    if (!match) continue;
    const [, pixelFormat, details = '', width, height, sarNum, sarDen] = match;
    const parts = details.split(',').map((part) => part.trim());
    const colorSpace = parts.find((part) => /^[a-z0-9]+(\/[a-z0-9]+){0,2}$/.test(part) && part !== 'progressive' && part !== 'tv' && part !== 'pc');
    return {
      pixelFormat: pixelFormat!,
      width: Number(width),
      height: Number(height),
      fullRange: parts.includes('pc'),
      colorSpace: colorSpace?.split('/')[0],
      sampleAspectRatio: sarNum && Number(sarNum) > 0 && Number(sarDen) > 0
        ? { num: Number(sarNum), den: Number(sarDen) }
        : { num: 1, den: 1 },
    };
  }
  return undefined;
}

/**
 * The matrix for ffmpeg's colour-space name. Untagged streams get BT.601, which is what native
 * ffmpeg's swscale assumes for them, so our pixels match the reference tools.
 */
function matrixFromColorSpace(colorSpace: string | undefined): ColorMatrix {
  switch (colorSpace) {
    case 'bt709':
    case 'smpte240m':
      return 'bt709';
    case 'bt2020nc':
    case 'bt2020c':
      return 'bt2020';
    default:
      return 'bt601';
  }
}

function lastErrorLine(log: readonly string[]): string {
  const interesting = log.filter((line) => /error|invalid|not|fail|unsupported/i.test(line));
  return (interesting[interesting.length - 1] ?? log[log.length - 1] ?? 'no output').trim();
}

/**
 * Decodes the frames of `input` whose presentation timestamps are `input.targetPts`, in one
 * pass. The select filter matches those exact timestamps (with `-copyts` they pass through
 * untouched, and passthrough frame timing neither duplicates nor drops frames), so a frame the
 * decoder drops can never be silently replaced by its neighbour. Frames come back in the order
 * of `input.targetPts`; a run that yields fewer frames than asked for rejects with `decode`.
 * `input.decoder`, when set, picks the ffmpeg decoder (`libvpx-vp9` for VP9 with alpha, whose
 * frames then come back as `yuva420p`, the alpha plane included).
 */
export async function decodeFrames(runner: FFmpegRunner, input: DecodeInput, timeoutMs: number): Promise<DecodedFrame[]> {
  const inputPath = `/${input.fileName}`;
  const wanted = [...new Set(input.targetPts)].sort((a, b) => a - b);
  const result = await runner.run({
    inputs: [{ path: inputPath, data: input.bytes }],
    args: [
      '-hide_banner', '-nostats', '-copyts',
      // Output every picture the decoder makes, also those H.264 calls "not yet recovered" after
      // an open-GOP recovery point: which of them are right is the planner's business.
      '-flags2', '+showall',
      // A decoder option must come before the input it applies to.
      ...(input.decoder ? ['-c:v', input.decoder] : []),
      '-i', inputPath,
      '-map', '0:v:0',
      '-vf', `select=${wanted.map((pts) => `eq(pts\\,${pts})`).join('+')}`,
      '-fps_mode', 'passthrough',
      '-frames:v', String(wanted.length),
      '-f', 'rawvideo',
      OUTPUT_PATH,
    ],
    outputPath: OUTPUT_PATH,
    timeoutMs,
  });
  const info = parseOutputStream(result.log);
  if (result.exitCode !== 0 || !result.output || result.output.length === 0 || !info) {
    throw decodeError(`the decoder produced no frame (${lastErrorLine(result.log)})`);
  }
  const frameBytes = rawFrameBytes(info.pixelFormat, info.width, info.height);
  if (result.output.length !== frameBytes * wanted.length) {
    throw decodeError(`the decoder produced ${Math.floor(result.output.length / frameBytes)} of ${wanted.length} frames (${lastErrorLine(result.log)})`);
  }
  const colorRange = info.fullRange || info.pixelFormat.startsWith('yuvj') ? 'full' : 'limited';
  const matrix = matrixFromColorSpace(info.colorSpace);
  const byPts = new Map(
    wanted.map((pts, i): [number, DecodedFrame] => [
      pts,
      {
        frame: {
          width: info.width,
          height: info.height,
          pixelFormat: info.pixelFormat,
          colorRange,
          matrix,
          data: result.output!.subarray(i * frameBytes, (i + 1) * frameBytes),
        },
        sampleAspectRatio: info.sampleAspectRatio,
      },
    ]),
  );
  return input.targetPts.map((pts) => byPts.get(pts)!);
}
