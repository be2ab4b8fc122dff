/**
 * Writes the smallest transport stream the decode engine needs: a PAT and a PMT naming one video
 * stream, then one PES per sample, each with the time stamps it is given. Samples a plan leaves
 * out simply are not there: every packet is new, with continuity counters that run without a
 * gap. Pure TypeScript, no Node APIs: it runs in browsers and workerd too.
 */
import { invalidArgument } from '../../errors.js';
import { pesHeaderSize, TIMESTAMP_WRAP, writePesHeader } from './pes.js';
import { PAT_PID, writePat, writePmt } from './program-tables.js';
import { SYNC_BYTE, TS_PACKET_SIZE, TS_PAYLOAD_SIZE } from './ts-packet.js';

/** The program number and PIDs of the decode input (the values ffmpeg's own muxer uses). */
const PROGRAM = 1;
const PMT_PID = 0x1000;
const VIDEO_PID = 0x100;
/** Continuity counters count modulo 16. */
const CONTINUITY_MODULO = 16;

/** A sample to write: its elementary stream bytes and its time stamps in 90 kHz ticks, each in [0, 2^33). */
export interface TsSample {
  readonly pts: number;
  readonly dts: number;
  readonly data: Uint8Array;
}

/**
 * Builds a transport stream of one program holding one video stream of `streamType` (the PMT
 * stream_type: 0x1B H.264, 0x24 HEVC) and `samples` in the given (decode) order, one PES each,
 * which ffmpeg demuxes with exactly the given time stamps.
 *
 * @throws StillframeError `invalid-argument` without samples; RangeError for a time stamp that a
 *   PES header cannot hold.
 */
export function writeDecodeTransportStream(streamType: number, samples: readonly TsSample[]): Uint8Array {
  if (samples.length === 0) throw invalidArgument('writeDecodeTransportStream needs at least one sample');
  for (const { pts, dts } of samples) {
    for (const value of [pts, dts]) {
      if (!Number.isSafeInteger(value) || value < 0 || value >= TIMESTAMP_WRAP) throw new RangeError(`writeDecodeTransportStream: time stamp ${value} is not a 33-bit tick count`);
    }
  }
  const packets = 2 + samples.reduce((sum, { pts, dts, data }) => sum + Math.ceil((pesHeaderSize(pts, dts) + data.length) / TS_PAYLOAD_SIZE), 0);
  const out = new Uint8Array(packets * TS_PACKET_SIZE);
  let at = writeSectionPacket(out, 0, PAT_PID, writePat(PROGRAM, PMT_PID));
  at = writeSectionPacket(out, at, PMT_PID, writePmt(PROGRAM, [{ streamType, pid: VIDEO_PID }]));
  let continuity = 0;
  for (const sample of samples) ({ at, continuity } = writePes(out, at, sample, continuity));
  // Every size above was computed before writing; a mismatch here is a bug in this file.
  if (at !== out.length) throw invalidArgument(`writeDecodeTransportStream: wrote ${at} bytes, planned ${out.length}`);
  return out;
}

/**
 * One sample as a PES over as many packets as it takes, the header in the first, stuffing
 * filling the last. Returns the offset after them and the next continuity counter.
 */
function writePes(out: Uint8Array, at: number, { pts, dts, data }: TsSample, continuity: number): { at: number; continuity: number } {
  const header = new Uint8Array(pesHeaderSize(pts, dts));
  writePesHeader(header, 0, pts, dts);
  let sent = 0;
  for (let first = true; first || sent < data.length; first = false) {
    const head = first ? header : header.subarray(0, 0);
    const chunk = Math.min(TS_PAYLOAD_SIZE - head.length, data.length - sent);
    const payloadAt = writePacketHeader(out, at, VIDEO_PID, first, continuity, TS_PAYLOAD_SIZE - head.length - chunk);
    out.set(head, payloadAt);
    out.set(data.subarray(sent, sent + chunk), payloadAt + head.length);
    sent += chunk;
    continuity = (continuity + 1) % CONTINUITY_MODULO;
    at += TS_PACKET_SIZE;
  }
  return { at, continuity };
}

/** A packet holding one whole PSI section (pointer_field 0, stuffing bytes after). Returns the offset after it. */
function writeSectionPacket(out: Uint8Array, at: number, pid: number, section: Uint8Array): number {
  const payloadAt = writePacketHeader(out, at, pid, true, 0, 0);
  out[payloadAt] = 0;
  out.set(section, payloadAt + 1);
  out.fill(0xff, payloadAt + 1 + section.length, at + TS_PACKET_SIZE);
  return at + TS_PACKET_SIZE;
}

/**
 * The 4-byte packet header and, for `stuffing` > 0, an adaptation field of that many bytes
 * (its length byte, a flags byte, then 0xFF) to fill the packet. Returns where the payload goes.
 */
function writePacketHeader(out: Uint8Array, at: number, pid: number, unitStart: boolean, continuity: number, stuffing: number): number {
  out[at] = SYNC_BYTE;
  out[at + 1] = (unitStart ? 0x40 : 0) | (pid >> 8);
  out[at + 2] = pid & 0xff;
  // adaptation_field_control: 01 payload only, 11 adaptation field then payload.
  out[at + 3] = (stuffing > 0 ? 0x30 : 0x10) | continuity;
  if (stuffing > 0) {
    out[at + 4] = stuffing - 1;
    if (stuffing > 1) out[at + 5] = 0;
    out.fill(0xff, at + 6, at + 4 + stuffing);
  }
  return at + 4 + stuffing;
}
