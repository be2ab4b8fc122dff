/**
 * Job 6: decode efficiency — frames decoded ÷ frames the targets strictly need, for job 1's
 * targets (the frames on screen at 0, 3, …, 297 s).
 *
 * - Frames decoded (stillframe): `VideoFile.decodeStats.samples` after one `extractJpegs` batch
 *   of those frames on a fresh `openVideoFile` (a child process; see `decodeStatsTask`).
 * - Frames strictly needed: for each target, itself and the pictures it predicts from,
 *   transitively, each picture counted once however many targets need it. Read from native
 *   ffmpeg's `trace_headers` (`../h264-trace.ts`), not from stillframe's index:
 *   - a P-frame with one active list-0 reference (the bench file's x264 veryfast: ref=1) predicts
 *     from exactly one picture: the one its list modification names by frame_num, else the
 *     latest reference picture before it;
 *   - any other picture (B-frames, more references) counts every reference picture
 *     (`nal_ref_idc` ≠ 0) from its entry IDR on, as the NAL headers alone allow.
 *
 * That is the dependency set visible in headers: which of the listed references a target really
 * uses is known only after decoding slice data, so no decoder can skip more without decoding.
 * stillframe is designed to reach 1.0; a ratio above that exposes extra passes or retries. For
 * scale, the same
 * ratio for a decoder that does not prune (every picture from the entry IDR to the target) and
 * for naive ffmpeg.wasm, whose `-ss T` decodes every picture from the key frame at or before T
 * up to the target, once per image. The counts are deterministic: computed once, whatever
 * `--runs` says.
 */
import { traceH264, type Trace } from '../h264-trace.js';
import { runChild } from '../measure.js';
import type { DecodeStatsParams, DecodeStatsResult } from '../peers/stillframe.js';
import { absent, cell, makeRow, type JobResult } from '../results.js';
import { CHILD_SCRIPT, type JobContext } from './common.js';

/** One target's share of the counts. */
export interface TargetCount {
  readonly timeS: number;
  /** The frame on screen at `timeS`: its pts in seconds and its position in decode order. */
  readonly frameTimeS: number;
  readonly index: number;
  /** Decode-order position of its entry IDR, and of the key frame `ffmpeg -ss` seeks to. */
  readonly entry: number;
  readonly seekEntry: number;
  /** Pictures it strictly needs (references from the entry IDR, and itself). */
  readonly strict: number;
  /** Pictures the NAL headers alone call needed: every reference picture from the entry IDR, and itself. */
  readonly referenced: number;
  /** Every picture from the entry IDR to it. */
  readonly span: number;
  /** Every picture from the `-ss` key frame to it. */
  readonly naive: number;
}

/** What the trace says the targets cost. */
export interface DecodeCounts {
  readonly targets: readonly TargetCount[];
  /** Distinct pictures strictly needed by all targets together. */
  readonly strictlyNeeded: number;
  /** Distinct pictures needed by the NAL-header rule alone (every reference picture). */
  readonly referenced: number;
  /** Distinct pictures a decoder without pruning decodes (one pass per entry point). */
  readonly withoutPruning: number;
  /** Sum over targets of naive wasm's pictures (each image is its own `exec`, nothing is shared). */
  readonly naive: number;
  /** Key frames (container flag) that are not IDR pictures: where the two entry rules may differ. */
  readonly nonIdrKeys: number;
}

/**
 * Counts, from the trace, what the frames on screen at `timesS` need. The frame on screen at T
 * is the one with the greatest pts ≤ T (compared in ticks, exactly). Its entry IDR is the
 * last IDR at or before it in decode order; naive's seek point is the key frame with the
 * greatest pts ≤ T (what `ffmpeg -ss` lands on with the mov demuxer, which seeks by pts).
 */
