/**
 * Upright display geometry: the size players show a coded picture at, once the pixel aspect
 * ratio and the track's rotation are applied.
 */
import type { Rotation } from '../demux/video-track.js';

/** A width and a height in pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/** A pixel (sample) aspect ratio, width : height of one pixel. */
export interface AspectRatio {
  readonly num: number;
  readonly den: number;
}

/**
 * The upright display size. Anamorphic pixels stretch the width (as ffmpeg and players do: a
 * 640×360 picture with 2:1 pixels shows at 1280×360); a quarter-turn swaps the sides.
 */
export function displaySize(coded: Size, sar: AspectRatio, rotation: Rotation): Size {
  const width = Math.max(1, Math.round((coded.width * sar.num) / sar.den));
  return rotation === 90 || rotation === 270 ? { width: coded.height, height: width } : { width, height: coded.height };
}

/** The size to resample to before rotating, so that the rotated picture is `upright`. */
export function preRotationSize(upright: Size, rotation: Rotation): Size {
  return rotation === 90 || rotation === 270 ? { width: upright.height, height: upright.width } : upright;
}
