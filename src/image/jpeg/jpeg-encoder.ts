/**
 * Baseline JPEG (JFIF) encoding of RGBA or of JFIF Y'CbCr planes: libjpeg's integer "islow"
 * DCT, IJG quality scaling of the Annex K tables, the standard Huffman tables. Integer
 * arithmetic only in the pixel path, so the bytes are identical on every JavaScript engine.
 */

import { StillframeError } from '../../errors.js';
import { assertRgbaImage, type RgbaImage } from '../rgba-image.js';
import { BitWriter, MAX_BLOCK_BYTES } from './bit-writer.js';
import { encodeBlock } from './entropy.js';
import { fdctQuantize } from './fdct.js';
import { AC_CHROMINANCE, AC_LUMINANCE, DC_CHROMINANCE, DC_LUMINANCE, huffmanEncoder, type HuffmanEncoder } from './huffman.js';
import { writeEnd, writeHeaders } from './markers.js';
import {
  BASE_CHROMINANCE_TABLE,
  BASE_LUMINANCE_TABLE,
  assertJpegQuality,
  quantDivisors,
  scaleQuantTable,
  type QuantDivisors,
} from './quant-tables.js';
import { rgbaToJfif420, rgbaToJfif444 } from './rgba-to-jfif.js';
import { assertJfifYcbcr420, assertJpegSize, chroma420Size, type JfifYcbcr420 } from './ycbcr-planes.js';

/** Chroma subsampling of the JPEG written from RGBA. */
export type JpegSubsampling = '4:4:4' | '4:2:0';

/** Options of {@link encodeJpegFromRgba}. */
export interface JpegEncodeOptions {
  /**
   * `'4:2:0'` (default; what libjpeg, browsers and cameras write): chroma at half resolution
   * both ways, about a third smaller and faster to encode. `'4:4:4'`: full-resolution
   * chroma, for sharp coloured edges (text, graphics).
   */
  readonly subsampling?: JpegSubsampling;
}

const DC_LUMA = huffmanEncoder(DC_LUMINANCE);
const AC_LUMA = huffmanEncoder(AC_LUMINANCE);
const DC_CHROMA = huffmanEncoder(DC_CHROMINANCE);
const AC_CHROMA = huffmanEncoder(AC_CHROMINANCE);

/**
 * Encodes an RGBA image (alpha ignored) as a baseline JFIF JPEG.
 *
 * The pixels are converted to JFIF Y'CbCr with libjpeg's integer coefficients (see
 * `rgbaToJfif420` / `rgbaToJfif444`); for 4:2:0 the result is exactly
 * `encodeJpegFromYuv(rgbaToJfif420(image), quality)`.
 *
 * @param quality 1 (smallest) to 100 (best), an integer, on the libjpeg/IJG scale.
 * @returns A plain, exactly sized `Uint8Array` (not a view into a larger buffer).
 * @throws StillframeError `invalid-argument` when `quality` is not an integer in 1–100, the
 *   subsampling is not one of the two, `image.data` is not `width * height * 4` bytes, or a
 *   side exceeds 65535.
 */
export function encodeJpegFromRgba(image: RgbaImage, quality: number, options: JpegEncodeOptions = {}): Uint8Array {
  assertJpegQuality(quality);
  const subsampling = options.subsampling ?? '4:2:0';
  if (subsampling !== '4:2:0' && subsampling !== '4:4:4') {
    throw new StillframeError('invalid-argument', `JPEG subsampling must be '4:4:4' or '4:2:0', got '${String(subsampling)}'`);
  }
  assertRgbaImage(image);
  assertJpegSize(image.width, image.height);
  if (subsampling === '4:2:0') return runToEnd(encodePlanes420(rgbaToJfif420(image), quality));
  const { width, height, y, u, v } = rgbaToJfif444(image);
  const full = (data: Uint8Array) => plane(data, width, width, height);
  return runToEnd(encodePlanes(1, [full(y), full(u), full(v)], quality));
}

