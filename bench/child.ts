/**
 * Entry of a child process (run with tsx by `measure.ts`'s `runChild`): `child.ts <task> <json>`.
 * Runs one task and prints its result as a `BENCH_RESULT` line. Task modules are imported only
 * when chosen, so that a child carries only the peer it measures (its peak RSS stays its own).
 */
import { peakRssMB, reportResult } from './measure.js';

/** Task names and what they run. */
const TASKS: Record<string, (params: never) => Promise<unknown>> = {
  /** Nothing at all: the peak RSS of a bare child (Node + the tsx loader), for reference. */
  baseline: async () => ({ peakRssMB: peakRssMB() }),
  'stillframe-getimages': async (params: never) => (await import('./peers/stillframe.js')).getImagesTask(params),
  'stillframe-warm': async (params: never) => (await import('./peers/stillframe.js')).warmThumbnailsTask(params),
  'stillframe-breakdown': async (params: never) => (await import('./peers/stillframe.js')).breakdownTask(params),
  'stillframe-decode-stats': async (params: never) => (await import('./peers/stillframe.js')).decodeStatsTask(params),
  'native-series': async (params: never) => (await import('./peers/native-ffmpeg.js')).nativeSeries(params),
  'naive-series': async (params: { warmUpS?: number }) => (await import('./peers/naive-wasm.js')).naiveSeries(params as never, params.warmUpS),
};

const [task, json] = process.argv.slice(2);
const run = task === undefined ? undefined : TASKS[task];
if (!run) {
  console.error(`usage: child.ts <${Object.keys(TASKS).join('|')}> <json params>`);
  process.exit(2);
}
reportResult(await run(JSON.parse(json ?? '{}') as never));
// The engine's worker threads are unreferenced and closed by the tasks; exit now regardless, so
// a lingering handle cannot make a finished measurement look like a hang.
process.exit(0);
