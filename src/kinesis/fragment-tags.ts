/**
 * Kinesis Video Streams fragments as the service stores and hands them out (GetMedia,
 * GetMediaForFragmentList): Matroska files whose tags say when the fragment starts, by the
 * producer's clock and by the server's. A catalog may list such fragments without times;
 * {@link withFragmentTagTimes} reads the times from the fragments themselves.
 */
import { mapConcurrently } from '../concurrency.js';
import { invalidArgument } from '../errors.js';
import type { Catalog, FragmentEntry, StreamEntry } from './catalog.js';
import { openFragmentVideo, type SourceOpener } from './source-opener.js';

/** The tags Kinesis Video Streams puts on each fragment. */
export const KINESIS_FRAGMENT_TAGS = {
  /** The fragment's number, a decimal string. */
  fragmentNumber: 'AWS_KINESISVIDEO_FRAGMENT_NUMBER',
  /** When the fragment starts by the producer's clock: epoch seconds with a decimal fraction. */
  producerTimestamp: 'AWS_KINESISVIDEO_PRODUCER_TIMESTAMP',
  /** When the service received it: epoch seconds with a decimal fraction. */
  serverTimestamp: 'AWS_KINESISVIDEO_SERVER_TIMESTAMP',
} as const;

/**
 * Other names the timestamp tags go by: the Kinesis Video parser library calls them producer-
 * and server-*side* timestamps, and fragments written by tools that followed it carry those.
 */
const TAG_ALIASES: Readonly<Record<string, string>> = {
  [KINESIS_FRAGMENT_TAGS.producerTimestamp]: 'AWS_KINESISVIDEO_PRODUCER_SIDE_TIMESTAMP',
  [KINESIS_FRAGMENT_TAGS.serverTimestamp]: 'AWS_KINESISVIDEO_SERVER_SIDE_TIMESTAMP',
};

/** Fragments opened at once by {@link withFragmentTagTimes} unless told otherwise. */
const DEFAULT_CONCURRENCY = 4;

/** The latest instant a `Date` can hold, in epoch milliseconds. */
const MAX_DATE_MS = 8.64e15;

/**
 * Epoch milliseconds of a Kinesis Video timestamp tag (`"1795255200.123"`), rounded up to the
 * millisecond (as the Kinesis Video parser library means to, though it rounds through a float);
 * `undefined` when the value is not a decimal number of seconds a `Date` can hold. Read from the
 * digits, not through a float, so that no millisecond is lost.
 */
export function kinesisTimestampMs(value: string): number | undefined {
  const match = /^\s*(\d{1,13})(?:\.(\d*))?\s*$/.exec(value);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  const roundUp = /[1-9]/.test(fraction.slice(3)) ? 1 : 0;
  const ms = Number(match[1]) * 1000 + Number(fraction.slice(0, 3).padEnd(3, '0')) + roundUp;
  return ms <= MAX_DATE_MS ? ms : undefined;
}

/** Options of {@link withFragmentTagTimes}. */
export interface FragmentTagTimesOptions {
  /** How `source` strings are opened; default: URLs by HTTP, paths by the runtime's registered opener. */
  readonly openSource?: SourceOpener;
  /** Fragments opened at once. Default 4. */
  readonly concurrency?: number;
}

/**
 * The catalog with every fragment that gives no `producerStartTime` completed from the
 * fragment's Kinesis Video tags: `producerStartTime` from `AWS_KINESISVIDEO_PRODUCER_TIMESTAMP`
 * and, unless given, `serverStartTime` from `AWS_KINESISVIDEO_SERVER_TIMESTAMP` (else the
 * producer time). Fragments with times are not opened. The catalog passed in is not changed.
 *
 * @throws StillframeError `'invalid-argument'` naming the fragment when it lacks the producer
 *   timestamp tag or its value is not a time; the fragment's own error (`'io'`, `'unsupported'`)
 *   when it cannot be opened.
 */
export async function withFragmentTagTimes(catalog: Catalog, options: FragmentTagTimesOptions = {}): Promise<Catalog> {
  if (!catalog || !Array.isArray(catalog.streams)) return catalog;
  const pending = catalog.streams.flatMap((stream, s) =>
    Array.isArray(stream?.fragments) ? stream.fragments.flatMap((fragment, f) => (needsTagTimes(fragment) ? [{ s, f, fragment }] : [])) : [],
  );
  const completed = new Map<FragmentEntry, FragmentEntry>();
  await mapConcurrently(pending, options.concurrency ?? DEFAULT_CONCURRENCY, async ({ s, f, fragment }) => {
    completed.set(fragment, await completeFromTags(fragment, `streams[${s}].fragments[${f}]`, options.openSource));
  });
  const streams = catalog.streams.map((stream): StreamEntry =>
    Array.isArray(stream?.fragments) ? { ...stream, fragments: stream.fragments.map((fragment) => completed.get(fragment) ?? fragment) } : stream,
  );
  return { ...catalog, streams };
}

function needsTagTimes(fragment: FragmentEntry | undefined): fragment is FragmentEntry {
  return typeof fragment === 'object' && fragment !== null && fragment.producerStartTime === undefined && fragment.source !== undefined;
}

async function completeFromTags(fragment: FragmentEntry, where: string, openSource: SourceOpener | undefined): Promise<FragmentEntry> {
  const video = await openFragmentVideo({ source: fragment.source, label: `catalog ${where}` }, openSource);
  const { tags } = video.info;
  await video.close();
  const producerMs = tagTime(tags, KINESIS_FRAGMENT_TAGS.producerTimestamp, where);
  if (producerMs === undefined) {
    throw invalidArgument(`catalog: ${where} gives no producerStartTime and its media has no ${KINESIS_FRAGMENT_TAGS.producerTimestamp} tag`);
  }
  const serverMs = tagTime(tags, KINESIS_FRAGMENT_TAGS.serverTimestamp, where);
  return {
    ...fragment,
    producerStartTime: new Date(producerMs),
    serverStartTime: fragment.serverStartTime ?? (serverMs === undefined ? undefined : new Date(serverMs)),
  };
}

/** A timestamp tag (under its name or its alias) in epoch milliseconds; `undefined` when absent. */
function tagTime(tags: ReadonlyMap<string, string>, name: string, where: string): number | undefined {
  const value = tags.get(name) ?? tags.get(TAG_ALIASES[name]!);
  if (value === undefined) return undefined;
  const ms = kinesisTimestampMs(value);
  if (ms === undefined) throw invalidArgument(`catalog: ${where}: the ${name} tag is not a time in seconds: ${JSON.stringify(value)}`);
  return ms;
}
