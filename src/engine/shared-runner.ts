/**
 * The process-wide decode engine. The runtime entry point (Node now; Deno, browsers and edge
 * runtimes later) registers how to make one; the core asks for it only when it first decodes.
 */
import { notAllowed } from '../errors.js';
import type { FFmpegRunner } from './ffmpeg-runner.js';

let factory: (() => FFmpegRunner) | undefined;
let shared: FFmpegRunner | undefined;

/** Registers how this runtime creates its engine. Called once by the runtime's entry point. */
export function registerRunnerFactory(create: () => FFmpegRunner): void {
  factory = create;
}

/** The shared engine, created on first use. */
export function sharedRunner(): FFmpegRunner {
  if (!shared) {
    if (!factory) throw notAllowed('no decode engine is registered for this runtime');
    shared = factory();
  }
  return shared;
}

/** Stops the shared engine (its worker threads); the next decode starts a new one. */
export async function closeSharedRunner(): Promise<void> {
  const runner = shared;
  shared = undefined;
  await runner?.close();
}