/**
 * Encodes 8-bit 4:2:0 planes that are already JFIF Y'CbCr — full range, BT.601 (JFIF) matrix,
 * chroma averaged over each 2×2 block; see {@link JfifYcbcr420} for the exact contract — as
 * a baseline JFIF JPEG with 2×2 luma sampling. The planes are read, never modified.
 *
 * Decoder output usually is not JFIF: convert limited-range and/or BT.709 frames first with
 * `yuv420ToJfif` (or `rawFrameToJfif420`), or the colours come out washed out or shifted.
 *
 * @param quality 1 (smallest) to 100 (best), an integer, on the libjpeg/IJG scale.
 * @throws StillframeError `invalid-argument` when `quality` is not an integer in 1–100,
 *   `chroma` is not `'4:2:0'`, a side is not 1–65535, or a plane or stride is too small.
 */
export function encodeJpegFromYuv(planes: JfifYcbcr420, quality: number): Uint8Array {
  assertJpegQuality(quality);
  assertJfifYcbcr420(planes);
  return runToEnd(encodePlanes420(planes, quality));
}

/**
 * {@link encodeJpegFromYuv}, same bytes, awaiting `pause()` between slices of a few MCU rows, so
 * that a caller encoding big pictures on a thread that also dispatches decode work (the main
 * thread, handing jobs to engine workers) lets that work through every few milliseconds.
 */
export async function encodeJpegFromYuvInSlices(planes: JfifYcbcr420, quality: number, pause: () => Promise<void>): Promise<Uint8Array> {
  assertJpegQuality(quality);
  assertJfifYcbcr420(planes);
  const slices = encodePlanes420(planes, quality);
  for (let step = slices.next(); ; step = slices.next()) {
    if (step.done) return step.value;
    await pause();
  }
}

/** Runs a sliced encode without pausing, synchronously (the loop above awaits between slices). */
function runToEnd(slices: Generator<void, Uint8Array>): Uint8Array {
  for (let step = slices.next(); ; step = slices.next()) if (step.done) return step.value;
}

/** A component plane and the extent of valid samples in it. */
interface ComponentPlane {
  readonly data: Uint8Array;
  readonly stride: number;
  readonly width: number;
  readonly height: number;
}

function plane(data: Uint8Array, stride: number, width: number, height: number): ComponentPlane {
  return { data, stride, width, height };
}

function encodePlanes420(planes: JfifYcbcr420, quality: number): Generator<void, Uint8Array> {
  const { width, height } = planes;
  const c = chroma420Size(width, height);
  return encodePlanes(
    2,
    [
      plane(planes.y, planes.yStride, width, height),
      plane(planes.u, planes.uvStride, c.width, c.height),
      plane(planes.v, planes.uvStride, c.width, c.height),
    ],
    quality,
  );
}

/** Scratch space of one encode, allocated once rather than per block. */
interface Scratch {
  readonly block: Int32Array;
  readonly nonzero: Int32Array;
  readonly edge: Uint8Array;
}

/** MCU rows encoded between two pauses of a sliced encode: a few milliseconds' work at 1080p. */
const MCU_ROWS_PER_SLICE = 8;

/**
 * The encoder proper: one interleaved baseline scan of Y, Cb, Cr, whose MCU holds
 * `lumaFactor`² luma blocks and one block of each chroma component. Right and bottom MCUs
 * extending past a plane's samples repeat its last column and row (decoders crop them).
 * A generator that yields after every {@link MCU_ROWS_PER_SLICE} MCU rows and returns the file.
 */
