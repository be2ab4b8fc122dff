/**
 * HarmonyOS's dual calling convention: most asynchronous APIs return a promise, or, when the
 * last argument is a function, return nothing and call it back as `(err, data)`.
 */
import { toBusinessError, type BusinessError } from './business-error.js';

/**
 * A completion callback as in `@ohos.base`: on success `err` is `undefined` and `data` holds the
 * result; on failure `err` is the error and `data` is `undefined`.
 *
 * `err` is typed as `BusinessError` (not `BusinessError | undefined`) exactly as the platform
 * declares it, so that HarmonyOS sample code, which annotates it that way, type-checks unchanged.
 */
export type AsyncCallback<T, E = void> = (err: BusinessError<E>, data: T) => void;

/**
 * Runs `work` and reports its outcome the HarmonyOS way: with a callback, nothing is returned
 * and `callback` is called once; without one, the promise is returned. Either way the outcome
 * is always delivered asynchronously and failures are always {@link BusinessError}s, even
 * when `work` throws synchronously.
 *
 * The callback runs in its own microtask rather than inside a promise reaction, so an exception
 * it throws surfaces as an uncaught exception (as with Node callbacks) instead of vanishing into
 * a promise nobody observes.
 */
export function settle<T>(work: () => Promise<T>, callback: AsyncCallback<T> | undefined): Promise<T> | undefined {
  // `work` starts synchronously, so whatever it captures (the generator's current source, its
  // released state) is taken at call time, not a tick later after the caller moved on.
  let started: Promise<T>;
  try {
    started = work();
  } catch (error) {
    started = Promise.reject(error);
  }
  const promise = started.catch((error: unknown) => {
    throw toBusinessError(error);
  });
  if (typeof callback !== 'function') return promise;
  promise.then(
    (value) => queueMicrotask(() => callback(undefined as unknown as BusinessError, value)),
    (error: BusinessError) => queueMicrotask(() => callback(error, undefined as T)),
  );
  return undefined;
}
