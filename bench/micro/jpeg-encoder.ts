/**
 * Timings of the JPEG encoder against jpeg-js on 1080p pictures, in Node:
 * `npx tsx bench/micro/jpeg-encoder.ts [video …]`. Not a test (no assertions); the report
 * quotes its output. Each video gives its first frame (decoded by native ffmpeg as raw
 * yuv420p/yuvj420p); without arguments the shared corpus's 1080p files are used when present,
 * plus a synthetic gradient-and-noise picture that needs nothing.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import jpeg from 'jpeg-js';
import type { RawVideoFrame } from '../../src/image/raw-frame.js';
import type { RgbaImage } from '../../src/image/rgba-image.js';
import { yuvToRgba } from '../../src/image/yuv-to-rgba.js';
import { encodeJpegFromRgba, encodeJpegFromYuv, rgbaToJfif420 } from '../../src/image/jpeg/index.js';
import { rawFrameToJfif420 } from '../../src/image/jpeg/yuv-to-jfif.js';
import { ffmpeg, ffprobe } from '../../test/helpers/native.js';
import { noise } from '../../test/helpers/noise.js';

const QUALITY = 80;

/**
 * Fastest of `runs` timings of `fn` after `warmup` unmeasured runs, in milliseconds of CPU
 * time (user + system) of this process, and of wall time. On a shared, loaded machine wall
 * time mostly measures the other processes, while the fastest CPU time stays reproducible
 * to a few percent; on an idle machine the two agree.
 */
function time(fn: () => unknown, runs = 20, warmup = 5): { cpu: number; wall: number } {
  for (let i = 0; i < warmup; i++) fn();
  let cpu = Infinity;
  let wall = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    const started = performance.now();
    fn();
    wall = Math.min(wall, performance.now() - started);
    const used = process.cpuUsage(start);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
  }
  return { cpu, wall };
}

/** A 1920×1080 gradient with a soft pattern and ±12 noise: photo-like entropy. */
function synthetic(): RawVideoFrame {
  const width = 1920;
  const height = 1080;
  const n = width * height;
  const cw = width / 2;
  const data = new Uint8Array(n * 1.5);
  const jitter = noise(n, 7, 25);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      data[i] = Math.max(0, Math.min(255, 16 + ((x * 200) / width + 20 * Math.sin(y / 30) + jitter[i] - 12) | 0));
    }
  }
  for (let y = 0; y < height / 2; y++) {
    for (let x = 0; x < cw; x++) {
      data[n + y * cw + x] = 128 + ((60 * Math.sin(x / 50)) | 0);
      data[n + n / 4 + y * cw + x] = 128 + ((60 * Math.cos(y / 40)) | 0);
    }
  }
  return { width, height, pixelFormat: 'yuv420p', colorRange: 'limited', matrix: 'bt709', data };
}

/** The first frame of `path` as raw 8-bit 4:2:0, with the matrix and range ffprobe reports. */
function firstFrame(path: string): RawVideoFrame {
  const probe = JSON.parse(
    ffprobe(['-select_streams', 'v:0', '-show_entries', 'stream=width,height,pix_fmt,color_range,color_space', '-of', 'json', path]),
  ) as { streams: Array<{ width: number; height: number; pix_fmt: string; color_range?: string; color_space?: string }> };
  const stream = probe.streams[0];
  const pixelFormat = stream.pix_fmt === 'yuvj420p' ? 'yuvj420p' : 'yuv420p';
  const data = ffmpeg(['-i', path, '-frames:v', '1', '-pix_fmt', pixelFormat, '-f', 'rawvideo', '-']);
  return {
    width: stream.width,
    height: stream.height,
    pixelFormat,
    colorRange: stream.color_range === 'pc' || pixelFormat === 'yuvj420p' ? 'full' : 'limited',
    matrix: stream.color_space === 'bt709' ? 'bt709' : 'bt601',
    data,
  };
}

function report(name: string, frame: RawVideoFrame): void {
  const rgba: RgbaImage = yuvToRgba(frame);
  const sizes: string[] = [];
  const row = (label: string, fn: () => Uint8Array | { data: Uint8Array }): void => {
    const { cpu, wall } = time(fn);
    const out = fn();
    const bytes = out instanceof Uint8Array ? out.length : out.data.length;
    sizes.push(`  ${label.padEnd(46)} ${cpu.toFixed(1).padStart(6)} ${wall.toFixed(1).padStart(6)}  ${(bytes / 1024).toFixed(0).padStart(6)} KiB`);
  };
  row('jpeg-js encode (4:4:4, float DCT)', () => jpeg.encode({ width: rgba.width, height: rgba.height, data: rgba.data }, QUALITY));
  row('encodeJpegFromRgba 4:4:4', () => encodeJpegFromRgba(rgba, QUALITY, { subsampling: '4:4:4' }));
  row('encodeJpegFromRgba 4:2:0', () => encodeJpegFromRgba(rgba, QUALITY, { subsampling: '4:2:0' }));
  const jfif = rawFrameToJfif420(frame);
  row('encodeJpegFromYuv (planes ready)', () => encodeJpegFromYuv(jfif, QUALITY));
  row(`rawFrameToJfif420 (${frame.pixelFormat} ${frame.matrix} ${frame.colorRange})`, () => ({ data: rawFrameToJfif420(frame).y }));
  row('rawFrameToJfif420 + encodeJpegFromYuv', () => encodeJpegFromYuv(rawFrameToJfif420(frame), QUALITY));
  row('rgbaToJfif420 alone', () => ({ data: rgbaToJfif420(rgba).y }));
  row('yuvToRgba alone (for comparison)', () => yuvToRgba(frame));
  console.log(`${name} ${frame.width}x${frame.height}, quality ${QUALITY}; fastest of 20 runs, CPU ms and wall ms:\n${sizes.join('\n')}`);
}

const corpus = ['../shared/media/rotate-buck-bunny.mp4', '../shared/media/video.mp4', '../shared/media/hevc.ts'];
const paths = process.argv.length > 2 ? process.argv.slice(2) : corpus.filter((p) => existsSync(p));
report('synthetic gradient + noise', synthetic());
for (const path of paths) report(path, firstFrame(path));
