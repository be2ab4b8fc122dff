/**
 * Shared by the GetImages endpoint specs: a real server on 127.0.0.1 (port 0) in front of a
 * real `KinesisVideoArchivedMedia`, the keys it accepts, and the real AWS SDK v3 client pointed
 * at it with real SigV4 credentials.
 */
import { KinesisVideoArchivedMediaClient, type KinesisVideoArchivedMediaClientConfig, type GetImagesCommandInput, type GetImagesCommandOutput } from '@aws-sdk/client-kinesis-video-archived-media';
import { expect } from 'vitest';
import '../../src/index.js';
import { KinesisVideoArchivedMedia, type KinesisVideoArchivedMediaOptions } from '../../src/kinesis/archived-media.js';
import type { Catalog } from '../../src/kinesis/catalog.js';
import type { AccessKey } from '../../src/kinesis/http/access-keys.js';
import { createGetImagesApp, type GetImagesAppOptions } from '../../src/kinesis/http/app.js';
import { startGetImagesServer, type GetImagesServer } from '../../src/kinesis/http/node-server.js';
import { openFileSource } from '../../src/sources/node-file-source.js';

/** The region every test client signs for (the server accepts any unless told). */
export const REGION = 'us-east-1';

/** A key for every stream, one for cam-1 only, one whose stream grant is by ARN. */
export const KEYS = {
  all: { accessKeyId: 'AKIDALLSTREAMS', secretAccessKey: 'secret-for-all-streams', streams: ['*'] },
  cam1: { accessKeyId: 'AKIDCAM1ONLY', secretAccessKey: 'secret-for-cam-1', streams: ['cam-1'] },
  byArn: {
    accessKeyId: 'AKIDCAM2BYARN',
    secretAccessKey: 'secret-for-cam-2-by-arn',
    streams: ['arn:aws:kinesisvideo:us-east-1:123456789012:stream/cam-2/1700000000000'],
  },
} satisfies Record<string, AccessKey>;

/** cam-2's ARN, as in {@link KEYS}.byArn. */
export const CAM2_ARN = KEYS.byArn.streams[0]!;

/** A catalog fragment read from a file path (no path opener needed). */
export function fileFragment(path: string, producerStartTime: string, serverStartTime?: string) {
  return { source: () => openFileSource(path), producerStartTime, serverStartTime };
}

/** A running endpoint and what the tests need of it. */
export interface TestEndpoint extends GetImagesServer {
  readonly kvam: KinesisVideoArchivedMedia;
}

/**
 * Starts an endpoint for `catalog` on 127.0.0.1, any free port. `kvam` overrides the library
 * instance (a subclass with a gate, for the concurrency specs); close it with `close()`.
 */
export async function startEndpoint(
  catalog: Catalog,
  app: Partial<Omit<GetImagesAppOptions, 'kvam'>> = {},
  library: Partial<KinesisVideoArchivedMediaOptions> & { kvam?: KinesisVideoArchivedMedia } = {},
): Promise<TestEndpoint> {
  const kvam = library.kvam ?? new KinesisVideoArchivedMedia({ catalog, minSamplingIntervalMs: 100, ...library });
  const server = await startGetImagesServer(
    createGetImagesApp({ kvam, auth: { keys: Object.values(KEYS) }, ...app }),
    { host: '127.0.0.1', port: 0 },
  );
  return {
    ...server,
    kvam,
    close: async () => {
      await server.close();
      await kvam.close();
    },
  };
}

/**
 * The real SDK client for `endpoint`, signing with `key`. One attempt by default, so a refusal
 * surfaces as it was sent instead of after the SDK's retries.
 */
export function sdkClient(
  endpoint: { url: string },
  key: { accessKeyId: string; secretAccessKey: string } = KEYS.all,
  config: Partial<KinesisVideoArchivedMediaClientConfig> = {},
): KinesisVideoArchivedMediaClient {
  return new KinesisVideoArchivedMediaClient({
    endpoint: endpoint.url,
    region: REGION,
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    maxAttempts: 1,
    ...config,
  });
}

/** The rejection of `promise` (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to be refused, but it succeeded');
}

/** A promise with its resolve function outside, to hold a request inside the library. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Where the SigV4 specs of other runtimes put their one fragment (h264-bframes.mp4). */
export const TWO_FRAMES_START = new Date('2026-11-21T10:00:00Z');

/**
 * Two points 3 s apart from {@link TWO_FRAMES_START} (two distinct frames of h264-bframes.mp4), as
 * small PNGs: the request the SigV4 specs of workerd and Deno send.
 */
export function twoFramesAsPng(overrides: Partial<GetImagesCommandInput> = {}): GetImagesCommandInput {
  return {
    StreamName: 'cam-1',
    ImageSelectorType: 'PRODUCER_TIMESTAMP',
    StartTimestamp: TWO_FRAMES_START,
    EndTimestamp: new Date(TWO_FRAMES_START.getTime() + 3000),
    SamplingInterval: 3000,
    Format: 'PNG',
    WidthPixels: 160,
    HeightPixels: 120,
    ...overrides,
  };
}

/**
 * What the SigV4 specs of other runtimes require of their answer to {@link twoFramesAsPng}: the
 * Node endpoint's very images, two distinct frames, on one page.
 */
export function expectTwoFramesAsFromNode(answer: GetImagesCommandOutput, fromNode: GetImagesCommandOutput): void {
  expect(answer.$metadata.httpStatusCode).toBe(200);
  expect(answer.Images).toEqual(fromNode.Images);
  expect(answer.NextToken).toBeUndefined();
  expect(answer.Images).toHaveLength(2);
  expect(answer.Images!.every((img) => img.ImageContent && !img.Error)).toBe(true);
  expect(new Set(answer.Images!.map((img) => img.ImageContent)).size).toBe(2);
}
