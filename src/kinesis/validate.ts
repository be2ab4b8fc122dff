/**
 * Every rule a GetImages request must satisfy before any media is touched, each failing with the
 * exception the service raises and a message naming the field and what is wrong with it.
 *
 * Which exception: the service model lists InvalidArgumentException ("a specified parameter
 * exceeds its restrictions, is not supported, or can't be used") as the operation's error for
 * bad parameters, so every rule raises it — including the model's ranges (WidthPixels 1–3840,
 * HeightPixels 1–2160, MaxResults 1–100, NextToken pattern and length) and the 300 s range, for
 * which the API reference says "IllegalArgumentException", a name that is not a shape of the model
 * (the SDK could not raise it as a class). The single exception is `WidthPixels` without
 * `HeightPixels`, for which the API reference names ValidationException.
 *
 * `SamplingInterval` is required, as in the API reference this library follows (the current SDK
 * types it optional); its minimum is the reference's 3000 ms, a soft limit a server may lower.
 */
import { MAX_ARN_LENGTH, STREAM_ARN_PATTERN, STREAM_NAME_PATTERN } from './catalog.js';
import { InvalidArgumentException, ValidationException } from './errors.js';
import type { Format, GetImagesInput, ImageSelectorType } from './get-images-types.js';

/** Default smallest `SamplingInterval`, in milliseconds (the API reference's soft limit). */
export const DEFAULT_MIN_SAMPLING_INTERVAL_MS = 3000;
/** Longest time between `StartTimestamp` and `EndTimestamp`, in milliseconds. */
export const MAX_RANGE_MS = 300_000;
/** `MaxResults` when the request does not say. */
export const DEFAULT_MAX_RESULTS = 100;
/** Largest `MaxResults`. */
export const MAX_MAX_RESULTS = 100;
/** JPEG quality when `FormatConfig` does not say. */
export const DEFAULT_JPEG_QUALITY = 80;
/** Largest `WidthPixels`. */
export const MAX_WIDTH_PIXELS = 3840;
/** Largest `HeightPixels`. */
export const MAX_HEIGHT_PIXELS = 2160;
/** Longest `NextToken`, in characters. */
export const MAX_NEXT_TOKEN_LENGTH = 4096;
/** Largest `SamplingInterval` (the model's integer is 32-bit). */
const MAX_SAMPLING_INTERVAL_MS = 2 ** 31 - 1;

const SELECTORS: readonly ImageSelectorType[] = ['PRODUCER_TIMESTAMP', 'SERVER_TIMESTAMP'];
const FORMATS: readonly Format[] = ['JPEG', 'PNG'];
const REQUIRED = ['ImageSelectorType', 'StartTimestamp', 'EndTimestamp', 'SamplingInterval', 'Format'] as const;
/** The model's `NextToken` pattern: standard base64. */
const NEXT_TOKEN_PATTERN = /^[a-zA-Z0-9+/]+={0,2}$/;
/** An integer from 1 to 100 written plainly (no sign, no leading zero, no fraction). */
const JPEG_QUALITY_PATTERN = /^(100|[1-9][0-9]?)$/;

/** A GetImages request once checked: times in whole epoch milliseconds, defaults applied. */
export interface GetImagesRequest {
  /** Exactly one of the two is set. */
  readonly streamName: string | undefined;
  readonly streamArn: string | undefined;
  readonly selector: ImageSelectorType;
  readonly startMs: number;
  readonly endMs: number;
  readonly intervalMs: number;
  readonly format: Format;
  /** 1–100; only meaningful for JPEG. */
  readonly jpegQuality: number;
  /** Both set (stretch), height alone (keep aspect), or neither (natural size). */
  readonly widthPixels: number | undefined;
  readonly heightPixels: number | undefined;
  readonly maxResults: number;
  readonly nextToken: string | undefined;
}

/** Server-side settings the rules depend on. */
export interface ValidationOptions {
  /** Smallest `SamplingInterval` accepted, in milliseconds. Default 3000. */
  readonly minSamplingIntervalMs?: number;
}

/**
 * Checks a GetImages input and returns it normalized.
 * @throws InvalidArgumentException for every rule but one; ValidationException for
 *   `WidthPixels` without `HeightPixels`.
 */
