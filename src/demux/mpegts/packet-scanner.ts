/**
 * Walks every packet of a transport stream once, front to back, in large reads: a transport
 * stream has no index, so indexing one means reading it all, and a read per 188-byte packet
 * would cost a request each over HTTP. Where the sync bytes stop (a damaged stretch, garbage
 * appended to a recording) the walk looks for packets again further on.
 */
import type { ByteSource } from '../../sources/byte-source.js';
import { readExact } from '../../sources/read-exact.js';
import { packetPid, readPacket, SYNC_BYTE, TS_PACKET_SIZE, type PacketLayout, type TsPacket } from './ts-packet.js';

/** Bytes read at once. */
const READ_SIZE = 1024 * 1024;
/**
 * Sync bytes in a row, a stride apart, that make a position count as a packet again after sync
 * was lost: in random bytes one position in 2^40 passes, so garbage is not taken for packets.
 */
const RESYNC_PACKETS = 5;

/** What {@link scanPackets} reports, in file order. */
export interface PacketVisitor {
  /** Whether packets of `pid` are wanted: only they are taken apart (most packets of a file are not). */
  wants(pid: number): boolean;
  /**
   * A packet whose sync byte is at `offset` in the file. The last packet of a file cut inside a
   * packet comes with the payload bytes present.
   */
  packet(packet: TsPacket, offset: number): void;
  /** The next bytes are not a packet: what follows does not continue what came before. */
  syncLost(): void;
}

/**
 * Hands every packet of `source` to `visitor`, reading `READ_SIZE` bytes at a time. Rejects
 * with what the visitor throws, and with `io` when the source delivers fewer bytes than it says
 * it has.
 */
export async function scanPackets(source: ByteSource, layout: PacketLayout, visitor: PacketVisitor): Promise<void> {
  let position = layout.firstSync;
  let synced = true;
  while (position < source.size) {
    const chunk = await readExact(source, position, Math.min(READ_SIZE, source.size - position));
    const atEnd = position + chunk.length >= source.size;
    let at = 0;
    while (at < chunk.length) {
      if (!synced) {
        const found = findSync(chunk, at, layout.stride, atEnd);
        at = found.at;
        // Not enough bytes left here to confirm a candidate: read again from it.
        if (!found.confirmed) break;
        synced = true;
      }
      if (chunk[at] !== SYNC_BYTE) {
        visitor.syncLost();
        synced = false;
        continue;
      }
      // A packet running past the read: read again from it, unless the file ends inside it.
      if (at + TS_PACKET_SIZE > chunk.length && !atEnd) break;
      const packet = at + 4 <= chunk.length && visitor.wants(packetPid(chunk, at)) ? readPacket(chunk, at) : undefined;
      if (packet) visitor.packet(packet, position + at);
      at += layout.stride;
    }
    // At the end every byte has been looked at: the loop above only stops early to read on.
    if (atEnd) return;
    position += at;
  }
}

/**
 * The first position from `from` on where `RESYNC_PACKETS` sync bytes follow one another a
 * `stride` apart. `confirmed` is false for a candidate whose later sync bytes lie beyond the
 * chunk (unless the file ends there: then those present suffice); `at` is the chunk's end when
 * there is no candidate.
 */
function findSync(chunk: Uint8Array, from: number, stride: number, atEnd: boolean): { at: number; confirmed: boolean } {
  for (let at = chunk.indexOf(SYNC_BYTE, from); at >= 0; at = chunk.indexOf(SYNC_BYTE, at + 1)) {
    let count = 1;
    while (count < RESYNC_PACKETS && at + count * stride < chunk.length && chunk[at + count * stride] === SYNC_BYTE) count++;
    if (count === RESYNC_PACKETS) return { at, confirmed: true };
    if (at + count * stride >= chunk.length) return { at, confirmed: atEnd };
  }
  return { at: chunk.length, confirmed: false };
}
