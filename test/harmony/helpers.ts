/**
 * Shared pieces of the HarmonyOS facade specs: the decode engine, reading a PixelMap's pixels,
 * and assertions on `BusinessError`s and on callback-style APIs. (Test media: `test/helpers/fixtures.ts`.)
 */
import { afterAll, expect } from 'vitest';
import { closeSharedRunner, registerRunnerFactory } from '../../src/engine/shared-runner.js';
import { BusinessError } from '../../src/harmony/business-error.js';
import type { image } from '../../src/harmony/index.js';
import { createNodeRunner } from '../../wasm/node-runner.js';

/**
 * Registers the Node engine (as `src/index.ts` does for users) and stops it after the file.
 * Two instances, so that overlapping fetches really decode in parallel.
 */
export function useEngine(): void {
  registerRunnerFactory(() => createNodeRunner({ instances: 2 }));
  afterAll(() => closeSharedRunner());
}

/** The bytes of a PixelMap, in its own pixel format (via the public API). */
export async function pixelsOf(pixelMap: image.PixelMap): Promise<Uint8Array> {
  const buffer = new ArrayBuffer(pixelMap.getPixelBytesNumber());
  await pixelMap.readPixelsToBuffer(buffer);
  return new Uint8Array(buffer);
}

/** Asserts that `promise` rejects with a `BusinessError` of `code`, and returns it. */
export async function expectBusinessError(promise: Promise<unknown>, code: number, message?: RegExp): Promise<BusinessError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected BusinessError ${code}, but it resolved with ${String(value)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BusinessError);
  expect(error).toMatchObject({ name: 'BusinessError', code });
  if (message) expect((error as BusinessError).message).toMatch(message);
  return error as BusinessError;
}

/** What a HarmonyOS-style callback was called with. */
export interface CallbackOutcome<T> {
  err: BusinessError | undefined;
  data: T | undefined;
  /** What the API returned synchronously (must be undefined in callback form). */
  returned: unknown;
  /** Number of times the callback was called by the time the outcome was read. */
  calls: number;
}

/**
 * Calls `start` with a callback and resolves with the first call's arguments. Also checks that
 * the callback was not called synchronously (HarmonyOS delivers asynchronously).
 */
export async function viaCallback<T>(start: (callback: (err: BusinessError, data: T) => void) => unknown): Promise<CallbackOutcome<T>> {
  let calls = 0;
  let synchronous = true;
  let resolveOutcome!: (outcome: { err: BusinessError | undefined; data: T | undefined }) => void;
  const first = new Promise<{ err: BusinessError | undefined; data: T | undefined }>((resolve) => (resolveOutcome = resolve));
  const returned = start((err, data) => {
    calls++;
    expect(synchronous, 'callback must not be called synchronously').toBe(false);
    resolveOutcome({ err, data });
  });
  synchronous = false;
  const { err, data } = await first;
  // Give a stray second call the chance to happen before reporting the count.
  await new Promise((resolve) => setTimeout(resolve, 10));
  return { err, data, returned, calls };
}
