/**
 * Shrinking a decoded picture before colour conversion: each plane of an 8-bit planar Y'CbCr
 * frame is resampled straight to the output size, so only the output's pixels are converted
 * to RGB. For a 1080p frame made into a thumbnail that is a fraction of the work of converting
 * all 2 million pixels and then resampling four channels. Chroma goes to the full output size
 * (4:4:4): a thumbnail keeps all the colour detail the video had.
 */
import type { RawVideoFrame } from './raw-frame.js';
import { resamplePlane } from './resample.js';

/** The 8-bit planar formats, their chroma subsampling (log2) and their 4:4:4 counterpart. */
const PLANAR_8BIT: Readonly<Record<string, { hShift: number; vShift: number; full444: string }>> = {
  yuv420p: { hShift: 1, vShift: 1, full444: 'yuv444p' },
  yuvj420p: { hShift: 1, vShift: 1, full444: 'yuvj444p' },
  yuv422p: { hShift: 1, vShift: 0, full444: 'yuv444p' },
  yuvj422p: { hShift: 1, vShift: 0, full444: 'yuvj444p' },
  yuv444p: { hShift: 0, vShift: 0, full444: 'yuv444p' },
  yuvj444p: { hShift: 0, vShift: 0, full444: 'yuvj444p' },
};

/**
 * `frame` resampled to `width` × `height` as a 4:4:4 frame of the same range and matrix, or
 * `undefined` when that would not save work (the output is not smaller than the picture) or
 * the format is not 8-bit planar (the caller then converts first and resamples RGBA).
 */
export function shrinkYuv(frame: RawVideoFrame, width: number, height: number): RawVideoFrame | undefined {
  const layout = Object.prototype.hasOwnProperty.call(PLANAR_8BIT, frame.pixelFormat) ? PLANAR_8BIT[frame.pixelFormat]! : undefined;
  if (!layout || width * height >= frame.width * frame.height) return undefined;
  const cw = (frame.width + (1 << layout.hShift) - 1) >> layout.hShift;
  const ch = (frame.height + (1 << layout.vShift) - 1) >> layout.vShift;
  const luma = frame.width * frame.height;
  const chroma = cw * ch;
  if (frame.data.length !== luma + 2 * chroma) return undefined;
  const out = new Uint8Array(width * height * 3);
  out.set(resamplePlane(frame.data.subarray(0, luma), frame.width, frame.height, width, height), 0);
  out.set(resamplePlane(frame.data.subarray(luma, luma + chroma), cw, ch, width, height), width * height);
  out.set(resamplePlane(frame.data.subarray(luma + chroma), cw, ch, width, height), 2 * width * height);
  return { ...frame, width, height, pixelFormat: layout.full444, data: out };
}