export function validateGetImagesInput(input: GetImagesInput, options: ValidationOptions = {}): GetImagesRequest {
  if (!input || typeof input !== 'object') throw new InvalidArgumentException('The request must be a GetImages input object');
  // JSON bodies may carry `null` for an absent member; treat it as absent.
  const get = <K extends keyof GetImagesInput>(key: K): GetImagesInput[K] | undefined => input[key] ?? undefined;

  const missing = REQUIRED.filter((key) => get(key) === undefined);
  if (missing.length > 0) {
    throw new InvalidArgumentException(`Missing required parameter${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  }

  const streamName = get('StreamName');
  const streamArn = get('StreamARN');
  if (streamName !== undefined && streamArn !== undefined) {
    throw new InvalidArgumentException('Specify either StreamName or StreamARN, not both');
  }
  if (streamName === undefined && streamArn === undefined) {
    throw new InvalidArgumentException('Specify either StreamName or StreamARN');
  }
  if (streamName !== undefined && (typeof streamName !== 'string' || !STREAM_NAME_PATTERN.test(streamName))) {
    throw new InvalidArgumentException(`StreamName must be 1 to 256 characters of [a-zA-Z0-9_.-], got ${describe(streamName)}`);
  }
  if (
    streamArn !== undefined &&
    (typeof streamArn !== 'string' || streamArn.length > MAX_ARN_LENGTH || !STREAM_ARN_PATTERN.test(streamArn))
  ) {
    throw new InvalidArgumentException(`StreamARN is not a valid Kinesis Video stream ARN: ${describe(streamArn)}`);
  }

  const selector = get('ImageSelectorType')!;
  if (!SELECTORS.includes(selector)) {
    throw new InvalidArgumentException(`ImageSelectorType must be PRODUCER_TIMESTAMP or SERVER_TIMESTAMP, got ${describe(selector)}`);
  }
  const format = get('Format')!;
  if (!FORMATS.includes(format)) throw new InvalidArgumentException(`Format must be JPEG or PNG, got ${describe(format)}`);

  const startMs = timestampMs(get('StartTimestamp'), 'StartTimestamp');
  const endMs = timestampMs(get('EndTimestamp'), 'EndTimestamp');
  if (endMs < startMs) throw new InvalidArgumentException('EndTimestamp must not be before StartTimestamp');
  if (endMs - startMs > MAX_RANGE_MS) {
    throw new InvalidArgumentException(
      `The range from StartTimestamp to EndTimestamp must be at most 300 seconds, got ${(endMs - startMs) / 1000} seconds`,
    );
  }

  const minInterval = options.minSamplingIntervalMs ?? DEFAULT_MIN_SAMPLING_INTERVAL_MS;
  const intervalMs = get('SamplingInterval');
  if (typeof intervalMs !== 'number' || !Number.isInteger(intervalMs) || intervalMs > MAX_SAMPLING_INTERVAL_MS) {
    throw new InvalidArgumentException(`SamplingInterval must be an integer number of milliseconds, got ${describe(intervalMs)}`);
  }
  if (intervalMs < minInterval) {
    throw new InvalidArgumentException(`SamplingInterval must be at least ${minInterval} ms, got ${intervalMs}`);
  }

  const jpegQuality = checkFormatConfig(get('FormatConfig'));
  const widthPixels = optionalInteger(get('WidthPixels'), 'WidthPixels', 1, MAX_WIDTH_PIXELS);
  const heightPixels = optionalInteger(get('HeightPixels'), 'HeightPixels', 1, MAX_HEIGHT_PIXELS);
  if (widthPixels !== undefined && heightPixels === undefined) {
    throw new ValidationException('WidthPixels requires HeightPixels: give both, or HeightPixels alone to keep the aspect ratio');
  }
  const maxResults = optionalInteger(get('MaxResults'), 'MaxResults', 1, MAX_MAX_RESULTS) ?? DEFAULT_MAX_RESULTS;

  const nextToken = get('NextToken');
  if (
    nextToken !== undefined &&
    (typeof nextToken !== 'string' || nextToken.length > MAX_NEXT_TOKEN_LENGTH || !NEXT_TOKEN_PATTERN.test(nextToken))
  ) {
    throw new InvalidArgumentException('NextToken is malformed: it must be the NextToken of a previous GetImages response');
  }

  return {
    streamName,
    streamArn,
    selector,
    startMs,
    endMs,
    intervalMs,
    format,
    jpegQuality,
    widthPixels,
    heightPixels,
    maxResults,
    nextToken,
  };
}

/** Checks the smallest minimum a server may configure (positive whole milliseconds). */
export function checkMinSamplingInterval(value: number | undefined): number {
  const min = value ?? DEFAULT_MIN_SAMPLING_INTERVAL_MS;
  if (!Number.isInteger(min) || min < 1) {
    throw new RangeError(`minSamplingIntervalMs must be an integer of at least 1, got ${String(value)}`);
  }
  return min;
}

/**
 * Epoch milliseconds of a timestamp: a `Date`, or seconds since the epoch as the SDK sends them
 * (fractions allowed). Rounded to whole milliseconds, the precision of the service's timestamps,
 * so that all later arithmetic is on integers.
 */
function timestampMs(value: unknown, field: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? Math.round(value * 1000) : NaN;
  if (!Number.isFinite(ms)) {
    throw new InvalidArgumentException(`${field} must be a valid Date or a number of seconds since the epoch, got ${describe(value)}`);
  }
  return ms;
}

/** The JPEG quality `FormatConfig` asks for, or the default. */
function checkFormatConfig(config: unknown): number {
  if (config === undefined) return DEFAULT_JPEG_QUALITY;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new InvalidArgumentException(`FormatConfig must be a map with the key JPEGQuality, got ${describe(config)}`);
  }
  for (const key of Object.keys(config)) {
    if (key !== 'JPEGQuality') throw new InvalidArgumentException(`FormatConfig has an unknown key ${describe(key)}; the only key is JPEGQuality`);
  }
  const quality = (config as Record<string, unknown>).JPEGQuality;
  if (quality === undefined || quality === null) return DEFAULT_JPEG_QUALITY;
  if (typeof quality !== 'string' || !JPEG_QUALITY_PATTERN.test(quality)) {
    throw new InvalidArgumentException(`FormatConfig JPEGQuality must be an integer from 1 to 100 written as a string, got ${describe(quality)}`);
  }
  return Number(quality);
}

function optionalInteger(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentException(`${field} must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

/** A value for a message, short and unambiguous about its type. */
function describe(value: unknown): string {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : 'an invalid Date';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return typeof value;
}
