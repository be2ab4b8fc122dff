/**
 * AVImageQueryOptions semantics on presented frames, independent of any file: NEXT_SYNC,
 * PREVIOUS_SYNC, CLOSEST_SYNC, CLOSEST, clamping, and sync meaning a *verified* entry point.
 */
import { describe, expect, it } from 'vitest';
import { SampleList } from '../../src/demux/sample-list.js';
import { buildPresentationTimeline, type PresentationTimeline, type PresentedFrame } from '../../src/seek/presentation-timeline.js';
import { selectFrame } from '../../src/seek/query-mode.js';

/** Frames every 40 ms; labelled sync at 0, 400 and 800 ms. */
function timeline(syncAt = [0, 10, 20]): PresentationTimeline {
  const samples = SampleList.fromRecords(Array.from({ length: 25 }, (_, i) => ({ dts: i, cts: i, duration: 1, offset: 0, size: 1, isSync: syncAt.includes(i) })));
  return buildPresentationTimeline({
    codec: 'h264', codecString: 'avc1', timescale: 25, codedWidth: 16, codedHeight: 16, rotation: 0,
    samples, edits: [], nalLengthSize: 4, parameterSets: [],
    buildDecodeInput: () => { throw new Error('not used'); },
  });
}
const trustLabels = async (frame: PresentedFrame) => frame.sample.labeledSync;
const pick = async (timeUs: number, mode: Parameters<typeof selectFrame>[2], check = trustLabels, frames = timeline()) =>
  (await selectFrame(frames, timeUs, mode, check))?.timeUs;

describe('AV_IMAGE_QUERY_NEXT_SYNC', () => {
  it('takes the first sync frame at or after the time', async () => {
    expect(await pick(1, 'next-sync')).toBe(400_000);
    expect(await pick(400_000, 'next-sync')).toBe(400_000);
  });
  it('takes the last sync frame when none follows', async () => {
    expect(await pick(850_000, 'next-sync')).toBe(800_000);
  });
});

describe('AV_IMAGE_QUERY_PREVIOUS_SYNC', () => {
  it('takes the last sync frame at or before the time', async () => {
    expect(await pick(799_999, 'previous-sync')).toBe(400_000);
    expect(await pick(800_000, 'previous-sync')).toBe(800_000);
  });
  it('takes the first sync frame when none precedes', async () => {
    const frames = timeline([5, 15]);
    expect(await pick(100_000, 'previous-sync', trustLabels, frames)).toBe(200_000);
  });
});

describe('AV_IMAGE_QUERY_CLOSEST_SYNC', () => {
  it('takes the nearest sync frame on either side', async () => {
    expect(await pick(190_000, 'closest-sync')).toBe(0);
    expect(await pick(210_000, 'closest-sync')).toBe(400_000);
  });
  it('breaks a tie towards the earlier frame', async () => {
    expect(await pick(200_000, 'closest-sync')).toBe(0);
  });
  it('checks no frame further after the time than the sync frame before it (checking may read, past a truncation say)', async () => {
    const checked: number[] = [];
    const check = async (frame: PresentedFrame) => {
      checked.push(frame.timeUs);
      return frame.sample.labeledSync;
    };
    expect(await pick(60_000, 'closest-sync', check)).toBe(0);
    // Back to the sync frame at 0, then forward from 80 ms only while nearer than 60 ms away.
    expect(Math.max(...checked)).toBeLessThan(120_000);
    checked.length = 0;
    expect(await pick(380_000, 'closest-sync', check)).toBe(400_000);
    expect(Math.max(...checked)).toBe(400_000);
  });
});

describe('AV_IMAGE_QUERY_CLOSEST', () => {
  it('takes the nearest frame of any kind', async () => {
    expect(await pick(81_000, 'closest')).toBe(80_000);
    expect(await pick(101_000, 'closest')).toBe(120_000);
  });
});

describe('times outside the video', () => {
  it('clamp to the first and last frame', async () => {
    expect(await pick(0, 'closest')).toBe(0);
    expect(await pick(10_000_000, 'closest')).toBe(960_000);
    expect(await pick(10_000_000, 'previous-sync')).toBe(800_000);
  });
});

describe('sync means a verified entry point', () => {
  it('skips a frame the container labels sync but the bitstream refutes', async () => {
    const refuteMiddle = async (frame: PresentedFrame) => frame.sample.labeledSync && frame.sample.index !== 10;
    expect(await pick(390_000, 'next-sync', refuteMiddle)).toBe(800_000);
    expect(await pick(790_000, 'previous-sync', refuteMiddle)).toBe(0);
  });
  it('answers undefined when nothing is a sync frame', async () => {
    expect(await pick(0, 'next-sync', async () => false)).toBeUndefined();
  });
});
