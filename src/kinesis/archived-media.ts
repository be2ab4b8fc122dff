/**
 * The Kinesis Video Streams Archived Media facade: `GetImages` over a catalog of local or remote
 * video fragments, with the AWS SDK v3 input and output shapes. The HTTP endpoint calls this same
 * class, so the library call and the endpoint share one implementation.
 */
import { mapConcurrently } from '../concurrency.js';
import type { FFmpegRunner } from '../engine/ffmpeg-runner.js';
import { StillframeError, asFailure, invalidArgument } from '../errors.js';
import { encodePng } from '../image/encode.js';
import type { Size } from '../video-file.js';
import { ResolvedCatalog, resolveCatalog, type Catalog, type CatalogFragment, type CatalogStream } from './catalog.js';
import { FragmentStore, type FragmentExtent, type FragmentLease } from './fragment-store.js';
import type { GetImagesCommandOutput, GetImagesInput, Image, ResponseMetadata } from './get-images-types.js';
import { imageContent } from './image-content.js';
import { NextTokenCodec, type TokenBinding } from './next-token.js';
import { placePoint, type Placement } from './placement.js';
import { samplingPage, samplingPointCount } from './sampling.js';
import { hasPathSourceOpener, isHttpUrl, type SourceOpener } from './source-opener.js';
import { checkMinSamplingInterval, validateGetImagesInput, type GetImagesRequest } from './validate.js';

/** Fragments of one page rendered at once. */
const FRAGMENTS_IN_FLIGHT = 2;

/**
 * Default {@link KinesisVideoArchivedMediaOptions.overlapLookbackMs}: several times a typical
 * Kinesis Video fragment (a few seconds), short enough that a point in a gap opens a handful of
 * fragments, not a day's worth.
 */
const DEFAULT_OVERLAP_LOOKBACK_MS = 30_000;

/** Options of {@link KinesisVideoArchivedMedia}. */
export interface KinesisVideoArchivedMediaOptions {
  /** The streams served: a catalog object (as in a catalog file), or one already resolved. */
  readonly catalog: Catalog | ResolvedCatalog;
  /**
   * Secret that authenticates NextTokens. Servers that must continue each other's listings
   * share it. Default: a random secret per instance, so tokens are refused by other instances
   * and after a restart.
   */
  readonly tokenSecret?: string | Uint8Array;
  /** Smallest `SamplingInterval` accepted, in milliseconds, from 1. Default 3000 (the service's soft limit). */
  readonly minSamplingIntervalMs?: number;
  /** The decode engine. Default: the runtime's shared engine. */
  readonly runner?: FFmpegRunner;
  /**
   * Opens a fragment `source` string. Default: `http(s)://` URLs by HTTP range requests, file
   * paths by the runtime's registered path opener (the Node entry point registers one).
   */
  readonly openSource?: SourceOpener;
  /** Most fragments kept open (indexed) between requests while idle. Default 32. */
  readonly maxOpenFragments?: number;
  /**
   * How long before a point an earlier fragment may have started and still be opened to see
   * whether it is showing at the point, in milliseconds (≥ 0, `Infinity` for no bound). It only
   * matters where fragments overlap: the last fragment to start before a point is always
   * considered, and fragments with a catalog `durationMs` are bounded by it instead. An earlier
   * fragment without a duration that outlasts later ones and started longer ago than this is
   * not found (give its `durationMs`, or raise this). Default 30 000.
   */
  readonly overlapLookbackMs?: number;
}

/**
 * `GetImages` of Amazon Kinesis Video Streams Archived Media, served from a catalog.
 *
 * ```ts
 * const kvam = new KinesisVideoArchivedMedia({ catalog: await loadCatalogFile('streams.json') });
 * const { Images, NextToken } = await kvam.getImages({
 *   StreamName: 'cam-1', ImageSelectorType: 'PRODUCER_TIMESTAMP',
 *   StartTimestamp: new Date('2026-11-21T10:00:00Z'), EndTimestamp: new Date('2026-11-21T10:01:00Z'),
 *   SamplingInterval: 3000, Format: 'JPEG', HeightPixels: 360,
 * });
 * ```
 */
export class KinesisVideoArchivedMedia {
  /** The checked catalog. */
  readonly catalog: ResolvedCatalog;
  private readonly tokens: NextTokenCodec;
  private readonly minSamplingIntervalMs: number;
  private readonly overlapLookbackMs: number;
  private readonly store: FragmentStore;