function* encodePlanes(
  lumaFactor: 1 | 2,
  [yPlane, cbPlane, crPlane]: readonly [ComponentPlane, ComponentPlane, ComponentPlane],
  quality: number,
): Generator<void, Uint8Array> {
  const { width, height } = yPlane;
  const lumaTable = scaleQuantTable(BASE_LUMINANCE_TABLE, quality);
  const chromaTable = scaleQuantTable(BASE_CHROMINANCE_TABLE, quality);
  const lumaDivisors = quantDivisors(lumaTable);
  const chromaDivisors = quantDivisors(chromaTable);

  // A quarter byte per pixel fits most pictures at quality ≤ 90; the buffer grows otherwise.
  // (Capped, so a huge picture does not reserve more than it is likely to need up front.)
  const out = new BitWriter(Math.min(4096 + Math.floor((width * height) / 4), 1 << 26));
  writeHeaders(out, {
    width,
    height,
    components: [
      { id: 1, h: lumaFactor, v: lumaFactor, table: 0 },
      { id: 2, h: 1, v: 1, table: 1 },
      { id: 3, h: 1, v: 1, table: 1 },
    ],
    quantTables: [lumaTable, chromaTable],
    huffman: [DC_LUMINANCE, AC_LUMINANCE, DC_CHROMINANCE, AC_CHROMINANCE],
  });

  const scratch: Scratch = { block: new Int32Array(64), nonzero: new Int32Array(2), edge: new Uint8Array(64) };
  const mcuSide = 8 * lumaFactor;
  const mcuColumns = Math.ceil(width / mcuSide);
  const mcuRows = Math.ceil(height / mcuSide);
  const mcuBytes = MAX_BLOCK_BYTES * (lumaFactor * lumaFactor + 2);
  let dcY = 0;
  let dcCb = 0;
  let dcCr = 0;
  for (let my = 0; my < mcuRows; my++) {
    if (my > 0 && my % MCU_ROWS_PER_SLICE === 0) yield;
    for (let mx = 0; mx < mcuColumns; mx++) {
      out.ensure(mcuBytes);
      const lx = mx * mcuSide;
      const ly = my * mcuSide;
      for (let by = 0; by < mcuSide; by += 8) {
        for (let bx = 0; bx < mcuSide; bx += 8) {
          dcY = codeBlock(yPlane, lx + bx, ly + by, lumaDivisors, DC_LUMA, AC_LUMA, dcY, scratch, out);
        }
      }
      dcCb = codeBlock(cbPlane, mx * 8, my * 8, chromaDivisors, DC_CHROMA, AC_CHROMA, dcCb, scratch, out);
      dcCr = codeBlock(crPlane, mx * 8, my * 8, chromaDivisors, DC_CHROMA, AC_CHROMA, dcCr, scratch, out);
    }
  }
  out.flushBits();
  writeEnd(out);
  return out.finish();
}

/** Transforms, quantises and entropy-codes the block at (x0, y0); returns its DC. */
function codeBlock(
  p: ComponentPlane,
  x0: number,
  y0: number,
  divisors: QuantDivisors,
  dc: HuffmanEncoder,
  ac: HuffmanEncoder,
  previousDc: number,
  scratch: Scratch,
  out: BitWriter,
): number {
  if (x0 + 8 <= p.width && y0 + 8 <= p.height) {
    fdctQuantize(p.data, y0 * p.stride + x0, p.stride, divisors, scratch.block, scratch.nonzero);
  } else {
    replicateEdge(p, x0, y0, scratch.edge);
    fdctQuantize(scratch.edge, 0, 8, divisors, scratch.block, scratch.nonzero);
  }
  return encodeBlock(scratch.block, scratch.nonzero, previousDc, dc, ac, out);
}

/** Copies the 8×8 block at (x0, y0) into `edge`, repeating the plane's last column and row. */
function replicateEdge(p: ComponentPlane, x0: number, y0: number, edge: Uint8Array): void {
  const lastX = p.width - 1;
  const lastY = p.height - 1;
  for (let r = 0; r < 8; r++) {
    const sy = y0 + r < lastY ? y0 + r : lastY;
    const row = sy * p.stride;
    for (let c = 0; c < 8; c++) {
      const sx = x0 + c < lastX ? x0 + c : lastX;
      edge[r * 8 + c] = p.data[row + sx];
    }
  }
}
