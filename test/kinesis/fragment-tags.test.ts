/**
 * Fragments as Kinesis Video Streams hands them out carry their start times in Matroska tags
 * (`AWS_KINESISVIDEO_PRODUCER_TIMESTAMP`, `AWS_KINESISVIDEO_SERVER_TIMESTAMP`, decimal epoch
 * seconds): a catalog may leave those fragments' times out, and they are read from the tags.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalogFile } from '../../src/kinesis/catalog-file.js';
import { resolveCatalog, type Catalog } from '../../src/kinesis/catalog.js';
import { kinesisTimestampMs, withFragmentTagTimes } from '../../src/kinesis/fragment-tags.js';
import { openFileSource } from '../../src/sources/node-file-source.js';
import { openVideoFile } from '../../src/video-file.js';
import { fixture } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';
import { at, T0 } from './helpers.js';

describe('kinesisTimestampMs: decimal epoch seconds to milliseconds', () => {
  it.each([
    ['1795255200.000', T0],
    ['1795255200', T0],
    ['1795255200.1', T0 + 100],
    ['1795255200.25', T0 + 250],
    ['1795255200.123', T0 + 123],
    // Beyond the millisecond, rounded up as the Kinesis Video parser library does.
    ['1795255200.1231', T0 + 124],
    ['1795255200.1230000', T0 + 123],
    [' 1795255200.5 ', T0 + 500],
  ])('%j is %d', (value, ms) => {
    expect(kinesisTimestampMs(value)).toBe(ms);
  });

  it.each(['', 'abc', '-1.5', '1e9', '1795255200.12x', '0x10', '9999999999999'])('%j is no time', (value) => {
    expect(kinesisTimestampMs(value)).toBeUndefined();
  });
});

describe.skipIf(!requireNativeTool('ffmpeg'))('fragments tagged by Kinesis Video Streams', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stillframe-kvs-tags-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the core reads the tags of a Matroska file', async () => {
    const video = await openVideoFile(await openFileSource(fixture('kvs-fragment-2s.mkv')));
    try {
      expect(Object.fromEntries(video.info.tags)).toMatchObject({
        AWS_KINESISVIDEO_FRAGMENT_NUMBER: '9134385233318150002',
        AWS_KINESISVIDEO_PRODUCER_TIMESTAMP: '1795255202.000',
        AWS_KINESISVIDEO_SERVER_TIMESTAMP: '1795255203.250',
      });
      // Frame times are on the producer's epoch clock, as the service keeps them.
      expect(video.info.firstFrameUs).toBe((T0 + 2000) * 1000);
    } finally {
      await video.close();
    }
  });

  it('withFragmentTagTimes completes only fragments without times, keeps a given server time, and leaves the catalog passed in as it was', async () => {
    const untouched = { source: () => Promise.reject(new Error('a fragment with times must not be opened')), producerStartTime: at(-5000) };
    const catalog: Catalog = {
      streams: [
        {
          name: 'cam-1',
          fragments: [
            untouched,
            { source: () => openFileSource(fixture('kvs-fragment-0s.mkv')) },
            { source: () => openFileSource(fixture('kvs-fragment-6s.mkv')), serverStartTime: at(9999) },
          ],
        },
      ],
    };
    const completed = await withFragmentTagTimes(catalog);
    expect(completed.streams[0]!.fragments[0]).toBe(untouched);
    expect(completed.streams[0]!.fragments.slice(1).map((f) => [f.producerStartTime, f.serverStartTime])).toEqual([
      [at(0), at(1250)],
      [at(6000), at(9999)],
    ]);
    expect(catalog.streams[0]!.fragments[1]!.producerStartTime).toBeUndefined();
    expect(() => resolveCatalog(completed)).not.toThrow();
  });

  it('a fragment without times or tags is refused, by name; a catalog not run through it says how to get them', async () => {
    const catalog: Catalog = { streams: [{ name: 'cam-1', fragments: [{ source: () => openFileSource(fixture('kinesis-0-2s.mkv')) }] }] };
    await expect(withFragmentTagTimes(catalog)).rejects.toMatchObject({
      kind: 'invalid-argument',
      message: expect.stringMatching(/streams\[0\]\.fragments\[0\] gives no producerStartTime and its media has no AWS_KINESISVIDEO_PRODUCER_TIMESTAMP tag/),
    });
    expect(() => resolveCatalog(catalog)).toThrow(/fragments\[0\]\.producerStartTime is missing .*withFragmentTagTimes/);
  });

  it('a fragment that cannot be opened fails the completion with its own error', async () => {
    const catalog: Catalog = { streams: [{ name: 'cam-1', fragments: [{ source: join(dir, 'absent.mkv') }] }] };
    await expect(withFragmentTagTimes(catalog, { openSource: (path) => openFileSource(path) })).rejects.toMatchObject({ kind: 'io' });
  });

  it('a catalog file may list tagged fragments without times', async () => {
    for (const name of ['kvs-fragment-0s.mkv', 'kvs-fragment-2s.mkv'] as const) copyFileSync(fixture(name), join(dir, name));
    const path = join(dir, 'streams.json');
    writeFileSync(path, JSON.stringify({ streams: [{ name: 'cam-1', fragments: [{ source: 'kvs-fragment-0s.mkv' }, { source: 'kvs-fragment-2s.mkv' }] }] }));
    const catalog = await loadCatalogFile(path);
    expect(catalog.streams[0]!.fragments.map((f) => f.producerStartTime)).toEqual([at(0), at(2000)]);
    writeFileSync(path, JSON.stringify({ streams: [{ name: 'cam-1', fragments: [{ source: 'absent.mkv' }] }] }));
    await expect(loadCatalogFile(path)).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/streams\.json: /) });
  });
});