export function countDecodes(trace: Trace, timesS: readonly number[]): DecodeCounts {
  const { pictures, timeBase } = trace;
  const atOrBefore = (pts: number, timeS: number) => pts * timeBase.num <= timeS * timeBase.den;
  const strict = new Set<number>();
  const referenced = new Set<number>();
  const span = new Set<number>();
  const targets = timesS.map((timeS): TargetCount => {
    let target: (typeof pictures)[number] | undefined;
    let seek: (typeof pictures)[number] | undefined;
    for (const picture of pictures) {
      if (!atOrBefore(picture.pts, timeS)) continue;
      if (!target || picture.pts > target.pts) target = picture;
      if (picture.key && (!seek || picture.pts > seek.pts)) seek = picture;
    }
    if (!target || !seek) throw new Error(`no frame or key frame at or before ${timeS} s`);
    let entry = target.index;
    while (entry > 0 && !pictures[entry]!.idr) entry--;
    if (!pictures[entry]!.idr) throw new Error(`no IDR picture before the frame at ${timeS} s`);
    if (seek.index > target.index) throw new Error(`the -ss key frame for ${timeS} s comes after its target in decode order`);
    let referencedHere = 0;
    for (let i = entry; i <= target.index; i++) {
      span.add(i);
      if (i === target.index || pictures[i]!.refIdc !== 0) {
        referenced.add(i);
        referencedHere++;
      }
    }
    const needed = dependencies(trace, entry, target.index);
    needed.forEach((i) => strict.add(i));
    return {
      timeS,
      frameTimeS: (target.pts * timeBase.num) / timeBase.den,
      index: target.index,
      entry,
      seekEntry: seek.index,
      strict: needed.size,
      referenced: referencedHere,
      span: target.index - entry + 1,
      naive: target.index - seek.index + 1,
    };
  });
  return {
    targets,
    strictlyNeeded: strict.size,
    referenced: referenced.size,
    withoutPruning: span.size,
    naive: targets.reduce((sum, t) => sum + t.naive, 0),
    nonIdrKeys: pictures.filter((p) => p.key && !p.idr).length,
  };
}

/** The target and what it predicts from, transitively, back to the entry IDR (decode-order positions). */
function dependencies(trace: Trace, entry: number, target: number): Set<number> {
  const { pictures, maxFrameNum } = trace;
  const needed = new Set<number>([entry]);
  const pending = [target];
  for (let i = pending.pop(); i !== undefined; i = pending.pop()) {
    if (needed.has(i)) continue;
    needed.add(i);
    const picture = pictures[i]!;
    if (picture.sliceType === 2) continue;
    const isReference = (j: number) => pictures[j]!.refIdc !== 0;
    if (picture.sliceType === 0 && picture.activeL0 === 1) {
      // 8.2.4.3.1: the first modification moves picNumPred from frame_num by ±abs_diff and fills index 0.
      const first = picture.modificationsL0[0];
      const frameNum = first ? (picture.frameNum + (first.idc === 0 ? -first.absDiff : first.absDiff) + maxFrameNum) % maxFrameNum : undefined;
      let j = i - 1;
      while (j > entry && !(isReference(j) && (frameNum === undefined || pictures[j]!.frameNum === frameNum))) j--;
      pending.push(j);
    } else {
      for (let j = entry + 1; j < i; j++) if (isReference(j)) pending.push(j);
    }
  }
  return needed;
}

/** "0, 3, …, 297" for a long list of evenly spaced times. */
const listTimes = (timesS: readonly number[]) => (timesS.length <= 3 ? timesS.join(', ') : `${timesS[0]}, ${timesS[1]}, …, ${timesS.at(-1)}`);

