/**
 * From a decoded frame to the picture a user asked for: RGBA, upright as players show it (pixel
 * aspect ratio and track rotation applied), at the wanted size.
 */
import type { Rotation } from '../demux/video-track.js';
import { displaySize, preRotationSize, type AspectRatio, type Size } from './display-geometry.js';
import type { RawVideoFrame } from './raw-frame.js';
import { resample } from './resample.js';
import type { RgbaImage } from './rgba-image.js';
import { rotate } from './rotate.js';
import { yuvToRgba } from './yuv-to-rgba.js';

/** How to render a frame. */
export interface RenderOptions {
  /** The track's rotation. */
  readonly rotation: Rotation;
  /** The decoder's pixel aspect ratio. */
  readonly sampleAspectRatio: AspectRatio;
  /** Apply the aspect ratio and rotation. When false the coded picture is the natural one. */
  readonly upright: boolean;
  /** A fixed size, or a function of the natural size; default the natural size. */
  readonly size?: Size | ((natural: Size) => Size);
}

/**
 * Converts, resamples, then rotates: resampling before the (lossless) rotation keeps the
 * filter working along the picture's own rows.
 */
export function renderFrame(frame: RawVideoFrame, options: RenderOptions): RgbaImage {
  const coded = { width: frame.width, height: frame.height };
  const rotation = options.upright ? options.rotation : 0;
  const natural = options.upright ? displaySize(coded, options.sampleAspectRatio, rotation) : coded;
  const wanted = typeof options.size === 'function' ? options.size(natural) : (options.size ?? natural);
  const beforeRotation = preRotationSize(wanted, rotation);
  let image = yuvToRgba(frame);
  if (beforeRotation.width !== image.width || beforeRotation.height !== image.height) {
    image = resample(image, beforeRotation.width, beforeRotation.height);
  }
  return rotation === 0 ? image : rotate(image, rotation);
}
