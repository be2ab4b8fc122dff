/**
 * Job 5: one thumbnail (320 px wide JPEG q80) from the middle of a file over 2 GiB — wall time,
 * peak RSS, and the bytes read, which must stay within "index + the samples the frame needs +
 * 1 MiB". stillframe runs the built package with plain node (see `children/big-file.mjs`: the
 * tsx loader alone would add ~35 MB to an RSS that has an absolute target), through a counting
 * ByteSource. Native ffmpeg is timed (and its RSS taken from GNU time). Naive wasm is not run.
 */
import { bigFile, type MediaFile } from '../media.js';
import { runChild } from '../measure.js';
import { moovSize } from '../mp4-boxes.js';
import { videoPackets } from '../native.js';
import { absent, makeRow, type JobResult } from '../results.js';
import type { SeriesResult } from '../types.js';
import { childInConsumer } from './cold-start.js';
import { compactRun, forEachRun, medianCell, okNote, runSeries, thumbnailSeries, type JobContext } from './common.js';

const MIB = 1024 * 1024;

/** What `children/big-file.mjs` reports. */
interface BigFileRead {
  readonly wallMs: number;
  readonly frameTimeUs: number;
  readonly size: string;
  readonly fileBytes: number;
  readonly reads: number;
  readonly bytesRead: number;
  readonly largestRead: number;
  /** Every read as [offset, bytes], in call order. */
  readonly log: ReadonlyArray<readonly [number, number]>;
  readonly peakRssMB: number;
}

/**
 * Bytes of the samples a decoder needs for the frame shown at `frameTimeUs`: in decode order,
 * from the last key frame at or before the frame's packet up to and including that packet (with
 * B-frames this includes the later reference frames decoded before it). From native ffprobe, so
 * the bound does not depend on stillframe's own sample table.
 */
export function neededSampleBytes(path: string, frameTimeUs: number): { bytes: number; packets: number } {
  const timeS = frameTimeUs / 1e6;
  // Read from before the GOP (GOPs are 2 s) to just after the frame.
  const packets = videoPackets(path, Math.max(0, timeS - 2.5), timeS + 1);
  let target = -1;
  for (let i = 0; i < packets.length; i++) {
    if (target < 0 || Math.abs(packets[i]!.ptsUs - frameTimeUs) < Math.abs(packets[target]!.ptsUs - frameTimeUs)) target = i;
  }
  if (target < 0 || Math.abs(packets[target]!.ptsUs - frameTimeUs) > 20_000) {
    throw new Error(`no packet at ${timeS} s in ${path} (ffprobe listed ${packets.length})`);
  }
  let entry = target;
  while (entry > 0 && !packets[entry]!.key) entry--;
  if (!packets[entry]!.key) throw new Error(`no key frame before ${timeS} s in the packets ffprobe listed`);
  const span = packets.slice(entry, target + 1);
  return { bytes: span.reduce((sum, p) => sum + p.bytes, 0), packets: span.length };
}

/**
 * Bytes read more than once: for each read, the part of its range that earlier reads already
 * covered. Zero for a reader that never goes back for the same bytes.
 */
export function rereadBytes(log: ReadonlyArray<readonly [number, number]>): number {
  const seen: Array<[number, number]> = [];
  let reread = 0;
  for (const [offset, length] of log) {
    const end = offset + length;
    // Overlap with the union of earlier ranges (kept disjoint and merged below).
    for (const [a, b] of seen) reread += Math.max(0, Math.min(end, b) - Math.max(offset, a));
    let start = offset;
    let stop = end;
    for (let i = seen.length - 1; i >= 0; i--) {
      const [a, b] = seen[i]!;
      if (a <= stop && start <= b) {
        start = Math.min(start, a);
        stop = Math.max(stop, b);
        seen.splice(i, 1);
      }
    }
    seen.push([start, stop]);
  }
  return reread;
}

const thousands = (n: number) => n.toLocaleString('en-US').replaceAll(',', ' ');

