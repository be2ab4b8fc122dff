/**
 * Matroska's index elements: the `SeekHead` (where the Segment's top-level elements are) and the
 * `Cues` (where a track's entry points are: their time and their Cluster), read like an MP4's
 * `moov`, so that a file's clusters need not all be walked.
 */
import { childElements, readUint } from './ebml.js';
import { ELEMENT } from './element-ids.js';

/** The absolute positions of the top-level elements a SeekHead lists, by element ID (the first of each). */
export function readSeekHead(payload: Uint8Array, segmentDataStart: number): Map<number, number> {
  const positions = new Map<number, number>();
  for (const seek of childElements(payload)) {
    if (seek.id !== ELEMENT.seek) continue;
    const fields = childElements(seek.data);
    const id = fields.find((field) => field.id === ELEMENT.seekId);
    const position = fields.find((field) => field.id === ELEMENT.seekPosition);
    // The SeekID holds an element ID as it is written, length marker included.
    if (id && position && !positions.has(readUint(id.data))) positions.set(readUint(id.data), segmentDataStart + readUint(position.data));
  }
  return positions;
}

/** An entry point the Cues name: its time (TimecodeScale ticks) and its Cluster's absolute position. */
export interface CuePoint {
  readonly time: number;
  readonly cluster: number;
}

/** The cue points of track `trackNumber` in a Cues payload, in file order. */
export function readCuePoints(payload: Uint8Array, trackNumber: number, segmentDataStart: number): CuePoint[] {
  const points: CuePoint[] = [];
  for (const point of childElements(payload)) {
    if (point.id !== ELEMENT.cuePoint) continue;
    const fields = childElements(point.data);
    const time = fields.find((field) => field.id === ELEMENT.cueTime);
    if (!time) continue;
    for (const positions of fields) {
      if (positions.id !== ELEMENT.cueTrackPositions) continue;
      const entry = childElements(positions.data);
      const track = entry.find((field) => field.id === ELEMENT.cueTrack);
      const cluster = entry.find((field) => field.id === ELEMENT.cueClusterPosition);
      if (track && cluster && readUint(track.data) === trackNumber) {
        points.push({ time: readUint(time.data), cluster: segmentDataStart + readUint(cluster.data) });
      }
    }
  }
  return points;
}
