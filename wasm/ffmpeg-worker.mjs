// The body of one decode-engine instance: it runs @ffmpeg/core in a worker so that a runaway or
// trapped decode can be stopped by terminating the worker, and so that decoding never blocks the
// caller's event loop. Plain JavaScript on purpose: it is loaded by URL, unbundled.
//
// One body for two kinds of worker:
// - a `node:worker_threads` Worker (Node, and Deno running the Node entry): the core's files
//   arrive as `workerData`, messages go through `parentPort`;
// - a standard Web Worker (`new Worker(url, { type: 'module' })`: Deno, browsers): the core's
//   files arrive as the first message, `{ init: { coreUrl, wasmModule } }`, messages go through
//   `self.postMessage` / `self.onmessage`.
//
// Protocol (structured clone): in  { id, inputs: [{ path, data }], args, outputPath, timeoutMs }
//                              out { id, ok: true, exitCode, output?, log }
//                                | { id, ok: false, error, log, timedOut? }
// After start-up the worker posts { ready: true } once, or { ready: false, error } when the core
// cannot be loaded (the error is reported, not thrown: an uncaught error in a Deno Web Worker
// would take the parent process down unless the parent handles it).

/** The channel to the parent, and the core's files: `{ coreUrl, wasmModule }`. */
async function connect() {
  // Browsers have no `node:` modules. Deno has them, but inside a Web Worker its `parentPort`
  // is null: that worker talks through `self`. The specifier is a variable so that bundlers
  // leave this import alone.
  if (globalThis.process?.versions?.node) {
    const nodeWorkerThreads = 'node:worker_threads';
    const { parentPort, workerData } = await import(/* @vite-ignore */ nodeWorkerThreads);
    if (parentPort) {
      return {
        files: workerData,
        post: (message, transfer) => parentPort.postMessage(message, transfer),
        listen: (handle) => parentPort.on('message', handle),
      };
    }
  }
  const files = await new Promise((resolve) => {
    self.onmessage = (event) => {
      if (event.data?.init) resolve(event.data.init);
    };
  });
  return {
    files,
    post: (message, transfer) => self.postMessage(message, transfer),
    listen: (handle) => (self.onmessage = (event) => handle(event.data)),
  };
}

/** Loads one core instance from the module the parent compiled once (saves a compile each). */
async function loadCore({ coreUrl, wasmModule }) {
  // The core is an Emscripten build for Web Workers: it expects `self`, and reads
  // `self.location.href` (only to locate files, which `instantiateWasm` makes unnecessary).
  // Node's worker threads have neither; a Web Worker has both, read-only.
  if (typeof globalThis.self === 'undefined') globalThis.self = globalThis;
  if (!globalThis.self.location) globalThis.self.location = { href: coreUrl };
  const { default: createFFmpegCore } = await import(/* @vite-ignore */ coreUrl);
  return createFFmpegCore({
    instantiateWasm(imports, done) {
      WebAssembly.instantiate(wasmModule, imports).then((instance) => done(instance, wasmModule));
      return {};
    },
  });
}

/** Runs the jobs that arrive on `port` on `core`, then tells the parent it is ready. */
function serve(port, core) {
  let log = [];
  core.setLogger(({ message }) => log.push(message));

  const removeQuietly = (path) => {
    try {
      core.FS.unlink(path);
    } catch {
      // Absent already: nothing to clean.
    }
  };

  port.listen((job) => {
    log = [];
    try {
      for (const input of job.inputs) core.FS.writeFile(input.path, input.data);
      // The parent's limit is the hard one: it terminates this worker. But terminating does not
      // always stop running wasm (Deno 2.9 lets a terminated worker's wasm run on), so the core's
      // own limit, checked by ffmpeg between packets, stops a long decode from inside as well.
      const started = Date.now();
      core.setTimeout(job.timeoutMs);
      const exitCode = core.exec(...job.args);
      if (exitCode !== 0 && Date.now() - started >= job.timeoutMs) {
        core.reset();
        port.post({ id: job.id, ok: false, timedOut: true, error: `stopped at the time limit of ${job.timeoutMs} ms`, log });
        return;
      }
      let output;
      try {
        output = core.FS.readFile(job.outputPath);
      } catch {
        output = undefined;
      }
      core.reset();
      for (const input of job.inputs) removeQuietly(input.path);
      removeQuietly(job.outputPath);
      port.post({ id: job.id, ok: true, exitCode, output, log }, output ? [output.buffer] : []);
    } catch (error) {
      // A wasm trap leaves the instance unusable; the parent discards this worker.
      port.post({ id: job.id, ok: false, error: String(error?.stack ?? error), log });
    }
  });
  port.post({ ready: true });
}

// Started without top-level await: bundlers that emit classic workers (Vite's default worker
// format, iife) refuse a top-level await.
async function start() {
  const port = await connect();
  let core;
  try {
    core = await loadCore(port.files);
  } catch (error) {
    port.post({ ready: false, error: String(error?.stack ?? error) });
    return;
  }
  serve(port, core);
}

start();
