/**
 * The catalog: which streams exist, and which media files (fragments) hold each stream's video
 * at which times. It replaces what Kinesis Video Streams keeps server-side, so that the GetImages
 * call can run over local archives. A catalog is checked once, when it is resolved; requests
 * then look streams up by name or ARN.
 */
import { invalidArgument } from '../errors.js';
import type { ByteSource } from '../sources/byte-source.js';
import { ResourceNotFoundException } from './errors.js';
import type { ImageSelectorType } from './get-images-types.js';

/** Opens a fragment's media; called lazily, the first time a request needs the fragment. */
export type ByteSourceFactory = () => ByteSource | Promise<ByteSource>;

/** One fragment of a stream: a media file (MP4, fragmented MP4, Matroska, MPEG-TS) and when it starts. */
export interface FragmentEntry {
  /**
   * The media: an `http(s)://` URL, a file path (opened by the runtime's path opener; in a
   * catalog file, relative to the file's folder), or a function that opens it.
   */
  source: string | ByteSourceFactory;
  /**
   * When the fragment's first frame was presented, by the producer's clock: a `Date`, or an
   * ISO 8601 string with a time zone (`2026-11-21T10:00:00Z`). May be left out for a fragment
   * that Kinesis Video Streams tagged (`AWS_KINESISVIDEO_PRODUCER_TIMESTAMP`): run the catalog
   * through `withFragmentTagTimes` (catalog files are), which reads it from the fragment.
   */
  producerStartTime?: Date | string;
  /** The same instant by the server's clock (ingestion time). Default: the producer time. */
  serverStartTime?: Date | string;
  /**
   * How long the fragment's media runs, in milliseconds: from its first frame to the end of its
   * last (Kinesis Video's `FragmentLengthInMilliseconds`; round up). Optional. When given, points
   * at or after start + duration are never looked for in this fragment, so GetImages knows
   * without opening it that it has no media there (a point in a gap or after the stream opens
   * nothing), and a fragment that cannot be opened gives MEDIA_ERROR only within its duration.
   */
  durationMs?: number;
}

/** A stream: a name, optionally an ARN, and its media as an ordered list of fragments. */
export interface StreamEntry {
  /** `[a-zA-Z0-9_.-]{1,256}`, unique in the catalog. */
  name: string;
  /** The stream's ARN (`arn:aws:kinesisvideo:region:account:stream/name/creation-time`), unique in the catalog. */
  arn?: string;
  /** The stream's fragments, in time order. */
  fragments: FragmentEntry[];
}

/** The streams a server knows: the in-code form of a catalog file. */
export interface Catalog {
  streams: StreamEntry[];
}

/** Stream names the service accepts (the model's `StreamName` shape). */
export const STREAM_NAME_PATTERN = /^[a-zA-Z0-9_.-]{1,256}$/;

/** Stream ARNs the service accepts (the model's `ResourceARN` shape, at most 1024 characters). */
export const STREAM_ARN_PATTERN = /^arn:[a-z\d-]+:kinesisvideo:[a-z0-9-]+:[0-9]+:[a-z]+\/[a-zA-Z0-9_.-]+\/[0-9]+$/;

/** Longest ARN the service accepts. */
export const MAX_ARN_LENGTH = 1024;

/** A fragment once checked: start times as epoch milliseconds. */
export interface CatalogFragment {
  /** Unique in its catalog: the key of every per-fragment cache. */
  readonly id: number;
  /** Where it is, for messages: `cam-1 fragment 3`. */
  readonly label: string;
  readonly source: string | ByteSourceFactory;
  readonly producerStartMs: number;
  readonly serverStartMs: number;
  /** The catalog's `durationMs`, if given. */
  readonly durationMs: number | undefined;
}

/** A stream once checked. */
export interface CatalogStream {
  readonly name: string;
  readonly arn: string | undefined;
  /** Fragments in catalog order. */
  readonly fragments: readonly CatalogFragment[];
  /** The longest `durationMs` of its fragments, 0 if none gives one. */
  readonly longestDurationMs: number;
  /**
   * Fragments sorted by their start time on the selector's clock; equal starts keep catalog
   * order, so the later-listed (newer) fragment comes last.
   */
  byStart(selector: ImageSelectorType): readonly CatalogFragment[];
}

/** The start time of `fragment` on the selector's clock, in epoch milliseconds. */
export function fragmentStartMs(fragment: CatalogFragment, selector: ImageSelectorType): number {
  return selector === 'SERVER_TIMESTAMP' ? fragment.serverStartMs : fragment.producerStartMs;
}

/**
 * A checked catalog with lookups by name and ARN. Build it with {@link resolveCatalog}; the
 * source catalog object is not read again, so later changes to it have no effect.
 */
export class ResolvedCatalog {
  /** Every stream, in catalog order. */
  readonly streams: readonly CatalogStream[];
  private readonly byName = new Map<string, CatalogStream>();
  private readonly byArn = new Map<string, CatalogStream>();

