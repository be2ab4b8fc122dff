/**
 * The pure-TypeScript baseline JPEG encoder: RGBA or JFIF Y'CbCr planes in, JFIF bytes out,
 * identical on every JavaScript engine.
 */

export { encodeJpegFromRgba, encodeJpegFromYuv, encodeJpegFromYuvInSlices, type JpegEncodeOptions, type JpegSubsampling } from './jpeg-encoder.js';
export { rgbaToJfif420, rgbaToJfif444 } from './rgba-to-jfif.js';
export type { JfifYcbcr420 } from './ycbcr-planes.js';
export { hasDirectJfifConversion, rawFrameToJfif420, yuv420ToJfif } from './yuv-to-jfif.js';
