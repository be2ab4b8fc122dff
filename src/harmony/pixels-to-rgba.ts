/**
 * Turning a PixelMap's pixels back into RGBA, which is what the image encoders take. The
 * forward direction lives in `src/image/pixel-formats.ts`; the layouts here must mirror it.
 */
import type { RgbaImage } from '../image/rgba-image.js';
import { PixelFormat } from './media-types.js';

/**
 * RGBA pixels of a picture stored as `format`.
 *
 * Layouts: RGBA_8888 is returned as is (no copy); RGB_888 is 3 bytes R, G, B; RGB_565 is one
 * little-endian 16-bit word per pixel with red in the top 5 bits, green in the middle 6 and blue
 * in the low 5 (Skia's and HarmonyOS's RGB_565). Components are widened by replicating their
 * top bits, so 0 stays 0 and the maximum becomes 255. RGB_888 and RGB_565 carry no alpha: their
 * pixels come out opaque (255).
 */
export function pixelsToRgba(data: Uint8Array, width: number, height: number, format: PixelFormat): RgbaImage {
  const count = width * height;
  if (format === PixelFormat.RGBA_8888) return { width, height, data };
  const out = new Uint8Array(count * 4);
  if (format === PixelFormat.RGB_888) {
    for (let i = 0, o = 0; i < count * 3; i += 3, o += 4) {
      out[o] = data[i]!;
      out[o + 1] = data[i + 1]!;
      out[o + 2] = data[i + 2]!;
      out[o + 3] = 255;
    }
    return { width, height, data: out };
  }
  for (let i = 0, o = 0; i < count * 2; i += 2, o += 4) {
    const word = data[i]! | (data[i + 1]! << 8);
    const r = word >>> 11;
    const g = (word >>> 5) & 0x3f;
    const b = word & 0x1f;
    out[o] = (r << 3) | (r >>> 2);
    out[o + 1] = (g << 2) | (g >>> 4);
    out[o + 2] = (b << 3) | (b >>> 2);
    out[o + 3] = 255;
  }
  return { width, height, data: out };
}