/** Runs the job and summarises it as table rows. */
export async function bigFileJob(ctx: JobContext): Promise<JobResult> {
  const { options } = ctx;
  const big: MediaFile = await bigFile(ctx.clip, { sparse: options.quick });
  // One second past the middle: the middle itself falls on a GOP boundary (every 2 s from 0),
  // which would make the "needed samples" a single key frame; mid-GOP is the honest case.
  const timeS = Math.floor(big.durationS / 2) + 1;
  const child = await childInConsumer('big-file.mjs');
  const params = thumbnailSeries(ctx, big, [timeS]);
  const ours: BigFileRead[] = [];
  const runs = await forEachRun(options.runs, ['stillframe', 'native'], async (peer): Promise<SeriesResult | undefined> => {
    if (peer === 'native') return runSeries(peer, 'native-series', params, 300_000);
    const outcome = await runChild<BigFileRead>({
      ...child,
      args: [JSON.stringify({ input: big.path, timeS, width: options.thumbWidth, quality: options.quality })],
      tsx: false,
      timeoutMs: 300_000,
    });
    if (outcome.result) ours.push(outcome.result);
    else process.stderr.write(`[bench] big-file child failed: ${outcome.stderrTail}\n`);
    return undefined;
  });

  const index = moovSize(big.path);
  const needed = ours.length ? neededSampleBytes(big.path, ours[0]!.frameTimeUs) : undefined;
  const bound = needed ? index + needed.bytes + MIB : undefined;
  const native = runs.native.filter((r): r is SeriesResult => r !== undefined);
  const naiveCell = absent('not run: the naive recipe loads the whole file into MEMFS, which ffmpeg.wasm cannot do past 2 GiB');
  const oursCell = (pick: (r: BigFileRead) => number, note?: string) => (ours.length ? medianCell(ours.map(pick), note) : absent('failed'));
  const rows = [
    makeRow(`wall time, one ${params.outWidth}×${params.outHeight} JPEG at ${timeS} s`, 'ms', {
      stillframe: oursCell((r) => r.wallMs, 'fresh process, engine start included'),
      native: medianCell(native.map((r) => (r.ok > 0 ? r.wallMs : null)), okNote(native)),
      naive: naiveCell,
    }),
    makeRow(
      'peak RSS',
      'MB',
      { stillframe: oursCell((r) => r.peakRssMB, 'plain node, built package'), native: medianCell(native.map((r) => r.peakRssMB)), naive: naiveCell },
      '≤ 250 MB',
      ({ ours: value }) => value <= 250,
    ),
    makeRow(
      'bytes read',
      'bytes',
      {
        stillframe: oursCell(
          (r) => r.bytesRead,
          ours.length ? `${thousands(ours[0]!.bytesRead)} B in ${ours[0]!.reads} reads; ${thousands(rereadBytes(ours[0]!.log))} B of them read before` : undefined,
        ),
        native: absent('not measured'),
        naive: naiveCell,
      },
      bound === undefined
        ? 'index + needed samples + 1 MiB'
        : `≤ ${thousands(bound)} B (index ${thousands(index)} + needed ${thousands(needed!.bytes)} + 1 MiB)`,
      bound === undefined ? undefined : ({ ours: value }) => value <= bound,
    ),
  ];
  return {
    id: 'job5',
    title: 'File over 2 GiB',
    description: `One ${params.outWidth}-wide JPEG q${options.quality} of the frame at ${timeS} s (one second past the middle) of a ${(big.bytes / 1e9).toFixed(2)} GB, ${Math.round(big.durationS)} s file: the clip concatenated ${Math.round(big.durationS / ctx.clip.durationS)} times (concat demuxer, -c copy), moov at the end (no +faststart).`,
    status: ours.length ? 'measured' : 'failed',
    rows,
    notes: [
      `Index = the moov box, ${index} bytes (read from the file's top-level boxes). Needed samples = ${needed ? `${needed.packets} packets, ${needed.bytes} bytes` : 'n/a'}: the frame's GOP prefix in decode order, from native ffprobe.`,
      'stillframe runs the built package with plain node in a fresh process; its wall time includes engine start (worker thread, wasm instantiation).',
      "The naive recipe is not run on this file; that it cannot load it is the issue's premise, not measured here.",
    ],
    details: { file: big, timeS, index, needed, bound, stillframe: ours, native: native.map(compactRun) },
  };
}