  /** @internal Use {@link resolveCatalog}. */
  constructor(catalog: Catalog) {
    if (!catalog || typeof catalog !== 'object' || !Array.isArray(catalog.streams)) {
      throw invalidArgument('catalog: expected an object with a "streams" array');
    }
    let nextId = 0;
    this.streams = catalog.streams.map((entry, s) => {
      const stream = checkStream(entry, `streams[${s}]`, () => nextId++);
      if (this.byName.has(stream.name)) throw invalidArgument(`catalog: streams[${s}]: the name '${stream.name}' is used twice`);
      this.byName.set(stream.name, stream);
      if (stream.arn !== undefined) {
        if (this.byArn.has(stream.arn)) throw invalidArgument(`catalog: streams[${s}]: the ARN '${stream.arn}' is used twice`);
        this.byArn.set(stream.arn, stream);
      }
      return stream;
    });
  }

  /**
   * The stream with this name or ARN (the caller has checked that exactly one is given).
   * @throws ResourceNotFoundException when the catalog has no such stream.
   */
  find(ref: { name?: string | undefined; arn?: string | undefined }): CatalogStream {
    const stream = ref.name !== undefined ? this.byName.get(ref.name) : ref.arn !== undefined ? this.byArn.get(ref.arn) : undefined;
    if (stream) return stream;
    throw new ResourceNotFoundException(
      ref.name !== undefined ? `Stream '${ref.name}' not found` : `Stream with ARN '${ref.arn ?? ''}' not found`,
    );
  }
}

/**
 * Checks a catalog and indexes its streams by name and ARN.
 * @throws StillframeError `'invalid-argument'` naming the offending entry (bad or duplicate
 *   name or ARN, missing source, a time that is not a valid instant).
 */
export function resolveCatalog(catalog: Catalog): ResolvedCatalog {
  return new ResolvedCatalog(catalog);
}

function checkStream(entry: StreamEntry, where: string, newId: () => number): CatalogStream {
  if (!entry || typeof entry !== 'object') throw invalidArgument(`catalog: ${where}: expected an object`);
  const { name, arn, fragments } = entry;
  if (typeof name !== 'string' || !STREAM_NAME_PATTERN.test(name)) {
    throw invalidArgument(`catalog: ${where}.name must match [a-zA-Z0-9_.-]{1,256}, got ${JSON.stringify(name)}`);
  }
  if (arn !== undefined && (typeof arn !== 'string' || arn.length > MAX_ARN_LENGTH || !STREAM_ARN_PATTERN.test(arn))) {
    // An ARN the service's pattern rejects could never be asked for: refuse it now, not silently.
    throw invalidArgument(`catalog: ${where}.arn is not a Kinesis Video stream ARN: ${JSON.stringify(arn)}`);
  }
  if (!Array.isArray(fragments)) throw invalidArgument(`catalog: ${where}.fragments must be an array`);
  const checked = fragments.map((fragment, f) => checkFragment(fragment, `${where}.fragments[${f}]`, `${name} fragment ${f}`, newId()));
  const sorted = new Map<ImageSelectorType, CatalogFragment[]>();
  return {
    name,
    arn,
    fragments: checked,
    // reduce, not Math.max(...list): a stream may have more fragments than a call takes arguments.
    longestDurationMs: checked.reduce((longest, fragment) => Math.max(longest, fragment.durationMs ?? 0), 0),
    byStart(selector) {
      let list = sorted.get(selector);
      if (!list) {
        // Array.prototype.sort is stable: equal starts keep catalog order.
        list = [...checked].sort((a, b) => fragmentStartMs(a, selector) - fragmentStartMs(b, selector));
        sorted.set(selector, list);
      }
      return list;
    },
  };
}

function checkFragment(entry: FragmentEntry, where: string, label: string, id: number): CatalogFragment {
  if (!entry || typeof entry !== 'object') throw invalidArgument(`catalog: ${where}: expected an object`);
  const { source } = entry;
  if (!(typeof source === 'function' || (typeof source === 'string' && source.length > 0))) {
    throw invalidArgument(`catalog: ${where}.source must be a non-empty string or a function`);
  }
  if (entry.producerStartTime === undefined) {
    throw invalidArgument(`catalog: ${where}.producerStartTime is missing (a fragment tagged by Kinesis Video Streams can have it read from its tags: withFragmentTagTimes)`);
  }
  const producerStartMs = instantMs(entry.producerStartTime, `${where}.producerStartTime`);
  const serverStartMs =
    entry.serverStartTime === undefined ? producerStartMs : instantMs(entry.serverStartTime, `${where}.serverStartTime`);
  const { durationMs } = entry;
  if (durationMs !== undefined && !(typeof durationMs === 'number' && durationMs > 0 && Number.isFinite(durationMs))) {
    throw invalidArgument(`catalog: ${where}.durationMs must be a positive number of milliseconds, got ${JSON.stringify(durationMs)}`);
  }
  return { id, label, source, producerStartMs, serverStartMs, durationMs };
}

/** ISO 8601 date-time ending in a zone designator (`Z`, `+02:00`, `-0500`). */
const ZONED_ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Epoch milliseconds of a catalog time. */
function instantMs(value: Date | string, where: string): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isFinite(ms)) return ms;
    throw invalidArgument(`catalog: ${where} is an invalid Date`);
  }
  // Without a zone, `Date.parse` reads the string as local time: the same catalog would then
  // place its video at different instants on differently configured servers.
  if (typeof value === 'string' && ZONED_ISO_8601.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  throw invalidArgument(`catalog: ${where} must be a Date or an ISO 8601 time with a zone (e.g. 2026-11-21T10:00:00Z), got ${JSON.stringify(value)}`);
}
