// Run in Deno by package.test.ts, inside a project that has the built package installed: the package's engine in Deno stops
// a job at its time limit with a 'timeout' error (and the decode really stops) and replaces a
// failed instance; either way the next job works. Prints one JSON line of what happened.
import { createNodeRunner } from 'stillframe';

const frame = {
  inputs: [],
  args: ['-f', 'lavfi', '-i', 'color=c=red:size=16x8', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '/out.raw'],
  outputPath: '/out.raw',
  timeoutMs: 20_000,
};
const endless = {
  inputs: [],
  args: ['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080', '-t', '600', '-c:v', 'libx264', '/slow.mp4'],
  outputPath: '/slow.mp4',
  timeoutMs: 300,
};

const outcome = (promise) => promise.then((result) => ({ exitCode: result.exitCode, bytes: result.output?.length }), (error) => ({ kind: error.kind }));
const runner = createNodeRunner({ instances: 1 });
const report = { first: await outcome(runner.run(frame)) };
let started = Date.now();
report.endless = { ...(await outcome(runner.run(endless))), ms: Date.now() - started };
// The timed-out decode must really stop, not run on in a terminated worker: CPU time this
// process spends over one idle second, half a second after the time-out.
await new Promise((resolve) => setTimeout(resolve, 500));
const before = process.cpuUsage();
await new Promise((resolve) => setTimeout(resolve, 1000));
const { user, system } = process.cpuUsage(before);
report.cpuMsAfterTimeout = Math.round((user + system) / 1000);
report.afterTimeout = await outcome(runner.run(frame));
report.broken = await outcome(runner.run({ ...frame, inputs: [{ path: '/in', data: 42 }] }));
report.afterCrash = await outcome(runner.run(frame));
console.log(JSON.stringify(report));
// Not closed on purpose, as in extract-frames.mjs.
