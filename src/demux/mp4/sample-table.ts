/**
 * The sample table of a progressive (non-fragmented) MP4 track, read from the `stbl` box with
 * flat loops over typed data. mp4box would build one object of some fifteen fields per sample
 * of every track — about 130 MB of heap for the 250 000 samples of an hour of 1080p video with
 * its audio — so it is handed a `moov` without sample tables (it then builds no sample lists)
 * and the video track's samples are read here, as ffmpeg's mov demuxer reads them.
 */
import { unsupported } from '../../errors.js';
import { allocateColumns, type SampleColumns } from '../sample-list.js';
import { hideBox, visitBoxes } from './moov-boxes.js';

/** The boxes of an `stbl` (not those inside its sample entries), by type: the first of each type. */
function childBoxes(moov: Uint8Array, stbl: { at: number; size: number }): Map<string, { at: number; size: number }> {
  const children = new Map<string, { at: number; size: number }>();
  visitBoxes(
    moov,
    ({ type, at, size, inSampleEntry }) => {
      if (!inSampleEntry && !children.has(type)) children.set(type, { at, size });
    },
    stbl.at + 8,
    stbl.at + stbl.size,
  );
  return children;
}

/** The sample table boxes read by {@link readSampleTable}. */
const TABLES = new Set(['stts', 'ctts', 'stss', 'stsz', 'stz2', 'stsc', 'stco', 'co64']);

/**
 * Renames every track's sample table boxes (sizes, times, chunks, sync samples) in `moov` to
 * `free`, in place, so that mp4box parses the structure but neither copies the tables into
 * arrays nor builds per-sample objects (without `stsz` it builds no sample list).
 */
export function hideSampleTables(moov: Uint8Array): void {
  visitBoxes(
    moov,
    ({ type, at, inSampleEntry }) => {
      if (!inSampleEntry && TABLES.has(type)) hideBox(moov, at);
    },
    8,
  );
}

/**
 * Where the entries of a full box start and how many there are (`entry_count` is the last field
 * of its `headerBytes`-byte header), checking that they fit in the box.
 */
function entries(view: DataView, box: { at: number; size: number }, headerBytes: number, entrySize: number, name: string): { count: number; first: number } {
  const count = view.getUint32(box.at + headerBytes - 4);
  const first = box.at + headerBytes;
  if (first + count * entrySize > box.at + box.size) throw unsupported(`the track's ${name} table is truncated`);
  return { count, first };
}

/**
 * The samples of the track whose `stbl` box sits at `stbl.at` in `moov`, in decode order, as
 * columns in track timescale ticks (`cts` before any edit or shift). DTS starts at 0;
 * composition offsets are read as signed (as ffmpeg reads them, whatever the box version says);
 * without `stss` every sample is sync.
 *
 * @throws StillframeError `unsupported` when a required table is missing or truncated.
 */
export function readSampleTable(moov: Uint8Array, stbl: { at: number; size: number }, fileSize: number): SampleColumns {
  const view = new DataView(moov.buffer, moov.byteOffset, moov.byteLength);
  const boxes = childBoxes(moov, stbl);
  const stts = boxes.get('stts');
  if (!stts) throw unsupported('the track has no time-to-sample table (stts)');
  const columns = allocateColumns(sampleCount(view, boxes, fileSize));
  const count = columns.size.length;
  readSampleSizes(view, moov, boxes, columns.size);
  readSampleOffsets(view, boxes, columns.size, columns.offset);

  const time = entries(view, stts, 16, 8, 'stts');
  const ctts = boxes.get('ctts');
  const composition = ctts ? entries(view, ctts, 16, 8, 'ctts') : undefined;
  const syncNumbers = syncSampleNumbers(view, boxes);
  let dts = 0;
  let timeRun = 0;
  let timeLeft = time.count > 0 ? view.getUint32(time.first) : 0;
  let ctsRun = 0;
  let ctsLeft = composition && composition.count > 0 ? view.getUint32(composition.first) : 0;
  let nextSync = 0;
  for (let i = 0; i < count; i++) {
    while (timeLeft === 0 && timeRun + 1 < time.count) timeLeft = view.getUint32(time.first + ++timeRun * 8);
    // Past the table's end, ffmpeg repeats the last delta.
    const duration = time.count > 0 ? view.getUint32(time.first + timeRun * 8 + 4) : 0;
    timeLeft--;
    let offset = 0;
    if (composition) {
      while (ctsLeft === 0 && ctsRun + 1 < composition.count) ctsLeft = view.getUint32(composition.first + ++ctsRun * 8);
      if (ctsLeft > 0) {
        offset = view.getInt32(composition.first + ctsRun * 8 + 4);
        ctsLeft--;
      }
    }
    let isSync = syncNumbers === undefined;
    if (syncNumbers) {
      // Numbers below this sample's (0 and duplicates, in broken tables) are passed over.
      while (nextSync < syncNumbers.length && syncNumbers[nextSync]! < i + 1) nextSync++;
      isSync = syncNumbers[nextSync] === i + 1;
    }
    columns.dts[i] = dts;
    columns.cts[i] = dts + offset;
    columns.duration[i] = duration;
    columns.sync[i] = isSync ? 1 : 0;
    dts += duration;
  }
  return columns;
}

/**
 * The number of samples, as the sample size table (`stsz` or the compact `stz2`) gives it,
 * checked against what the tables can hold before anything is allocated for it: a size per
 * sample in the table, or for a fixed size, a place per sample in the chunks and in the file.
 */
