/**
 * What the start codes of an MPEG-4 Part 2 (Visual, ISO/IEC 14496-2) sample say: the coding
 * type of its VOP (an I-VOP is an entry point, a B-VOP is never referenced), where an access
 * unit begins in a byte stream, and the configuration headers (VOS/VO/VOL) a decoder needs
 * before the first VOP, with the picture size they give.
 */
import { nextStartCode } from './nal-units.js';
import { RbspReader } from './rbsp.js';

/** Start code values (the byte after 00 00 01, Table 6-3) stillframe looks at. */
const MPEG4_START = {
  /** 0x00–0x1F: video_object_start_code. */
  videoObjectLast: 0x1f,
  /** 0x20–0x2F: video_object_layer_start_code. */
  videoObjectLayerFirst: 0x20,
  videoObjectLayerLast: 0x2f,
  visualObjectSequence: 0xb0,
  groupOfVop: 0xb3,
  visualObject: 0xb5,
  vop: 0xb6,
} as const;

/** vop_coding_type (Table 6-21). */
export type Mpeg4VopType = 'I' | 'P' | 'B' | 'S';
const VOP_TYPES: readonly Mpeg4VopType[] = ['I', 'P', 'B', 'S'];

/** Whether a start code of `value` belongs to the configuration headers before the VOPs (VOS, VO, VOL). */
function isConfigurationStart(value: number): boolean {
  return value <= MPEG4_START.videoObjectLayerLast || value === MPEG4_START.visualObjectSequence || value === MPEG4_START.visualObject;
}

/** Whether a start code of `value` may open an access unit: configuration headers, a GOV or a VOP. */
export function opensMpeg4AccessUnit(value: number): boolean {
  return isConfigurationStart(value) || value === MPEG4_START.groupOfVop || value === MPEG4_START.vop;
}

/**
 * The coding types of the VOPs in `sample`, in order: one, or two in a DivX/XviD "packed
 * bitstream" sample (a P-VOP and the B-VOP shown before it).
 */
export function mpeg4VopTypes(sample: Uint8Array): Mpeg4VopType[] {
  return vopTypes(sample, Infinity);
}

/** The coding types of the first `limit` VOPs of `sample`. */
function vopTypes(sample: Uint8Array, limit: number): Mpeg4VopType[] {
  const types: Mpeg4VopType[] = [];
  for (let at = nextStartCode(sample, 0); at >= 0 && types.length < limit; at = nextStartCode(sample, at + 3)) {
    const coding = sample[at + 3] === MPEG4_START.vop ? sample[at + 4] : undefined;
    if (coding !== undefined) types.push(VOP_TYPES[coding >> 6]!);
  }
  return types;
}

/** The coding type of the first VOP in `sample`; `undefined` when it holds none (or it is cut short). */
export function mpeg4VopType(sample: Uint8Array): Mpeg4VopType | undefined {
  return vopTypes(sample, 1)[0];
}

/**
 * The configuration headers at the start of `sample` (from its first VOS/VO/VOL start code to
 * the first GOV or VOP), when it opens with them: what a decode that starts elsewhere needs
 * before its first VOP. `undefined` when the sample carries no VOL.
 */
export function mpeg4ConfigurationHeaders(sample: Uint8Array): Uint8Array | undefined {
  let start = -1;
  let hasLayer = false;
  for (let at = nextStartCode(sample, 0); at >= 0; at = nextStartCode(sample, at + 3)) {
    const value = sample[at + 3];
    if (value === undefined) break;
    if (isConfigurationStart(value)) {
      if (start < 0) start = at;
      hasLayer ||= isVolStart(value);
    } else if (value === MPEG4_START.groupOfVop || value === MPEG4_START.vop) {
      return start >= 0 && hasLayer ? sample.subarray(start, at) : undefined;
    }
  }
  return undefined;
}

/** Whether a start code of `value` opens a VOL header (video_object_layer_start_code). */
function isVolStart(value: number): boolean {
  return value >= MPEG4_START.videoObjectLayerFirst && value <= MPEG4_START.videoObjectLayerLast;
}

/** Where the first VOL start code of `bytes` is; -1 when there is none. */
function findVol(bytes: Uint8Array): number {
  for (let at = nextStartCode(bytes, 0); at >= 0; at = nextStartCode(bytes, at + 3)) {
    if (at + 3 < bytes.length && isVolStart(bytes[at + 3]!)) return at;
  }
  return -1;
}

/** Whether `sample` carries a VOL header. */
export function hasMpeg4VolHeader(sample: Uint8Array): boolean {
  return findVol(sample) >= 0;
}

/**
 * The picture size a VOL header gives (6.2.3: video_object_layer_width/height of a rectangular
 * layer); `undefined` when the headers hold no readable VOL.
 */
export function mpeg4PictureSize(headers: Uint8Array): { width: number; height: number } | undefined {
  const at = findVol(headers);
  return at < 0 ? undefined : readVolSize(new RbspReader(headers.subarray(at + 4), 0));
}

/**
 * Reads a VOL header from after its start code up to its size fields. (`RbspReader` also drops
 * H.264's emulation prevention bytes, which MPEG-4 Visual has none of; a VOL's marker bits keep
 * such a byte pattern out of these fields.)
 */
function readVolSize(r: RbspReader): { width: number; height: number } | undefined {
  r.readBit(); // random_accessible_vol
  r.readBits(8); // video_object_type_indication
  let verid = 1;
  if (r.readBit() === 1) {
    verid = r.readBits(4); // video_object_layer_verid
    r.readBits(3); // video_object_layer_priority
  }
  if (r.readBits(4) === 15) r.readBits(16); // aspect_ratio_info: extended PAR, par_width and par_height
  if (r.readBit() === 1) {
    // vol_control_parameters: chroma_format, low_delay, and the VBV parameters (79 bits with their markers).
    r.readBits(3);
    if (r.readBit() === 1) r.skipBits(79);
  }
  const shape = r.readBits(2);
  if (shape === 3 && verid !== 1) r.readBits(4); // video_object_layer_shape_extension
  r.readBit(); // marker
  const resolution = r.readBits(16); // vop_time_increment_resolution
  r.readBit(); // marker
  if (r.readBit() === 1) r.readBits(Math.max(1, Math.ceil(Math.log2(resolution)))); // fixed_vop_time_increment
  if (shape !== 0) return undefined; // not rectangular: no size fields
  r.readBit(); // marker
  const width = r.readBits(13);
  r.readBit(); // marker
  const height = r.readBits(13);
  return width > 0 && height > 0 ? { width, height } : undefined;
}