  /**
   * @throws StillframeError `'invalid-argument'` for an invalid catalog, or one naming file
   *   paths when no path opener is available; RangeError / TypeError for invalid options.
   */
  constructor(options: KinesisVideoArchivedMediaOptions) {
    if (!options || typeof options !== 'object') throw new TypeError('KinesisVideoArchivedMedia needs { catalog }');
    this.catalog = options.catalog instanceof ResolvedCatalog ? options.catalog : resolveCatalog(options.catalog);
    if (!options.openSource && !hasPathSourceOpener()) {
      const path = this.catalog.streams.flatMap((s) => s.fragments).find((f) => typeof f.source === 'string' && !isHttpUrl(f.source));
      // Caught now rather than as a MEDIA_ERROR on every image of the fragment.
      if (path) {
        throw invalidArgument(
          `catalog: ${path.label} names the file ${String(path.source)}, but this runtime has no file opener: pass openSource, or load the catalog with loadCatalogFile`,
        );
      }
    }
    this.tokens = new NextTokenCodec(options.tokenSecret);
    this.minSamplingIntervalMs = checkMinSamplingInterval(options.minSamplingIntervalMs);
    this.overlapLookbackMs = options.overlapLookbackMs ?? DEFAULT_OVERLAP_LOOKBACK_MS;
    if (typeof this.overlapLookbackMs !== 'number' || !(this.overlapLookbackMs >= 0)) {
      throw new RangeError(`overlapLookbackMs must be a number of milliseconds ≥ 0, got ${String(options.overlapLookbackMs)}`);
    }
    this.store = new FragmentStore({ openSource: options.openSource, runner: options.runner, maxOpenFragments: options.maxOpenFragments });
  }

  /**
   * Images of a stream at sampling points: `StartTimestamp`, then every `SamplingInterval`
   * milliseconds up to `EndTimestamp` inclusive, at most `MaxResults` per call (continue with
   * `NextToken`). Each image is the frame on screen at its point; a point without media gets
   * `Error: 'NO_MEDIA'`, one whose media cannot give an image `'MEDIA_ERROR'`. Returns what the
   * SDK's `GetImagesCommand` returns, `$metadata` included (that of a call answered at once).
   *
   * @throws InvalidArgumentException, ValidationException for an invalid request (see
   *   `validate.ts`); ResourceNotFoundException for an unknown stream.
   */
  async getImages(input: GetImagesInput): Promise<GetImagesCommandOutput> {
    const request = validateGetImagesInput(input, { minSamplingIntervalMs: this.minSamplingIntervalMs });
    const stream = this.catalog.find({ name: request.streamName, arn: request.streamArn });
    const binding = tokenBinding(stream, request);
    const count = samplingPointCount(request.startMs, request.endMs, request.intervalMs);
    const position = request.nextToken === undefined ? 0 : await this.tokens.open(request.nextToken, binding, count);
    const page = samplingPage(request.startMs, request.endMs, request.intervalMs, position, request.maxResults);
    const output: GetImagesCommandOutput = { $metadata: answeredMetadata(), Images: await this.imagesAt(stream, request, page.pointsMs) };
    if (page.next !== undefined) output.NextToken = await this.tokens.issue(binding, page.next);
    return output;
  }

