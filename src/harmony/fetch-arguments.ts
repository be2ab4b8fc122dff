/**
 * Checking and normalising the arguments of the two fetch methods. HarmonyOS reports every
 * malformed argument as error 401 through the callback or promise, before looking at the
 * generator's state; doing all checks here, up front, keeps that order in one place.
 */
import type { Size } from '../image/display-geometry.js';
import type { QueryMode } from '../seek/query-mode.js';
import { parameterError } from './business-error.js';
import { AVImageQueryOptions, bytesPerPixel, PixelFormat } from './media-types.js';
import { checkPixelBudget, outputSizeSize, pixelMapParamsSize } from './output-size.js';

/** A fetch, validated: everything the core needs plus the pixel format to deliver. */
export interface FrameRequest {
  /** Requested time in microseconds, a non-negative integer. */
  readonly timeUs: number;
  /** The core's name for the query option. */
  readonly mode: QueryMode;
  /** Output size as a function of the frame's upright display size. */
  readonly size: (natural: Size) => Size;
  /** Pixel layout of the resulting PixelMap. */
  readonly format: PixelFormat;
}

const MODES: Record<AVImageQueryOptions, QueryMode> = {
  [AVImageQueryOptions.AV_IMAGE_QUERY_NEXT_SYNC]: 'next-sync',
  [AVImageQueryOptions.AV_IMAGE_QUERY_PREVIOUS_SYNC]: 'previous-sync',
  [AVImageQueryOptions.AV_IMAGE_QUERY_CLOSEST_SYNC]: 'closest-sync',
  [AVImageQueryOptions.AV_IMAGE_QUERY_CLOSEST]: 'closest',
};

/** Validates `fetchFrameByTime(timeUs, options, param)`; throws a 401 `BusinessError`. */
export function parseFetchFrameArgs(timeUs: unknown, options: unknown, param: unknown): FrameRequest {
  const time = checkTime(timeUs);
  const mode = checkMode(options, 'options');
  if (!isObject(param)) throw parameterError(`param must be a PixelMapParams object, got ${describe(param)}`);
  const width = optionalSide(param, 'width', 'param');
  const height = optionalSide(param, 'height', 'param');
  const format = checkColorFormat(param['colorFormat']);
  // Never larger than the original, so no pixel budget check is needed.
  return { timeUs: time, mode, format, size: (natural) => pixelMapParamsSize(natural, width, height) };
}

/** Validates `fetchScaledFrameByTime(timeUs, queryMode, outputSize?)`; throws a 401 `BusinessError`. */
export function parseFetchScaledFrameArgs(timeUs: unknown, queryMode: unknown, outputSize: unknown): FrameRequest {
  const time = checkTime(timeUs);
  const mode = checkMode(queryMode, 'queryMode');
  // `undefined` is the same as leaving the optional argument out.
  if (outputSize !== undefined && !isObject(outputSize)) {
    throw parameterError(`outputSize must be an OutputSize object, got ${describe(outputSize)}`);
  }
  const width = outputSize === undefined ? undefined : optionalSide(outputSize, 'width', 'outputSize');
  const height = outputSize === undefined ? undefined : optionalSide(outputSize, 'height', 'outputSize');
  const format = PixelFormat.RGBA_8888;
  return {
    timeUs: time,
    mode,
    format,
    size: (natural) => checkPixelBudget(outputSizeSize(natural, width, height), bytesPerPixel(format)),
  };
}

function checkTime(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw parameterError(`timeUs must be a finite number of microseconds >= 0, got ${describe(value)}`);
  }
  // The platform reads timeUs as a 64-bit integer.
  return Math.trunc(value);
}

function checkMode(value: unknown, name: string): QueryMode {
  const mode = typeof value === 'number' ? MODES[value as AVImageQueryOptions] : undefined;
  if (mode === undefined) {
    throw parameterError(`${name} must be an AVImageQueryOptions value (0, 1, 2 or 3), got ${describe(value)}`);
  }
  return mode;
}

function optionalSide(holder: Record<string, unknown>, key: 'width' | 'height', owner: string): number | undefined {
  const value = holder[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw parameterError(`${owner}.${key} must be a finite number, got ${describe(value)}`);
  }
  // The platform reads sizes as 32-bit integers, dropping any fraction.
  return Math.trunc(value);
}

function checkColorFormat(value: unknown): PixelFormat {
  if (value === undefined) return PixelFormat.RGBA_8888;
  if (value === PixelFormat.RGB_565 || value === PixelFormat.RGBA_8888 || value === PixelFormat.RGB_888) return value;
  throw parameterError(
    `param.colorFormat must be RGB_565 (2), RGBA_8888 (3) or RGB_888 (5), got ${describe(value)}`,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
