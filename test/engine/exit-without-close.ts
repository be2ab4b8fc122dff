/**
 * Run by node-runner.test.ts in a process of its own (through tsx): uses the Node runner, never
 * closes it, and must still exit by itself — idle engine workers must not keep Node alive.
 */
import { createNodeRunner } from '../../wasm/node-runner.js';

const runner = createNodeRunner({ instances: 2 });
const job = {
  inputs: [],
  args: ['-f', 'lavfi', '-i', 'color=c=red:size=16x8', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '/out.raw'],
  outputPath: '/out.raw',
  timeoutMs: 20_000,
};
const results = await Promise.all([runner.run(job), runner.run(job)]);
console.log(results.map((result) => result.exitCode).join(','));
