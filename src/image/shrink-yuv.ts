/**
 * Shrinking a decoded picture before colour conversion: each plane of an 8-bit planar Y'CbCr
 * frame is resampled straight to the output size, so only the output's pixels are converted
 * to RGB. For a 1080p frame made into a thumbnail that is a fraction of the work of converting
 * all 2 million pixels and then resampling four channels. Chroma goes to the full output size
 * (4:4:4): a thumbnail keeps all the colour detail the video had. An alpha plane is resampled
 * like the others, not premultiplied, as native ffmpeg's scaler treats `yuva` planes.
 */
import type { RawVideoFrame } from './raw-frame.js';
import { resamplePlane } from './resample.js';
import { chromaSize, planarLayout8 } from './yuv-to-rgba.js';

/**
 * `frame` resampled to `width` × `height` as a 4:4:4 frame of the same range and matrix (with
 * its alpha plane, if it has one), or `undefined` when that would not save work (the output
 * is not smaller than the picture) or the format is not 8-bit planar (the caller then
 * converts first and resamples RGBA).
 */
export function shrinkYuv(frame: RawVideoFrame, width: number, height: number): RawVideoFrame | undefined {
  const layout = planarLayout8(frame.pixelFormat);
  if (!layout || width * height >= frame.width * frame.height) return undefined;
  const { cw, ch } = chromaSize(layout, frame.width, frame.height);
  const luma = { w: frame.width, h: frame.height };
  const chroma = { w: cw, h: ch };
  const planes = layout.alpha ? [luma, chroma, chroma, luma] : [luma, chroma, chroma];
  if (frame.data.length !== planes.reduce((sum, p) => sum + p.w * p.h, 0)) return undefined;
  const out = new Uint8Array(width * height * planes.length);
  let from = 0;
  planes.forEach((p, i) => {
    out.set(resamplePlane(frame.data.subarray(from, from + p.w * p.h), p.w, p.h, width, height), i * width * height);
    from += p.w * p.h;
  });
  const pixelFormat = layout.alpha ? 'yuva444p' : layout.forceFull ? 'yuvj444p' : 'yuv444p';
  return { ...frame, width, height, pixelFormat, data: out };
}