  /**
   * Every page of a listing, as the SDK's `paginateGetImages` yields them: calls
   * {@link getImages} and follows `NextToken` until the last page. Starts from `input.NextToken`
   * if given.
   */
  async *paginateGetImages(input: GetImagesInput): AsyncGenerator<GetImagesCommandOutput, void, undefined> {
    let nextToken = input.NextToken;
    do {
      const page = await this.getImages({ ...input, NextToken: nextToken });
      yield page;
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
  }

  /** Closes the opened fragments. Later calls fail; images already returned stay valid. */
  async close(): Promise<void> {
    await this.store.close();
  }

  /** The images of one page's points. */
  private async imagesAt(stream: CatalogStream, request: GetImagesRequest, pointsMs: readonly number[]): Promise<Image[]> {
    // The request holds every fragment it opens until it is done: placing a point opens its
    // fragment, and rendering must not find it closed by another request in between.
    const lease = this.store.lease();
    try {
      const extentOf = (fragment: CatalogFragment): Promise<FragmentExtent | StillframeError> => lease.extent(fragment).catch(asFailure);
      const placements = await Promise.all(pointsMs.map((pointMs) => placePoint(stream, request.selector, pointMs, extentOf, this.overlapLookbackMs)));

      const images: Image[] = pointsMs.map((pointMs) => ({ TimeStamp: new Date(pointMs) }));
      const byFragment = new Map<number, { fragment: CatalogFragment; points: Array<{ index: number; mediaUs: number }> }>();
      placements.forEach((placement: Placement, index) => {
        if (placement.kind === 'no-media') images[index]!.Error = 'NO_MEDIA';
        else if (placement.kind === 'media-error') images[index]!.Error = 'MEDIA_ERROR';
        else {
          const group = byFragment.get(placement.fragment.id) ?? { fragment: placement.fragment, points: [] };
          group.points.push({ index, mediaUs: placement.mediaUs });
          byFragment.set(placement.fragment.id, group);
        }
      });
      // Two fragments at a time: each keeps the engine busy on its own (see extractFramesAs); more
      // would only hold more fragments' samples in memory while they wait for an instance.
      await mapConcurrently([...byFragment.values()], FRAGMENTS_IN_FLIGHT, ({ fragment, points }) =>
        this.renderFragment(lease, fragment, points, request, images),
      );
      return images;
    } finally {
      lease.release();
    }
  }

  /**
   * Fills in the images of the points that fall in one fragment. One `extractFrames` call with
   * the distinct frames on screen decodes each GOP once and each frame once; each distinct frame
   * is encoded once and its content shared by every point that shows it.
   */
  private async renderFragment(
    lease: FragmentLease,
    fragment: CatalogFragment,
    points: ReadonlyArray<{ index: number; mediaUs: number }>,
    request: GetImagesRequest,
    images: Image[],
  ): Promise<void> {
    try {
      const video = await lease.video(fragment);
      // A point whose part of the index cannot be read fails alone (a file indexed in segments).
      const shown = await Promise.all(points.map(({ mediaUs }) => video.frameShownAt(mediaUs).then((frame) => frame?.timeUs, asFailure)));
      const frameTimes = [...new Set(shown.filter((t): t is number => typeof t === 'number'))];
      // Encoded as each frame is rendered, so a page never holds more than one pass's pixels.
      const options = { mode: 'closest', size: outputSize(request) } as const;
      const encoded =
        request.format === 'JPEG'
          ? (await video.extractJpegs(frameTimes, { ...options, quality: request.jpegQuality })).map((jpeg) => (jpeg instanceof StillframeError ? jpeg : imageContent(jpeg.data)))
          : await video.extractFramesAs(frameTimes, options, (frame) => imageContent(encodePng(frame)));
      const contents = new Map(frameTimes.map((timeUs, i) => [timeUs, encoded[i] instanceof StillframeError ? undefined : encoded[i]]));
      points.forEach(({ index }, i) => {
        const timeUs = shown[i];
        const content = typeof timeUs === 'number' ? contents.get(timeUs) : undefined;
        if (content !== undefined) images[index]!.ImageContent = content;
        else images[index]!.Error = timeUs === undefined ? 'NO_MEDIA' : 'MEDIA_ERROR';
      });
    } catch (error) {
      // The fragment could not be opened or read: its points fail, the other fragments' do not.
      if (!(error instanceof StillframeError)) throw error;
      for (const { index } of points) images[index]!.Error = 'MEDIA_ERROR';
    }
  }
}

/**
 * The `$metadata` of an answered call, as the SDK reports a call answered at the first attempt.
 * A fresh object per call: callers may keep or change it.
 */
function answeredMetadata(): ResponseMetadata {
  return { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 };
}

/** The parameters a NextToken is bound to. */
function tokenBinding(stream: CatalogStream, request: GetImagesRequest): TokenBinding {
  return {
    stream: stream.name,
    selector: request.selector,
    startMs: request.startMs,
    endMs: request.endMs,
    intervalMs: request.intervalMs,
    format: request.format,
    jpegQuality: request.jpegQuality,
    widthPixels: request.widthPixels,
    heightPixels: request.heightPixels,
  };
}

/**
 * The output size: both sides → exactly that (stretched); height alone → the width that keeps
 * the upright display aspect ratio; neither → the upright display size.
 */
function outputSize(request: GetImagesRequest): Size | ((natural: Size) => Size) | undefined {
  const { widthPixels: width, heightPixels: height } = request;
  if (height === undefined) return undefined;
  if (width !== undefined) return { width, height };
  return (natural) => ({ width: Math.max(1, Math.round((height * natural.width) / natural.height)), height });
}
