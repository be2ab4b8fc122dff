/**
 * From a decoded frame to the picture a user asked for: RGBA, upright as players show it (pixel
 * aspect ratio and track rotation applied), at the wanted size.
 */
import type { Rotation } from '../demux/video-track.js';
import { displaySize, preRotationSize, type AspectRatio, type Size } from './display-geometry.js';
import { encodeJpeg } from './encode.js';
import { encodeJpegFromYuvInSlices, hasDirectJfifConversion, rawFrameToJfif420 } from './jpeg/index.js';
import type { RawVideoFrame } from './raw-frame.js';
import { resample } from './resample.js';
import type { RgbaImage } from './rgba-image.js';
import { rotate } from './rotate.js';
import { shrinkYuv } from './shrink-yuv.js';
import { yuvToRgba } from './yuv-to-rgba.js';

/** An encoded picture and its size. */
export interface EncodedImage {
  readonly width: number;
  readonly height: number;
  /** The encoded file's bytes. */
  readonly data: Uint8Array;
}

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

/** The rotation to apply and the size to resample to before it. */
function layout(frame: RawVideoFrame, options: RenderOptions): { rotation: Rotation; beforeRotation: Size } {
  const coded = { width: frame.width, height: frame.height };
  const rotation = options.upright ? options.rotation : 0;
  const natural = options.upright ? displaySize(coded, options.sampleAspectRatio, rotation) : coded;
  const wanted = typeof options.size === 'function' ? options.size(natural) : (options.size ?? natural);
  return { rotation, beforeRotation: preRotationSize(wanted, rotation) };
}

/**
 * Resamples, converts, then rotates: resampling before the (lossless) rotation keeps the
 * filter working along the picture's own rows. A shrinking 8-bit planar frame is resampled
 * plane by plane before conversion (`shrinkYuv`); anything else is converted first and
 * resampled as RGBA.
 */
export function renderFrame(frame: RawVideoFrame, options: RenderOptions): RgbaImage {
  return renderLaidOut(frame, layout(frame, options));
}

/** {@link renderFrame} once the layout is known. */
function renderLaidOut(frame: RawVideoFrame, { rotation, beforeRotation }: ReturnType<typeof layout>): RgbaImage {
  const shrunk = shrinkYuv(frame, beforeRotation.width, beforeRotation.height);
  let image = yuvToRgba(shrunk ?? frame);
  if (beforeRotation.width !== image.width || beforeRotation.height !== image.height) {
    image = resample(image, beforeRotation.width, beforeRotation.height);
  }
  return rotation === 0 ? image : rotate(image, rotation);
}

/**
 * {@link renderFrame} then JPEG, at `quality`; JPEG has no alpha, so an alpha plane is left out
 * and the JPEG shows the colour planes alone. A frame that needs no resampling or rotation and
 * is 8-bit 4:2:0 goes straight from the decoder's planes to a 4:2:0 JPEG (a matrix and range
 * change, no RGB round trip, about a third less work, and no chroma lost that the video had).
 * Any other frame is rendered to RGBA and encoded 4:4:4, as `encodeJpeg` does, since
 * resampling or rotation gives it chroma at full resolution. Both routes are deterministic.
 * The direct route awaits `pause()` every few milliseconds of encoding (see
 * `encodeJpegFromYuvInSlices`): batches encode on the thread that keeps the engine fed.
 */
export async function renderJpeg(frame: RawVideoFrame, options: RenderOptions, quality: number, pause: () => Promise<void>): Promise<EncodedImage> {
  const laidOut = layout(frame, options);
  const { rotation, beforeRotation } = laidOut;
  const direct =
    rotation === 0 &&
    beforeRotation.width === frame.width &&
    beforeRotation.height === frame.height &&
    hasDirectJfifConversion(frame.pixelFormat);
  if (direct) return { width: frame.width, height: frame.height, data: await encodeJpegFromYuvInSlices(rawFrameToJfif420(frame), quality, pause) };
  const image = renderLaidOut(frame, laidOut);
  return { width: image.width, height: image.height, data: encodeJpeg(image, quality) };
}
