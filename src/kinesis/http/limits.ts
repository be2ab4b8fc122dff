/**
 * How many GetImages requests decode at once. Decoding is CPU- and memory-heavy (each request
 * may decode up to 100 images), so the endpoint admits a few at a time; the rest wait briefly
 * in arrival order and are then turned away, the way the service answers a client that calls
 * too fast (ClientLimitExceededException), rather than piling up until the process falls over.
 *
 * Runtime-neutral: timers and promises only, so it works wherever Hono runs.
 */

/** Releases a slot taken with {@link ConcurrencyLimit.acquire}; calling it again does nothing. */
export type ReleaseSlot = () => void;

/** Options of a {@link ConcurrencyLimit}. */
export interface ConcurrencyLimitOptions {
  /** Requests that may decode at once (≥ 1). Default 2. */
  maxConcurrent?: number;
  /** How long a request may wait for a slot, in ms (≥ 0). Default 2000. */
  queueTimeoutMs?: number;
  /**
   * How many requests may wait at once (≥ 0); more are turned away at once. Default 64: a
   * waiting request holds a connection and its body, so the queue must not grow without bound.
   */
  maxQueued?: number;
}

/** The defaults of {@link ConcurrencyLimitOptions}. */
export const DEFAULT_MAX_CONCURRENT = 2;
export const DEFAULT_QUEUE_TIMEOUT_MS = 2000;
export const DEFAULT_MAX_QUEUED = 64;

interface Waiter {
  grant(release: ReleaseSlot): void;
}

/** A counting semaphore whose waiters give up after a time limit. */
export class ConcurrencyLimit {
  readonly maxConcurrent: number;
  readonly queueTimeoutMs: number;
  readonly maxQueued: number;
  #active = 0;
  readonly #queue: Waiter[] = [];

  constructor(options: ConcurrencyLimitOptions = {}) {
    this.maxConcurrent = checkCount('maxConcurrent', options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT, 1);
    this.queueTimeoutMs = checkCount('queueTimeoutMs', options.queueTimeoutMs ?? DEFAULT_QUEUE_TIMEOUT_MS, 0);
    this.maxQueued = checkCount('maxQueued', options.maxQueued ?? DEFAULT_MAX_QUEUED, 0);
  }

  /** Requests holding a slot now. */
  get active(): number {
    return this.#active;
  }

  /** Requests waiting for a slot now. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Takes a slot: at once when one is free, else after waiting (first come, first served) up to
   * `queueTimeoutMs`. Resolves with the function that gives the slot back, or `undefined` when
   * no slot came free in time, the queue is full, or `signal` aborted (the client went away).
   */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    if (this.#active < this.maxConcurrent) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    if (this.#queue.length >= this.maxQueued || this.queueTimeoutMs === 0) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const leave = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const at = this.#queue.indexOf(waiter);
        if (at >= 0) this.#queue.splice(at, 1);
      };
      const onAbort = (): void => {
        leave();
        resolve(undefined);
      };
      const waiter: Waiter = {
        grant: (release) => {
          leave();
          resolve(release);
        },
      };
      const timer = setTimeout(onAbort, this.queueTimeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  /** A one-shot release: hands the slot straight to the longest waiter, or frees it. */
  #releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue[0];
      // The slot passes on without being freed, so a newcomer cannot overtake the queue.
      if (next) next.grant(this.#releaser());
      else this.#active--;
    };
  }
}

function checkCount(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${value}`);
  return value;
}