function sampleCount(view: DataView, boxes: Map<string, { at: number; size: number }>, fileSize: number): number {
  const stsz = boxes.get('stsz');
  const stz2 = boxes.get('stz2');
  if (stsz) {
    const fixed = view.getUint32(stsz.at + 12);
    if (fixed === 0) return entries(view, stsz, 20, 4, 'stsz').count;
    const count = view.getUint32(stsz.at + 16);
    if (count > chunkCapacity(view, boxes) || count * fixed > fileSize) {
      throw unsupported(`the track's ${count} samples of ${fixed} bytes cannot be in its chunks or in the file`);
    }
    return count;
  }
  if (!stz2) throw unsupported('the track has no sample size table (stsz)');
  const fieldSize = view.getUint8(stz2.at + 15);
  if (fieldSize !== 4 && fieldSize !== 8 && fieldSize !== 16) throw unsupported(`the track's stz2 field size ${fieldSize} is invalid`);
  const count = view.getUint32(stz2.at + 16);
  if (stz2.at + 20 + Math.ceil((count * fieldSize) / 8) > stz2.at + stz2.size) throw unsupported("the track's stz2 table is truncated");
  return count;
}

/** How many samples the chunk tables place at most (`stsc` runs over the `stco`/`co64` chunks). */
function chunkCapacity(view: DataView, boxes: Map<string, { at: number; size: number }>): number {
  const { runs } = chunkTables(view, boxes);
  let capacity = 0;
  for (const { firstChunk, endChunk, perChunk } of runs()) capacity += Math.max(0, endChunk - firstChunk) * perChunk;
  return capacity;
}

/** The chunk offset table (`stco`, or `co64` for 64-bit offsets) and the sample-to-chunk table (`stsc`). */
function chunkTables(view: DataView, boxes: Map<string, { at: number; size: number }>) {
  const stco = boxes.get('stco');
  const co64 = boxes.get('co64');
  const chunksBox = stco ?? co64;
  const stscBox = boxes.get('stsc');
  if (!chunksBox || !stscBox) throw unsupported('the track has no chunk tables (stco/co64, stsc)');
  const chunks = entries(view, chunksBox, 16, stco ? 4 : 8, stco ? 'stco' : 'co64');
  const chunkOffset = (chunk: number): number =>
    stco ? view.getUint32(chunks.first + chunk * 4) : Number(view.getBigUint64(chunks.first + chunk * 8));
  const stsc = entries(view, stscBox, 16, 12, 'stsc');
  /** The `stsc` runs: chunks `firstChunk` to `endChunk - 1` (0-based, within the chunk table) hold `perChunk` samples each. */
  function* runs(): Generator<{ firstChunk: number; endChunk: number; perChunk: number }> {
    for (let run = 0; run < stsc.count; run++) {
      const next = run + 1 < stsc.count ? view.getUint32(stsc.first + (run + 1) * 12) - 1 : chunks.count;
      yield { firstChunk: view.getUint32(stsc.first + run * 12) - 1, endChunk: Math.min(next, chunks.count), perChunk: view.getUint32(stsc.first + run * 12 + 4) };
    }
  }
  return { chunkOffset, runs };
}

/** Sample sizes from `stsz` (or the compact `stz2`), into `sizes`. */
function readSampleSizes(view: DataView, moov: Uint8Array, boxes: Map<string, { at: number; size: number }>, sizes: Uint32Array): void {
  const stsz = boxes.get('stsz');
  if (stsz) {
    const fixed = view.getUint32(stsz.at + 12);
    if (fixed !== 0) {
      sizes.fill(fixed);
      return;
    }
    const first = stsz.at + 20;
    for (let i = 0; i < sizes.length; i++) sizes[i] = view.getUint32(first + i * 4);
    return;
  }
  // sampleCount has checked the table and its field size.
  const stz2 = boxes.get('stz2')!;
  const fieldSize = moov[stz2.at + 15]!;
  const at = stz2.at + 20;
  for (let i = 0; i < sizes.length; i++) {
    if (fieldSize === 16) sizes[i] = view.getUint16(at + i * 2);
    else if (fieldSize === 8) sizes[i] = moov[at + i]!;
    else sizes[i] = (moov[at + (i >> 1)]! >> ((i & 1) === 0 ? 4 : 0)) & 0x0f;
  }
}

/** Each sample's file offset, into `offsets`: chunks from `stco`/`co64`, samples per chunk from `stsc`. */
function readSampleOffsets(view: DataView, boxes: Map<string, { at: number; size: number }>, sizes: Uint32Array, offsets: Float64Array): void {
  const { chunkOffset, runs } = chunkTables(view, boxes);
  let sample = 0;
  for (const { firstChunk, endChunk, perChunk } of runs()) {
    if (sample === sizes.length) break;
    for (let chunk = firstChunk; chunk < endChunk && sample < sizes.length; chunk++) {
      let offset = chunkOffset(chunk);
      for (let k = 0; k < perChunk && sample < sizes.length; k++) {
        offsets[sample] = offset;
        offset += sizes[sample]!;
        sample++;
      }
    }
  }
  if (sample < sizes.length) throw unsupported(`the track's chunk tables place ${sample} of its ${sizes.length} samples`);
}

/** 1-based sync sample numbers in increasing order, or undefined when there is no `stss` (all sync). */
function syncSampleNumbers(view: DataView, boxes: Map<string, { at: number; size: number }>): Uint32Array | undefined {
  const stss = boxes.get('stss');
  if (!stss) return undefined;
  const { count, first } = entries(view, stss, 16, 4, 'stss');
  const numbers = new Uint32Array(count);
  for (let i = 0; i < count; i++) numbers[i] = view.getUint32(first + i * 4);
  return numbers.sort();
}
