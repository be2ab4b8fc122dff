/**
 * The program tables of a transport stream (ISO/IEC 13818-1 2.4.4): the PAT on PID 0 lists the
 * programs and the PID of each one's PMT; a PMT lists the program's elementary streams, each
 * with its stream_type (the codec) and PID. Both are PSI sections, which may span packets and
 * end in a CRC-32. Read here to find the video stream, and written for the decode input.
 */

import { concatBytes } from '../../sources/concat-bytes.js';

/** PID of the program association table. */
export const PAT_PID = 0;
/** "No PID": a PMT's PCR_PID when the program carries no clock reference. */
const NULL_PID = 0x1fff;

/** The transport_stream_id the decode input's PAT gives (any value does: nothing reads it). */
const TRANSPORT_STREAM_ID = 1;
const TABLE_PAT = 0x00;
const TABLE_PMT = 0x02;
/** table_id of the stuffing that fills a packet after its last section. */
const TABLE_STUFFING = 0xff;
/** Bytes of a section before its section_length ends: table_id and two bytes of flags and length. */
const SECTION_HEADER = 3;
/** Bytes of the syntax fields after section_length, up to the table's own fields. */
const SYNTAX_FIELDS = 5;
const CRC_BYTES = 4;

/** One elementary stream of a program. */
export interface ProgramStream {
  readonly streamType: number;
  readonly pid: number;
}

/**
 * Reassembles the PSI sections of one PID from its packets' payloads: a section starts where a
 * unit-start packet's pointer_field says and may continue in the next packets.
 */
export class SectionAssembler {
  private parts: Uint8Array[] = [];

  /** Feeds one packet's payload; returns the sections it completes whose CRC is right. */
  push(payload: Uint8Array, unitStart: boolean): Uint8Array[] {
    if (payload.length === 0) return [];
    if (!unitStart) {
      // A continuation with no section begun (the tables' first packet came before the file did).
      if (this.parts.length === 0) return [];
      return this.collect(payload);
    }
    const pointer = payload[0]!;
    // The bytes up to the pointer end the section in progress; a new one starts after them.
    const ended = this.parts.length > 0 ? this.collect(payload.subarray(1, 1 + pointer)) : [];
    this.parts = [];
    return [...ended, ...this.collect(payload.subarray(1 + pointer))];
  }

  private collect(bytes: Uint8Array): Uint8Array[] {
    this.parts.push(bytes);
    const joined = concatBytes(this.parts);
    const sections: Uint8Array[] = [];
    let at = 0;
    while (at + SECTION_HEADER <= joined.length && joined[at] !== TABLE_STUFFING) {
      const length = SECTION_HEADER + (((joined[at + 1]! & 0x0f) << 8) | joined[at + 2]!);
      if (at + length > joined.length) break;
      const section = joined.subarray(at, at + length);
      if (length >= SECTION_HEADER + SYNTAX_FIELDS + CRC_BYTES && crc32(section) === 0) sections.push(section);
      at += length;
    }
    const rest = joined[at] === TABLE_STUFFING ? new Uint8Array(0) : joined.subarray(at);
    this.parts = rest.length > 0 ? [rest] : [];
    return sections;
  }
}

/** The PMT PIDs a PAT section lists, by program number (the network PID of program 0 left out). */
export function parsePat(section: Uint8Array): Map<number, number> {
  const programs = new Map<number, number>();
  if (section[0] !== TABLE_PAT) return programs;
  for (let at = SECTION_HEADER + SYNTAX_FIELDS; at + 4 <= section.length - CRC_BYTES; at += 4) {
    const program = (section[at]! << 8) | section[at + 1]!;
    if (program !== 0) programs.set(program, ((section[at + 2]! & 0x1f) << 8) | section[at + 3]!);
  }
  return programs;
}

/** The program a PMT section describes and the elementary streams it lists, in its order; `undefined` when it is no PMT. */
export function parsePmt(section: Uint8Array): { program: number; streams: ProgramStream[] } | undefined {
  if (section[0] !== TABLE_PMT) return undefined;
  const fields = SECTION_HEADER + SYNTAX_FIELDS;
  // PCR_PID (2 bytes), then program_info_length and the program descriptors.
  const infoLength = ((section[fields + 2]! & 0x0f) << 8) | section[fields + 3]!;
  const streams: ProgramStream[] = [];
  const end = section.length - CRC_BYTES;
  for (let at = fields + 4 + infoLength; at + 5 <= end; ) {
    streams.push({ streamType: section[at]!, pid: ((section[at + 1]! & 0x1f) << 8) | section[at + 2]! });
    at += 5 + (((section[at + 3]! & 0x0f) << 8) | section[at + 4]!);
  }
  return { program: (section[SECTION_HEADER]! << 8) | section[SECTION_HEADER + 1]!, streams };
}

/** A PAT section naming one program and its PMT PID. */
export function writePat(program: number, pmtPid: number): Uint8Array {
  return writeSection(TABLE_PAT, TRANSPORT_STREAM_ID, [program >> 8, program & 0xff, 0xe0 | (pmtPid >> 8), pmtPid & 0xff]);
}

/** A PMT section of one program: no clock reference, no descriptors, the given streams. */
export function writePmt(program: number, streams: readonly ProgramStream[]): Uint8Array {
  const body = [0xe0 | (NULL_PID >> 8), NULL_PID & 0xff, 0xf0, 0x00];
  for (const { streamType, pid } of streams) body.push(streamType, 0xe0 | (pid >> 8), pid & 0xff, 0xf0, 0x00);
  return writeSection(TABLE_PMT, program, body);
}

/** A long-form section (version 0, current, one section of one) with its CRC. */
function writeSection(tableId: number, tableIdExtension: number, body: readonly number[]): Uint8Array {
  const length = SYNTAX_FIELDS + body.length + CRC_BYTES;
  const section = new Uint8Array(SECTION_HEADER + length);
  // section_syntax_indicator 1, '0', reserved 11, then the 12-bit section_length.
  section.set([tableId, 0xb0 | (length >> 8), length & 0xff, tableIdExtension >> 8, tableIdExtension & 0xff, 0xc1, 0, 0, ...body]);
  const crc = crc32(section.subarray(0, section.length - CRC_BYTES));
  new DataView(section.buffer).setUint32(section.length - CRC_BYTES, crc);
  return section;
}

/** CRC-32/MPEG-2 (polynomial 0x04C11DB7, MSB first, no final XOR): 0 over a section with its CRC. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  return crc;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, i) => {
  let crc = i << 24;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  return crc >>> 0;
});
