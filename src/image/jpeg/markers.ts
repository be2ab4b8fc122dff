/**
 * The marker segments of a baseline JFIF file: everything but the entropy-coded data.
 */

import type { BitWriter } from './bit-writer.js';
import type { HuffmanSpec } from './huffman.js';
import { ZIGZAG } from './zigzag.js';

/** One scan component as the frame header declares it. */
export interface ComponentHeader {
  /** Component identifier: 1 = Y, 2 = Cb, 3 = Cr, the JFIF convention. */
  readonly id: number;
  /** Horizontal and vertical sampling factors (1 or 2). */
  readonly h: number;
  readonly v: number;
  /** Quantisation table (0 luminance, 1 chrominance), also used for the Huffman tables. */
  readonly table: 0 | 1;
}

/** Everything the headers describe. */
export interface FrameHeader {
  readonly width: number;
  readonly height: number;
  readonly components: readonly ComponentHeader[];
  /** Natural-order quantisation tables 0 and 1. */
  readonly quantTables: readonly [Uint8Array, Uint8Array];
  /** DC and AC Huffman tables for table ids 0 (luminance) and 1 (chrominance). */
  readonly huffman: readonly [dc0: HuffmanSpec, ac0: HuffmanSpec, dc1: HuffmanSpec, ac1: HuffmanSpec];
}

const SOI = 0xd8;
const APP0 = 0xe0;
const DQT = 0xdb;
const SOF0 = 0xc0;
const DHT = 0xc4;
const SOS = 0xda;
const EOI = 0xd9;

function marker(out: BitWriter, code: number): void {
  out.byte(0xff);
  out.byte(code);
}

/**
 * Writes SOI, a JFIF 1.01 APP0 (no density information: aspect 1:1, no thumbnail), DQT, SOF0,
 * DHT and SOS, after which the entropy-coded data follows. Without the APP0 some decoders
 * would guess RGB rather than YCbCr for three components.
 */
export function writeHeaders(out: BitWriter, header: FrameHeader): void {
  marker(out, SOI);

  marker(out, APP0);
  out.uint16(16);
  out.bytes([0x4a, 0x46, 0x49, 0x46, 0]); // "JFIF\0"
  out.bytes([1, 1]); // version 1.01
  out.byte(0); // density units: none, the densities give the pixel aspect ratio
  out.uint16(1);
  out.uint16(1);
  out.bytes([0, 0]); // no thumbnail

  // Both tables in one DQT segment, 8-bit precision, zigzag order.
  marker(out, DQT);
  out.uint16(2 + 2 * 65);
  for (let t = 0; t < 2; t++) {
    out.byte(t);
    const table = header.quantTables[t];
    for (let k = 0; k < 64; k++) out.byte(table[ZIGZAG[k]]);
  }

  marker(out, SOF0);
  out.uint16(8 + 3 * header.components.length);
  out.byte(8); // sample precision
  out.uint16(header.height);
  out.uint16(header.width);
  out.byte(header.components.length);
  for (const c of header.components) {
    out.byte(c.id);
    out.byte((c.h << 4) | c.v);
    out.byte(c.table);
  }

  // All four Huffman tables in one DHT segment.
  const classIds = [0x00, 0x10, 0x01, 0x11]; // (class << 4) | id: DC0, AC0, DC1, AC1
  let length = 2;
  for (const spec of header.huffman) length += 17 + spec.values.length;
  marker(out, DHT);
  out.uint16(length);
  header.huffman.forEach((spec, i) => {
    out.byte(classIds[i]);
    out.bytes(spec.bits);
    out.bytes(spec.values);
  });

  marker(out, SOS);
  out.uint16(6 + 2 * header.components.length);
  out.byte(header.components.length);
  for (const c of header.components) {
    out.byte(c.id);
    out.byte((c.table << 4) | c.table); // DC table << 4 | AC table
  }
  out.bytes([0, 63, 0]); // baseline: spectral selection 0–63, no successive approximation
}

/** Writes the EOI marker that ends the file. */
export function writeEnd(out: BitWriter): void {
  marker(out, EOI);
}
