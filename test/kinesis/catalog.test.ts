/**
 * Catalogs: streams with a name (`[a-zA-Z0-9_.-]{1,256}`), an optional ARN and an ordered list
 * of fragments with producer and (default: producer) server start times; looked up by name or
 * ARN. On disk the same object as JSON, with sources relative to the file.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isStillframeError } from '../../src/errors.js';
import { KinesisVideoArchivedMedia } from '../../src/kinesis/archived-media.js';
import { loadCatalogFile, openPathSource } from '../../src/kinesis/catalog-file.js';
import { resolveCatalog, type Catalog, type ByteSourceFactory } from '../../src/kinesis/catalog.js';
import { ResourceNotFoundException } from '../../src/kinesis/errors.js';
import { memorySource } from '../../src/sources/memory-source.js';

const ARN = 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/cam-1/1700000000000';
const mem: ByteSourceFactory = () => memorySource(new Uint8Array(8));

/** The catalog error message `catalog` raises. */
function catalogError(catalog: unknown): string {
  try {
    resolveCatalog(catalog as Catalog);
  } catch (error) {
    expect(isStillframeError(error, 'invalid-argument')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected the catalog to be refused');
}

describe('resolveCatalog', () => {
  it('reads start times as instants; the server time defaults to the producer time', () => {
    const catalog = resolveCatalog({
      streams: [
        {
          name: 'cam-1',
          arn: ARN,
          fragments: [
            { source: mem, producerStartTime: '2026-11-21T10:00:00Z', serverStartTime: '2026-11-21T11:00:02.5+01:00' },
            { source: mem, producerStartTime: new Date('2026-11-21T10:00:02Z') },
          ],
        },
      ],
    });
    const [first, second] = catalog.find({ name: 'cam-1' }).fragments;
    expect(first).toMatchObject({ producerStartMs: Date.parse('2026-11-21T10:00:00Z'), serverStartMs: Date.parse('2026-11-21T10:00:02.5Z') });
    expect(second).toMatchObject({ producerStartMs: Date.parse('2026-11-21T10:00:02Z'), serverStartMs: Date.parse('2026-11-21T10:00:02Z') });
  });

  it('reads an optional durationMs per fragment, and knows the longest of a stream', () => {
    const catalog = resolveCatalog({
      streams: [
        {
          name: 'cam-1',
          fragments: [
            { source: mem, producerStartTime: '2026-11-21T10:00:00Z', durationMs: 2000 },
            { source: mem, producerStartTime: '2026-11-21T10:00:02Z' },
            { source: mem, producerStartTime: '2026-11-21T10:00:04Z', durationMs: 4000.5 },
          ],
        },
        { name: 'cam-2', fragments: [{ source: mem, producerStartTime: '2026-11-21T10:00:00Z' }] },
      ],
    });
    const cam1 = catalog.find({ name: 'cam-1' });
    expect(cam1.fragments.map((f) => f.durationMs)).toEqual([2000, undefined, 4000.5]);
    expect(cam1.longestDurationMs).toBe(4000.5);
    expect(catalog.find({ name: 'cam-2' }).longestDurationMs).toBe(0);
  });

  it('finds streams by name and by ARN; unknown ones are ResourceNotFoundException', () => {
    const catalog = resolveCatalog({ streams: [{ name: 'cam-1', arn: ARN, fragments: [] }, { name: 'cam-2', fragments: [] }] });
    expect(catalog.find({ name: 'cam-2' }).name).toBe('cam-2');
    expect(catalog.find({ arn: ARN }).name).toBe('cam-1');
    expect(() => catalog.find({ name: 'cam-3' })).toThrow(ResourceNotFoundException);
    expect(() => catalog.find({ arn: ARN.replace('cam-1', 'cam-3') })).toThrow(ResourceNotFoundException);
  });

  it('orders fragments by start on each clock, equal starts in catalog order', () => {
    const catalog = resolveCatalog({
      streams: [
        {
          name: 'cam-1',
          fragments: [
            { source: mem, producerStartTime: '2026-11-21T10:00:04Z', serverStartTime: '2026-11-21T10:00:01Z' },
            { source: mem, producerStartTime: '2026-11-21T10:00:00Z', serverStartTime: '2026-11-21T10:00:05Z' },
            { source: mem, producerStartTime: '2026-11-21T10:00:00Z', serverStartTime: '2026-11-21T10:00:06Z' },
          ],
        },
      ],
    });
    const stream = catalog.find({ name: 'cam-1' });
    const ids = (list: readonly { id: number }[]) => list.map((f) => stream.fragments.findIndex((g) => g.id === f.id));
    expect(ids(stream.byStart('PRODUCER_TIMESTAMP'))).toEqual([1, 2, 0]);
    expect(ids(stream.byStart('SERVER_TIMESTAMP'))).toEqual([0, 1, 2]);
  });

  it.each<[string, unknown, RegExp]>([
    ['no streams array', {}, /^catalog: expected an object with a "streams" array$/],
    ['a bad stream name', { streams: [{ name: 'cam 1', fragments: [] }] }, /^catalog: streams\[0\]\.name must match \[a-zA-Z0-9_.-\]\{1,256\}, got "cam 1"$/],
    ['a name over 256 characters', { streams: [{ name: 'a'.repeat(257), fragments: [] }] }, /streams\[0\]\.name must match/],
    ['a duplicate name', { streams: [{ name: 'a', fragments: [] }, { name: 'a', fragments: [] }] }, /^catalog: streams\[1\]: the name 'a' is used twice$/],
    ['a bad ARN', { streams: [{ name: 'a', arn: 'arn:aws:s3:::b', fragments: [] }] }, /^catalog: streams\[0\]\.arn is not a Kinesis Video stream ARN/],
    ['a duplicate ARN', { streams: [{ name: 'a', arn: ARN, fragments: [] }, { name: 'b', arn: ARN, fragments: [] }] }, /streams\[1\]: the ARN .* is used twice/],
    ['no fragments array', { streams: [{ name: 'a' }] }, /^catalog: streams\[0\]\.fragments must be an array$/],
    ['a fragment without source', { streams: [{ name: 'a', fragments: [{ producerStartTime: '2026-11-21T10:00:00Z' }] }] }, /streams\[0\]\.fragments\[0\]\.source must be a non-empty string or a function/],
    ['a time without a zone', { streams: [{ name: 'a', fragments: [{ source: 'x.mp4', producerStartTime: '2026-11-21T10:00:00' }] }] }, /streams\[0\]\.fragments\[0\]\.producerStartTime must be a Date or an ISO 8601 time with a zone/],
    ['an impossible time', { streams: [{ name: 'a', fragments: [{ source: 'x.mp4', producerStartTime: '2026-13-45T10:00:00Z' }] }] }, /producerStartTime must be a Date or an ISO 8601 time/],
    ['a bad server time', { streams: [{ name: 'a', fragments: [{ source: 'x.mp4', producerStartTime: '2026-11-21T10:00:00Z', serverStartTime: 5 }] }] }, /fragments\[0\]\.serverStartTime must be/],
    ['an invalid Date', { streams: [{ name: 'a', fragments: [{ source: 'x.mp4', producerStartTime: new Date(NaN) }] }] }, /producerStartTime is an invalid Date/],
    ['a durationMs of 0', { streams: [{ name: 'a', fragments: [{ source: 'x.mp4', producerStartTime: '2026-11-21T10:00:00Z', durationMs: 0 }] }] }, /^catalog: streams\[0\]\.fragments\[0\]\.durationMs must be a positive number of milliseconds, got 0$/],
    ['a durationMs as text', { streams: [{ name: 'a', fragments: [{ source: 'x.mp4', producerStartTime: '2026-11-21T10:00:00Z', durationMs: '2000' }] }] }, /fragments\[0\]\.durationMs must be a positive number of milliseconds, got "2000"/],
    ['an infinite durationMs', { streams: [{ name: 'a', fragments: [{ source: 'x.mp4', producerStartTime: '2026-11-21T10:00:00Z', durationMs: Infinity }] }] }, /fragments\[0\]\.durationMs must be a positive number/],
  ])('refuses %s, naming the entry', (_, catalog, message) => {
    expect(catalogError(catalog)).toMatch(message);
  });
});

describe('KinesisVideoArchivedMedia and file paths', () => {
  it('refuses a catalog naming files when the runtime cannot open paths (and no openSource is given)', () => {
    expect(
      () => new KinesisVideoArchivedMedia({ catalog: { streams: [{ name: 'a', fragments: [{ source: 'cam/000.mp4', producerStartTime: '2026-11-21T10:00:00Z' }] }] } }),
    ).toThrow(/catalog: a fragment 0 names the file cam\/000\.mp4, but this runtime has no file opener/);
  });

  it('accepts it with openSource, and URLs and factories without', () => {
    const paths: Catalog = { streams: [{ name: 'a', fragments: [{ source: 'cam/000.mp4', producerStartTime: '2026-11-21T10:00:00Z' }] }] };
    expect(() => new KinesisVideoArchivedMedia({ catalog: paths, openSource: openPathSource })).not.toThrow();
    const urls: Catalog = {
      streams: [
        {
          name: 'a',
          fragments: [
            { source: 'https://example.com/cam/000.mp4', producerStartTime: '2026-11-21T10:00:00Z' },
            { source: mem, producerStartTime: '2026-11-21T10:00:02Z' },
          ],
        },
      ],
    };
    expect(() => new KinesisVideoArchivedMedia({ catalog: urls })).not.toThrow();
  });
});

describe('loadCatalogFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stillframe-catalog-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the JSON form, opening relative sources against the file’s folder and keeping URLs', async () => {
    mkdirSync(join(dir, 'media', 'cam-1'), { recursive: true });
    writeFileSync(join(dir, 'media', 'cam-1', '000.mp4'), new Uint8Array(1234));
    const path = join(dir, 'media', 'streams.json');
    writeFileSync(
      path,
      JSON.stringify({
        streams: [
          {
            name: 'cam-1',
            arn: ARN,
            fragments: [
              { source: 'cam-1/000.mp4', producerStartTime: '2026-11-21T10:00:00Z', serverStartTime: '2026-11-21T10:00:02Z', durationMs: 2000 },
              { source: 'https://example.com/001.mp4', producerStartTime: '2026-11-21T10:00:02Z' },
            ],
          },
        ],
      }),
    );
    const catalog = await loadCatalogFile(path);
    const [file, url] = catalog.streams[0]!.fragments;
    expect(typeof file!.source).toBe('function');
    const source = await (file!.source as ByteSourceFactory)();
    expect(source.size).toBe(1234);
    await source.close?.();
    expect(url!.source).toBe('https://example.com/001.mp4');
    expect(file!.serverStartTime).toBe('2026-11-21T10:00:02Z');
    expect(file!.durationMs).toBe(2000);
    // Usable as is, without a registered path opener.
    expect(() => new KinesisVideoArchivedMedia({ catalog })).not.toThrow();
  });

  it('reports a missing file, bad JSON, or an invalid catalog with the file name', async () => {
    await expect(loadCatalogFile(join(dir, 'absent.json'))).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/cannot read the catalog file .*absent\.json/) });
    writeFileSync(join(dir, 'bad.json'), '{ "streams": [');
    await expect(loadCatalogFile(join(dir, 'bad.json'))).rejects.toMatchObject({ kind: 'invalid-argument', message: expect.stringMatching(/bad\.json: not valid JSON/) });
    writeFileSync(join(dir, 'invalid.json'), JSON.stringify({ streams: [{ name: 'cam 1', fragments: [] }] }));
    await expect(loadCatalogFile(join(dir, 'invalid.json'))).rejects.toMatchObject({
      kind: 'invalid-argument',
      message: expect.stringMatching(/invalid\.json: catalog: streams\[0\]\.name must match/),
    });
  });
});
