/**
 * The MPEG transport stream packet (ISO/IEC 13818-1 2.4.3.2): 188 bytes, a 0x47 sync byte, a
 * 13-bit PID naming the stream it carries, an optional adaptation field, then payload. Blu-ray's
 * BDAV (M2TS) files put a 4-byte arrival time stamp before each packet, making 192-byte units.
 */

/** Bytes of a transport packet, sync byte to last payload byte. */
export const TS_PACKET_SIZE = 188;
/** The byte every packet starts with. */
export const SYNC_BYTE = 0x47;
/** Payload bytes of a packet without an adaptation field. */
export const TS_PAYLOAD_SIZE = TS_PACKET_SIZE - 4;

/** How packets lie in a file: the distance between sync bytes, and where the first one is. */
export interface PacketLayout {
  /** 188 (plain TS) or 192 (M2TS). */
  readonly stride: number;
  /** Offset of the first sync byte: 0, or 4 after an M2TS arrival time stamp. */
  readonly firstSync: number;
}

const LAYOUTS: readonly PacketLayout[] = [
  { stride: TS_PACKET_SIZE, firstSync: 0 },
  { stride: TS_PACKET_SIZE + 4, firstSync: 4 },
];

/** Sync bytes a file's first bytes must show, one per packet, to be taken for a transport stream. */
const SYNCS_TO_DETECT = 3;

/** Bytes {@link packetLayoutOf} looks at. */
export const LAYOUT_PROBE_BYTES = (TS_PACKET_SIZE + 4) * SYNCS_TO_DETECT;

/** The packet layout of a file whose first bytes are `head`, or `undefined` when they are no transport stream. */
export function packetLayoutOf(head: Uint8Array): PacketLayout | undefined {
  return LAYOUTS.find(({ stride, firstSync }) => {
    for (let i = 0; i < SYNCS_TO_DETECT; i++) if (head[firstSync + i * stride] !== SYNC_BYTE) return false;
    return true;
  });
}

/** One transport packet, its payload a view into the bytes it was read from. */
export interface TsPacket {
  readonly pid: number;
  /** payload_unit_start_indicator: a PES packet or a PSI section starts in this payload. */
  readonly unitStart: boolean;
  /** transport_scrambling_control is set: the payload is encrypted. */
  readonly scrambled: boolean;
  /** The payload (empty when the packet carries an adaptation field only). */
  readonly payload: Uint8Array;
}

const NO_PAYLOAD = new Uint8Array(0);

/** The PID of the packet whose sync byte is at `at` (its header must be there). */
export function packetPid(bytes: Uint8Array, at: number): number {
  return ((bytes[at + 1]! & 0x1f) << 8) | bytes[at + 2]!;
}

/**
 * The packet whose sync byte is at `at`. A packet the bytes cut short (the last one of a
 * truncated file) gives the payload bytes present; `undefined` when not even its 4-byte header is.
 */
export function readPacket(bytes: Uint8Array, at: number): TsPacket | undefined {
  if (at + 4 > bytes.length) return undefined;
  const end = Math.min(at + TS_PACKET_SIZE, bytes.length);
  const flags = bytes[at + 3]!;
  const control = (flags >> 4) & 3;
  // adaptation_field_control: bit 1 an adaptation field (its length byte first), bit 0 a payload.
  const payloadStart = control & 2 ? at + 5 + (bytes[at + 4] ?? 0) : at + 4;
  return {
    pid: packetPid(bytes, at),
    unitStart: (bytes[at + 1]! & 0x40) !== 0,
    scrambled: flags >> 6 !== 0,
    payload: control & 1 && payloadStart < end ? bytes.subarray(payloadStart, end) : NO_PAYLOAD,
  };
}
