/**
 * Quarter-turn rotation of RGBA stills, for video whose track says how to turn it for display.
 */

import { StillframeError } from '../errors.js';
import { assertRgbaImage, type RgbaImage } from './rgba-image.js';

/** A clockwise rotation in degrees that maps pixels onto pixels exactly. */
export type QuarterTurn = 0 | 90 | 180 | 270;

/**
 * Rotates an image **clockwise** by `degrees`, the way a player applies a track's display
 * matrix: `degrees` is the clockwise angle the stored (coded) picture must be turned to
 * appear upright. A phone video recorded in portrait is typically stored landscape with a
 * 90° rotation, i.e. the MP4 `tkhd` matrix `[0 1 0; -1 0 0; …]` and the `rotate=90` tag
 * that ffmpeg reports; `rotate(frame, 90)` then moves the stored top-left corner to the
 * top-right. Note that ffmpeg's `av_display_rotation_get()` returns the opposite
 * (counter-clockwise) angle, so its result must be negated (and taken modulo 360) first.
 *
 * 90° and 270° swap width and height. Always returns a new image (a copy for 0°).
 *
 * @throws StillframeError `invalid-argument` when `degrees` is not 0, 90, 180 or 270, or
 *   `image.data` does not hold `image.width * image.height * 4` bytes.
 */
export function rotate(image: RgbaImage, degrees: QuarterTurn): RgbaImage {
  const { width: w, height: h } = image;
  if (degrees !== 0 && degrees !== 90 && degrees !== 180 && degrees !== 270) {
    throw new StillframeError('invalid-argument', `Rotation must be 0, 90, 180 or 270 degrees, got ${String(degrees)}`);
  }
  assertRgbaImage(image);
  if (degrees === 0) return { width: w, height: h, data: image.data.slice() };

  // Pixels move as whole 32-bit words, which preserves their bytes whatever the host's
  // byte order. A 32-bit view needs 4-byte alignment, so copy the rare unaligned input.
  const input = image.data.byteOffset % 4 === 0 ? image.data : image.data.slice();
  const src = new Uint32Array(input.buffer, input.byteOffset, w * h);
  const out = new Uint8Array(w * h * 4);
  const dst = new Uint32Array(out.buffer);

  if (degrees === 180) {
    // Reading forwards and writing backwards turns the picture upside down and mirrors it.
    for (let i = 0, j = w * h - 1; j >= 0; i++, j--) dst[j] = src[i];
    return { width: w, height: h, data: out };
  }

  // The output is h wide and w tall; walk it row by row so writes are sequential.
  // Clockwise: output (x, y) shows source (y, h-1-x). Counter-clockwise (270° clockwise):
  // output (x, y) shows source (w-1-y, x).
  let o = 0;
  if (degrees === 90) {
    for (let y = 0; y < w; y++) {
      for (let x = 0, s = (h - 1) * w + y; x < h; x++, s -= w) dst[o++] = src[s];
    }
  } else {
    for (let y = 0; y < w; y++) {
      for (let x = 0, s = w - 1 - y; x < h; x++, s += w) dst[o++] = src[s];
    }
  }
  return { width: h, height: w, data: out };
}