/** Runs the job and summarises it as table rows. */
export async function decodeEfficiencyJob(ctx: JobContext): Promise<JobResult> {
  const { options, clip } = ctx;
  const timesS = Array.from({ length: options.images }, (_, i) => (i * options.intervalMs) / 1000);
  process.stderr.write('[bench]   reading the NAL headers with ffmpeg trace_headers\n');
  const counts = countDecodes(await traceH264(clip.path), timesS);

  process.stderr.write('[bench]   stillframe: one extractJpegs batch, then decodeStats\n');
  const params: DecodeStatsParams = { input: clip.path, timesS, quality: options.quality };
  const outcome = await runChild<DecodeStatsResult>({
    script: CHILD_SCRIPT,
    args: ['stillframe-decode-stats', JSON.stringify(params)],
    tsx: true,
    timeoutMs: 120_000 + options.images * 5_000,
  });
  const ours = outcome.result;
  if (!ours) process.stderr.write(`[bench] decode-stats child failed: ${outcome.stderrTail}\n`);

  // stillframe must have extracted the very frames the trace names, or the counts compare different things.
  const mismatched = ours
    ? counts.targets.filter((t, i) => ours.frameTimesUs[i] === null || Math.abs(ours.frameTimesUs[i]! - t.frameTimeS * 1e6) > 1000)
    : [];
  const { strictlyNeeded: needed, referenced, withoutPruning, naive } = counts;
  const targetsNote = `${timesS.length} targets`;
  const rows = [
    makeRow(
      `frames decoded ÷ frames strictly needed (${targetsNote} of job 1; ${needed} needed)`,
      'ratio',
      {
        stillframe: ours
          ? cell(ours.stats.samples / needed, `${ours.stats.samples} decoded in ${ours.stats.passes} passes; ${ours.ok}/${timesS.length} ok`)
          : absent(`failed: ${outcome.stderrTail.trim().split('\n').pop() ?? ''}`.slice(0, 160)),
        native: absent('not counted (its -ss decodes what naive wasm does, plus what its frame threads have in flight)'),
        naive: cell(naive / needed, `${naive} decoded: from the key frame at or before T to the target, per image (a lower bound)`),
      },
      '≤ 1.1',
      ({ ours: value }) => value <= 1.1,
    ),
    makeRow(`by NAL headers only: every reference picture from the entry IDR, and the target, each once ÷ strictly needed`, 'ratio', {
      stillframe: cell(referenced / needed, `${referenced} pictures; computed from the trace, not run`),
      native: absent('—'),
      naive: absent('—'),
    }),
    makeRow(`without pruning: every picture from the entry IDR to the target, each once ÷ strictly needed`, 'ratio', {
      stillframe: cell(
        withoutPruning / needed,
        `${withoutPruning} pictures; computed from the trace, not run${ours ? ` (stillframe's samples + skipped: ${ours.stats.samples + ours.stats.skipped})` : ''}`,
      ),
      native: absent('—'),
      naive: absent('—'),
    }),
  ];
  const idrTargets = counts.targets.filter((t) => t.index === t.entry).length;
  return {
    id: 'job6',
    title: 'Decode efficiency',
    description:
      `Frames decoded ÷ frames strictly needed, for job 1's targets: the frames on screen at ${listTimes(timesS)} s of the ${clip.durationS} s file. ` +
      `Frames decoded (stillframe) = \`VideoFile.decodeStats.samples\` after one \`extractJpegs(times, { quality: ${options.quality} })\` call on a fresh \`openVideoFile\`. ` +
      'Frames strictly needed = each target and the pictures it predicts from, transitively, each counted once however many targets need it, ' +
        "read from native ffmpeg's `trace_headers` bitstream filter (not from stillframe's index): a P-frame with one active list-0 reference predicts from the picture its list modification names by frame_num (else the latest reference picture); " +
        'any other picture counts every reference picture (H.264 `nal_ref_idc` ≠ 0) from its entry IDR on.',
    status: ours ? 'measured' : 'failed',
    rows,
    notes: [
      'This is the dependency set visible in headers: which listed references a target really uses is only known by decoding slice data, so no decoder can know finer dependencies without decoding. ' +
        "stillframe leaves out the non-reference pictures and, for I- and P-frame targets, the reference pictures their lists do not name, so it is designed to reach 1.00; a ratio above that exposes extra passes, retries or reads.",
      `Of the ${timesS.length} targets, ${idrTargets} are IDR pictures themselves (a GOP starts every 2 s, a target every 3 s), needing only themselves; the others sit mid-GOP. ` +
        `Strictly needed ${needed}, by NAL headers only ${referenced}, without pruning ${withoutPruning}: pruning saves ${withoutPruning - needed} pictures (${((100 * (withoutPruning - needed)) / withoutPruning).toFixed(0)}%).`,
      `Naive wasm (counted from the packets, not run): \`ffmpeg -ss T\` seeks to the key frame with the greatest pts ≤ T and decodes every picture from there to the target, once per image (${naive} in all). ` +
        'A lower bound: the decoder also takes in a couple of pictures past the target (its reorder delay) before it returns it.',
      `${mismatched.length === 0 ? (ours ? 'stillframe extracted exactly the frames the trace names as targets.' : '') : `stillframe extracted other frames than the trace names for ${mismatched.length} target(s): ${mismatched.slice(0, 5).map((t) => `${t.timeS} s`).join(', ')}.`}` +
        `${counts.nonIdrKeys === 0 ? ' Every key frame of the file is an IDR picture, so the entry IDR and the -ss key frame coincide.' : ` ${counts.nonIdrKeys} key frames of the file are not IDR pictures.`}` +
        ' Deterministic: computed once, whatever --runs says.',
    ].filter(Boolean),
    details: { timesS, stillframe: ours ?? null, counts: { strictlyNeeded: needed, referenced, withoutPruning, naive, nonIdrKeys: counts.nonIdrKeys }, targets: counts.targets },
  };
}
