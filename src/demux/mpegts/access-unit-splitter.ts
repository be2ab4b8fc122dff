/**
 * Cuts the video stream of a transport stream into access units (samples), the way ffmpeg's
 * parsers do. A PES with a PTS is the container's word that an access unit starts in it, and the
 * PTS is that unit's; but the unit need not start at the PES's first byte: some muxers begin
 * each PES with the last bytes of the previous picture. So each such PES is searched for the
 * first unit that opens an access unit, and the access unit before ends there. A PES without a
 * PTS, or with no access unit opening in it, continues the unit in progress; so does a second
 * access unit in the same PES (which has no PTS of its own): such units make one sample.
 */
import { findAccessUnitStart } from '../../codec/access-units.js';
import { unsupported } from '../../errors.js';
import { concatBytes } from '../../sources/concat-bytes.js';
import { PesReader } from './pes.js';
import { TS_PACKET_SIZE, type TsPacket } from './ts-packet.js';

/** An access unit found in the stream, with where its bytes are. */
export interface AccessUnit {
  /** File offset of the packet holding the unit's first byte. */
  readonly offset: number;
  /** File offset just after the packet holding its last byte (past the end of a file cut inside it). */
  readonly end: number;
  /** Elementary stream bytes the video packets of `offset`…`end` carry before the unit's first byte. */
  readonly skip: number;
  /** The unit's bytes. */
  readonly data: Uint8Array;
  /** Its PES time stamps, as stored (33-bit). */
  readonly pts: number;
  readonly dts: number;
}

/** One video packet's elementary stream bytes: where the bytes are in the stream, and where to read them from. */
interface Chunk {
  /** File offset of the packet holding the bytes, or of the packet their PES header starts in. */
  readonly offset: number;
  readonly start: number;
  readonly data: Uint8Array;
}

/**
 * Bytes before a PES that the start code of a unit opening in it may lie in: a muxer may cut a
 * 4-byte start code anywhere up to the unit's header, which is what must be in the PES.
 */
const START_CODE_REACH = 4;

/**
 * The largest access unit taken: an uncompressed 8K 4:4:4 picture is some 100 MB, no coded one
 * comes near. A stream whose PES stop carrying time stamps would otherwise gather into one unit
 * without end.
 */
const MAX_ACCESS_UNIT_BYTES = 128 * 1024 * 1024;

/** Splits one PID's packets into access units, handing each to `emit` once its end is known. */
export class AccessUnitSplitter {
  private readonly pes = new PesReader();
  /** Elementary stream bytes seen so far. */
  private position = 0;
  /** Where the PES being read begins in the stream; `undefined` when none is being read. */
  private pesStart: number | undefined;
  /**
   * File offset of the packet that starts the PES being read, while none of its packets has
   * carried stream bytes yet: the first that does may also hold the end of a PES header split
   * over packets, which only a read from the header's first packet can tell apart.
   */
  private headerPacket: number | undefined;
  /** The unit being gathered: where it starts, and its time stamps. */
  private unit: { start: number; pts: number; dts: number } | undefined;
  /** The chunks from the unit's first byte (or, before the first unit, the current PES's) on. */
  private chunks: Chunk[] = [];

  constructor(
    private readonly codec: 'h264' | 'hevc' | 'mpeg4',
    private readonly emit: (unit: AccessUnit) => void,
  ) {}

  /** Feeds a packet of the stream, whose sync byte is at `offset`. */
  packet(packet: TsPacket, offset: number): void {
    if (packet.unitStart) {
      this.endPes();
      this.pesStart = this.position;
      this.headerPacket = offset;
    }
    // The rest of a PES whose start was not seen (before the program tables, or before sync was lost).
    if (this.pesStart === undefined) return;
    const data = this.pes.push(packet.payload, packet.unitStart);
    if (data.length === 0) return;
    this.chunks.push({ offset: this.headerPacket ?? offset, start: this.position, data });
    this.headerPacket = undefined;
    this.position += data.length;
    if (this.unit && this.position - this.unit.start > MAX_ACCESS_UNIT_BYTES) {
      throw unsupported(`the MPEG-TS video stream has an access unit of over ${MAX_ACCESS_UNIT_BYTES / 1024 / 1024} MiB (its PES carry no time stamps?)`);
    }
  }

  /** Ends the unit in progress where the stream stops: at its end, or where sync is lost. */
  flush(): void {
    this.endPes();
    this.endUnit(this.position);
    this.pesStart = undefined;
    this.chunks = [];
  }

  /** The PES read so far is complete: a unit opening in it ends the one before. */
  private endPes(): void {
    const begin = this.pesStart;
    this.pesStart = undefined;
    const pts = this.pes.timestamps?.pts;
    if (begin === undefined || this.chunks.length === 0) return;
    const found = pts === undefined ? -1 : this.unitStartIn(begin);
    if (found < 0) {
      // Before the first unit, the bytes not opening one lead nowhere: keep the last chunk, for a start code it cuts.
      if (!this.unit) this.chunks = this.chunks.slice(-1);
      return;
    }
    this.endUnit(found);
    this.unit = { start: found, pts: pts!, dts: this.pes.timestamps?.dts ?? pts! };
    this.chunks = this.chunks.filter((chunk) => chunk.start + chunk.data.length > found);
  }

  /** Where the first unit opening an access unit in the PES from stream position `begin` starts; -1 if none does. */
  private unitStartIn(begin: number): number {
    const from = Math.max(this.chunks[0]!.start, begin - START_CODE_REACH);
    const skip = Math.max(0, begin - from - (START_CODE_REACH - 1));
    // Most PES open with their unit: the first packet's bytes tell, without joining the whole PES.
    // (A unit whose deciding bytes that prefix cuts off is not taken there, so the whole PES,
    // searched next, finds what it would have found alone.)
    const first = this.chunks.find((chunk) => chunk.start >= begin);
    const prefixEnd = first ? first.start + first.data.length : this.position;
    for (const end of prefixEnd < this.position ? [prefixEnd, this.position] : [this.position]) {
      const found = findAccessUnitStart(this.codec, this.bytes(from, end), skip);
      if (found >= 0) return from + found;
    }
    return -1;
  }

  /** Emits the unit in progress as ending just before stream position `end`. */
  private endUnit(end: number): void {
    const unit = this.unit;
    this.unit = undefined;
    if (!unit || end <= unit.start) return;
    const first = this.chunks.find((chunk) => chunk.start + chunk.data.length > unit.start)!;
    const last = this.chunks.filter((chunk) => chunk.start < end).at(-1)!;
    this.emit({
      offset: first.offset,
      end: last.offset + TS_PACKET_SIZE,
      skip: unit.start - first.start,
      data: this.bytes(unit.start, end),
      pts: unit.pts,
      dts: unit.dts,
    });
  }

  /** Stream bytes `from`…`to` (exclusive), from the chunks held. */
  private bytes(from: number, to: number): Uint8Array {
    const parts = this.chunks
      .filter((chunk) => chunk.start < to && chunk.start + chunk.data.length > from)
      .map((chunk) => chunk.data.subarray(Math.max(0, from - chunk.start), Math.min(chunk.data.length, to - chunk.start)));
    return concatBytes(parts);
  }
}
