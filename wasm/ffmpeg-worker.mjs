// The body of one decode-engine instance: it runs @ffmpeg/core in a worker thread so that a
// runaway or trapped decode can be stopped by terminating the thread, and so that decoding never
// blocks the caller's event loop. Plain JavaScript on purpose: it is loaded by URL, unbundled.
//
// Protocol (structured clone): in  { id, inputs: [{ path, data }], args, outputPath }
//                              out { id, ok: true, exitCode, output?, log } | { id, ok: false, error }
import { parentPort, workerData } from 'node:worker_threads';

// The core is an Emscripten build for Web Workers: it expects `self` and `self.location`.
globalThis.self = globalThis;
globalThis.self.location = { href: workerData.coreUrl };

const { default: createFFmpegCore } = await import(workerData.coreUrl);
const core = await createFFmpegCore({
  // Instantiating from the module the parent compiled once saves a compile per instance.
  instantiateWasm(imports, done) {
    WebAssembly.instantiate(workerData.wasmModule, imports).then((instance) => done(instance, workerData.wasmModule));
    return {};
  },
});

let log = [];
core.setLogger(({ message }) => log.push(message));

function removeQuietly(path) {
  try {
    core.FS.unlink(path);
  } catch {
    // Absent already: nothing to clean.
  }
}

parentPort.on('message', (job) => {
  log = [];
  try {
    for (const input of job.inputs) core.FS.writeFile(input.path, input.data);
    const exitCode = core.exec(...job.args);
    let output;
    try {
      output = core.FS.readFile(job.outputPath);
    } catch {
      output = undefined;
    }
    core.reset();
    for (const input of job.inputs) removeQuietly(input.path);
    removeQuietly(job.outputPath);
    parentPort.postMessage({ id: job.id, ok: true, exitCode, output, log }, output ? [output.buffer] : []);
  } catch (error) {
    // A wasm trap leaves the instance unusable; the parent discards this worker.
    parentPort.postMessage({ id: job.id, ok: false, error: String(error?.stack ?? error), log });
  }
});
parentPort.postMessage({ ready: true });
