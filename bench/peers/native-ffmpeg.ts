/**
 * Peer (a): native ffmpeg 5.1, one process per image, one after the other — what a naive shell
 * script or `execFile` loop does:
 *
 *   ffmpeg -v error -ss T -i FILE -frames:v 1 [-vf scale=W:-2] -q:v N -y out.jpg
 *
 * Default threads. `-ss` before `-i` is input seeking, which since ffmpeg 2.1 is also accurate
 * (it decodes from the previous key frame and drops frames before T), so it does the same work
 * as a library that decodes its GOP prefix.
 *
 * Each process runs under GNU time (`/usr/bin/time -f %M`), which reports its peak RSS; it costs
 * one extra fork/exec (~1 ms) per image, included in the timings.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { kibToMB, now } from '../measure.js';
import { outcomeTotals, type ImageOutcome, type SeriesParams, type SeriesResult } from '../types.js';

const GNU_TIME = '/usr/bin/time';

/** The arguments of one image, as in the module comment. */
export function nativeStillArgs(input: string, timeS: number, width: number | undefined, qscale: number, out: string): string[] {
  return [
    '-v', 'error', '-ss', String(timeS), '-i', input, '-frames:v', '1',
    ...(width === undefined ? [] : ['-vf', `scale=${width}:-2`]),
    '-q:v', String(qscale), '-y', out,
  ];
}

/** Runs one ffmpeg process for one image and measures it. */
export function nativeStill(input: string, timeS: number, width: number | undefined, qscale: number, scratchDir: string): Promise<ImageOutcome> {
  mkdirSync(scratchDir, { recursive: true });
  const out = join(scratchDir, `native-${process.pid}.jpg`);
  const timeFile = join(scratchDir, `native-${process.pid}.time`);
  rmSync(out, { force: true });
  const useTime = existsSync(GNU_TIME);
  const args = nativeStillArgs(input, timeS, width, qscale, out);
  const [command, commandArgs] = useTime ? [GNU_TIME, ['-f', '%M', '-o', timeFile, 'ffmpeg', ...args]] : ['ffmpeg', args];
  return new Promise((done) => {
    const started = now();
    const child = spawn(command, commandArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const finish = (error: string | undefined) => {
      const ms = now() - started;
      const bytes = error === undefined && existsSync(out) ? statSync(out).size : 0;
      let rssMB: number | undefined;
      if (useTime && existsSync(timeFile)) {
        // GNU time writes "Command exited with non-zero status N" before the number on failure.
        const kib = Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop());
        if (Number.isFinite(kib)) rssMB = kibToMB(kib);
      }
      const ok = error === undefined && bytes > 0;
      done({ timeS, ok, ms, bytes, rssMB, ...(ok ? {} : { error: error ?? 'no output' }) });
    };
    child.on('error', (error) => finish(error.message));
    child.on('close', (code) => finish(code === 0 ? undefined : `exit ${code}: ${stderr.trim().split('\n').pop() ?? ''}`));
  });
}

/** The series task of this peer: every image in turn, each its own process. */
export async function nativeSeries(params: SeriesParams): Promise<SeriesResult> {
  const started = now();
  const images: ImageOutcome[] = [];
  for (const timeS of params.timesS) {
    images.push(await nativeStill(params.input, timeS, params.width, params.qscale, params.scratchDir));
  }
  const wallMs = now() - started;
  const rss = images.map((image) => image.rssMB).filter((mb): mb is number => mb !== undefined);
  return {
    peer: 'native',
    wallMs,
    setupMs: 0,
    ...outcomeTotals(images),
    peakRssMB: rss.length > 0 ? Math.max(...rss) : null,
    extra: { command: `ffmpeg ${nativeStillArgs('FILE', 0, params.width, params.qscale, 'out.jpg').join(' ').replace('-ss 0', '-ss T')}` },
  };
}
