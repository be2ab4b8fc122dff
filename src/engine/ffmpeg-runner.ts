/**
 * The boundary between the core and a running ffmpeg.wasm instance. Runtime adapters (worker
 * threads in Node, Web Workers in browsers, in-process where nothing else exists) implement it;
 * the core only ever says "run these arguments over these files and give me that file back".
 */

/** One ffmpeg invocation over files placed in the instance's in-memory file system. */
export interface FFmpegJob {
  /** Files to write into the instance's MEMFS before running. */
  readonly inputs: ReadonlyArray<{ readonly path: string; readonly data: Uint8Array }>;
  /** Arguments after the program name, as on a command line. */
  readonly args: readonly string[];
  /** The file to read back after the run (absent if ffmpeg wrote none). */
  readonly outputPath: string;
  /** Wall-clock limit for the run in milliseconds. */
  readonly timeoutMs: number;
}

/** What an ffmpeg invocation produced. */
export interface FFmpegResult {
  /** ffmpeg's exit code: 0 on success. */
  readonly exitCode: number;
  /** Contents of {@link FFmpegJob.outputPath}, when it was written. */
  readonly output?: Uint8Array;
  /** Everything ffmpeg logged, line by line. */
  readonly log: readonly string[];
}

/**
 * Runs ffmpeg jobs. Implementations own their instances: one that traps or overruns its time
 * limit is discarded and replaced, the job rejects with a `StillframeError` of kind `'timeout'`
 * or `'engine-crashed'`, and the next job runs on a fresh instance.
 */
export interface FFmpegRunner {
  run(job: FFmpegJob): Promise<FFmpegResult>;
  /**
   * How many jobs it runs at once (its instances); more wait in its queue. Callers with many
   * jobs keep about this many in flight. Absent: 1.
   */
  readonly parallelism?: number;
  /** Stops every instance. Jobs still queued reject. */
  close(): Promise<void>;
}
