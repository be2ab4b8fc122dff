/**
 * Shrinking a decoded picture before colour conversion: each plane of an 8-bit planar Y'CbCr
 * frame is resampled straight to the output size, so only the output's pixels are converted
 * to RGB. For a 1080p frame made into a thumbnail that is a fraction of the work of converting
 * all 2 million pixels and then resampling four channels. Chroma goes to the full output size
 * (4:4:4): a thumbnail keeps all the colour detail the video had.
 */
import type { RawVideoFrame } from './raw-frame.js';
import { resamplePlane } from './resample.js';
import { chromaSize, planarLayout8 } from './yuv-to-rgba.js';

/**
 * `frame` resampled to `width` × `height` as a 4:4:4 frame of the same range and matrix, or
 * `undefined` when that would not save work (the output is not smaller than the picture) or
 * the format is not 8-bit planar (the caller then converts first and resamples RGBA).
 */
export function shrinkYuv(frame: RawVideoFrame, width: number, height: number): RawVideoFrame | undefined {
  const layout = planarLayout8(frame.pixelFormat);
  if (!layout || width * height >= frame.width * frame.height) return undefined;
  const { cw, ch } = chromaSize(layout, frame.width, frame.height);
  const luma = frame.width * frame.height;
  const chroma = cw * ch;
  if (frame.data.length !== luma + 2 * chroma) return undefined;
  const out = new Uint8Array(width * height * 3);
  out.set(resamplePlane(frame.data.subarray(0, luma), frame.width, frame.height, width, height), 0);
  out.set(resamplePlane(frame.data.subarray(luma, luma + chroma), cw, ch, width, height), width * height);
  out.set(resamplePlane(frame.data.subarray(luma + chroma), cw, ch, width, height), 2 * width * height);
  return { ...frame, width, height, pixelFormat: layout.forceFull ? 'yuvj444p' : 'yuv444p', data: out };
}
