/**
 * The life of a source set on a generator: opened by the first fetch (not when set), shared by
 * overlapping fetches, and closed only when it has been replaced or released and the last
 * fetch using it is done.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { media } from '../../src/harmony/index.js';
import { OpenedSource } from '../../src/harmony/opened-source.js';
import { fixture } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';
import { useEngine } from './helpers.js';

useEngine();

const tick = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

/** How many of this process's descriptors are open on `path` (Linux /proc). */
function descriptorsOn(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false; // closed while we looked
    }
  }).length;
}

describe.skipIf(!requireNativeTool('ffmpeg'))('OpenedSource', () => {
  let bytes: Uint8Array<ArrayBuffer>;
  let dir: string;
  beforeAll(() => {
    bytes = new Uint8Array(readFileSync(fixture('h264-bframes.mp4')));
    dir = mkdtempSync(join(tmpdir(), 'stillframe-harmony-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A data source descriptor that records how often it was read. */
  function countingDescriptor() {
    const state = { reads: 0 };
    const descriptor: media.AVDataSrcDescriptor = {
      fileSize: bytes.length,
      callback: (buffer, length, pos = 0) => {
        state.reads++;
        const chunk = bytes.subarray(pos, pos + length);
        new Uint8Array(buffer).set(chunk);
        return chunk.length;
      },
    };
    return { descriptor, state };
  }

  it('is opened by the first fetch, not when it is set', async () => {
    const { descriptor, state } = countingDescriptor();
    const generator = await media.createAVImageGenerator();
    generator.dataSrc = descriptor;
    await tick();
    expect(state.reads).toBe(0);
    await generator.fetchScaledFrameByTime(0, media.AVImageQueryOptions.AV_IMAGE_QUERY_NEXT_SYNC, { width: 16 });
    expect(state.reads).toBeGreaterThan(0);
    await generator.release();
  });

  it('is opened once for overlapping fetches', async () => {
    const { descriptor, state } = countingDescriptor();
    const source = new OpenedSource({ kind: 'dataSrc', value: descriptor });
    const counts = await Promise.all([1, 2, 3].map(() => source.use(async (video) => video.info.frameCount)));
    expect(new Set(counts).size).toBe(1);
    const readsAfterOpen = state.reads;
    await source.use(async (video) => video.info.frameCount);
    expect(state.reads).toBe(readsAfterOpen); // the index is not read again
    await source.retire();
  });

  it('when retired, waits for the fetches using it before closing', async () => {
    const { descriptor } = countingDescriptor();
    const source = new OpenedSource({ kind: 'dataSrc', value: descriptor });
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const using = source.use(async (video) => {
      await gate;
      return video.info.frameCount;
    });
    let retired = false;
    const retiring = source.retire().then(() => (retired = true));
    await tick();
    expect(retired).toBe(false);
    finish();
    expect(await using).toBeGreaterThan(0);
    await retiring;
    expect(retired).toBe(true);
  });

  it('a failed open is not remembered: the next fetch tries again', async () => {
    const path = join(dir, 'appears-later.mp4');
    const generator = await media.createAVImageGenerator();
    generator.url = path;
    await expect(generator.fetchScaledFrameByTime(0, 0, { width: 16 })).rejects.toMatchObject({ code: 5400103 });
    copyFileSync(fixture('h264-bframes.mp4'), path);
    const pixelMap = await generator.fetchScaledFrameByTime(0, 0, { width: 16 });
    expect(pixelMap.getImageInfoSync().size).toEqual({ width: 16, height: 12 });
    await generator.release();
  });

  it.skipIf(!existsSync('/proc/self/fd'))('closes the file it opened once replaced and drained, or released', async () => {
    const first = join(dir, 'first.mp4');
    const second = join(dir, 'second.mp4');
    copyFileSync(fixture('h264-bframes.mp4'), first);
    copyFileSync(fixture('h264-bframes.mp4'), second);
    const generator = await media.createAVImageGenerator();
    generator.url = first;
    await generator.fetchScaledFrameByTime(0, 0, { width: 16 });
    expect(descriptorsOn(first)).toBe(1);

    const inFlight = generator.fetchScaledFrameByTime(2_000_000, 3, { width: 16 });
    generator.url = second;
    await inFlight;
    await tick();
    expect(descriptorsOn(first)).toBe(0);

    await generator.fetchScaledFrameByTime(0, 0, { width: 16 });
    expect(descriptorsOn(second)).toBe(1);
    await generator.release();
    expect(descriptorsOn(second)).toBe(0);
  });
});
