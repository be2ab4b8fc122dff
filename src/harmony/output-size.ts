/**
 * The two thumbnail size rules of HarmonyOS, as pure functions of the frame's natural size (its
 * upright display size): `PixelMapParams` for `fetchFrameByTime` and `OutputSize` for
 * `fetchScaledFrameByTime`. Kept apart from decoding so every case can be checked by numbers.
 */
import type { Size } from '../image/display-geometry.js';
import { parameterError } from './business-error.js';

/**
 * Largest thumbnail, in bytes of pixels. HarmonyOS caps a serialised PixelMap at 128 MiB (larger
 * ones fail to render); refusing to build one avoids allocating gigabytes for a typo'd size.
 */
export const MAX_PIXEL_BYTES = 128 * 1024 * 1024;

/**
 * The `PixelMapParams` rule: a side in (0, original] is used; any other value (absent, 0,
 * negative, larger than the original) leaves that side at its original length. The sides are
 * independent, as the platform documents and implements it (the native service passes
 * `dstWidth > 0 ? dstWidth : width` per side to its scaler), so the aspect ratio is not kept
 * when only one side is given.
 *
 * @param natural Upright display size of the frame.
 * @param width Requested width (already validated as a number, truncated), or undefined.
 * @param height Requested height, or undefined.
 */
export function pixelMapParamsSize(natural: Size, width: number | undefined, height: number | undefined): Size {
  const side = (wanted: number | undefined, original: number) =>
    wanted !== undefined && wanted > 0 && wanted <= original ? wanted : original;
  return { width: side(width, natural.width), height: side(height, natural.height) };
}

/**
 * The `OutputSize` rule: per side, a negative value keeps the original length, a positive one
 * is used as given, and 0 or no value follows the other side's scale factor (rounded, at least
 * 1 pixel). When neither side gives a factor (both 0/absent, or both negative, or one negative
 * and the other 0/absent) the original size results.
 *
 * @param natural Upright display size of the frame.
 * @param width Requested width (validated, truncated), or undefined.
 * @param height Requested height, or undefined.
 */
export function outputSizeSize(natural: Size, width: number | undefined, height: number | undefined): Size {
  const w = width ?? 0;
  const h = height ?? 0;
  const fixedWidth = w < 0 ? natural.width : w;
  const fixedHeight = h < 0 ? natural.height : h;
  if (fixedWidth > 0 && fixedHeight > 0) return { width: fixedWidth, height: fixedHeight };
  if (fixedWidth > 0) {
    return { width: fixedWidth, height: Math.max(1, Math.round((natural.height * fixedWidth) / natural.width)) };
  }
  if (fixedHeight > 0) {
    return { width: Math.max(1, Math.round((natural.width * fixedHeight) / natural.height)), height: fixedHeight };
  }
  return { width: natural.width, height: natural.height };
}

/**
 * Refuses (401) a size whose pixels would exceed {@link MAX_PIXEL_BYTES}. Only an explicit
 * `OutputSize` can ask for more pixels than the video has, so in practice this catches typos.
 */
export function checkPixelBudget(size: Size, bytesPerPixel: number): Size {
  if (size.width * size.height * bytesPerPixel > MAX_PIXEL_BYTES) {
    throw parameterError(
      `output size ${size.width}x${size.height} needs more than ${MAX_PIXEL_BYTES / (1024 * 1024)} MiB of pixels`,
    );
  }
  return size;
}
