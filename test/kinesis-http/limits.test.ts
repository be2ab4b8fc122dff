/** The decode-slot semaphore on its own: admission, order, time limit, queue bound, abort. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConcurrencyLimit } from '../../src/kinesis/http/limits.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('ConcurrencyLimit', () => {
  it('admits maxConcurrent at once and hands freed slots to waiters first come, first served', async () => {
    const limit = new ConcurrencyLimit({ maxConcurrent: 2, queueTimeoutMs: 10_000 });
    const a = (await limit.acquire())!;
    const b = (await limit.acquire())!;
    expect(limit.active).toBe(2);
    const order: string[] = [];
    const c = limit.acquire().then((release) => (order.push('c'), release));
    const d = limit.acquire().then((release) => (order.push('d'), release));
    expect(limit.waiting).toBe(2);
    a();
    a(); // a second call frees nothing more
    const releaseC = (await c)!;
    expect(order).toEqual(['c']);
    expect(limit.active).toBe(2);
    b();
    const releaseD = (await d)!;
    expect(order).toEqual(['c', 'd']);
    releaseC();
    releaseD();
    expect(limit.active).toBe(0);
    expect(limit.waiting).toBe(0);
  });

  it('gives up on a waiter after queueTimeoutMs, and the slot it never got stays accounted', async () => {
    vi.useFakeTimers();
    const limit = new ConcurrencyLimit({ maxConcurrent: 1, queueTimeoutMs: 2000 });
    const held = (await limit.acquire())!;
    const waiting = limit.acquire();
    await vi.advanceTimersByTimeAsync(1999);
    expect(limit.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await waiting).toBeUndefined();
    expect(limit.waiting).toBe(0);
    held();
    expect(limit.active).toBe(0);
    expect(await limit.acquire()).toBeTypeOf('function');
  });

  it('turns waiters away at once beyond maxQueued, or with no wait allowed', async () => {
    const limit = new ConcurrencyLimit({ maxConcurrent: 1, queueTimeoutMs: 10_000, maxQueued: 1 });
    const held = (await limit.acquire())!;
    const queued = limit.acquire();
    expect(await limit.acquire()).toBeUndefined();
    held();
    (await queued)!();

    const noWait = new ConcurrencyLimit({ maxConcurrent: 1, queueTimeoutMs: 0 });
    const slot = (await noWait.acquire())!;
    expect(await noWait.acquire()).toBeUndefined();
    slot();
  });

  it('drops a waiter whose client went away', async () => {
    const limit = new ConcurrencyLimit({ maxConcurrent: 1, queueTimeoutMs: 10_000 });
    const held = (await limit.acquire())!;
    const controller = new AbortController();
    const waiting = limit.acquire(controller.signal);
    controller.abort();
    expect(await waiting).toBeUndefined();
    expect(limit.waiting).toBe(0);
    expect(await limit.acquire(AbortSignal.abort())).toBeUndefined();
    held();
    expect(limit.active).toBe(0);
  });

  it('rejects limits that are not counts', () => {
    expect(() => new ConcurrencyLimit({ maxConcurrent: 0 })).toThrow(RangeError);
    expect(() => new ConcurrencyLimit({ maxConcurrent: 1.5 })).toThrow(RangeError);
    expect(() => new ConcurrencyLimit({ queueTimeoutMs: -1 })).toThrow(RangeError);
    expect(() => new ConcurrencyLimit({ maxQueued: Number.NaN })).toThrow(RangeError);
    expect(new ConcurrencyLimit()).toMatchObject({ maxConcurrent: 2, queueTimeoutMs: 2000, maxQueued: 64 });
  });
});
