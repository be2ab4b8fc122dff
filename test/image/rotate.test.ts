import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../src/image/rgba-image.js';
import { type QuarterTurn, rotate } from '../../src/image/rotate.js';
import { fixture, withTrackMatrix } from '../helpers/fixtures.js';
import { ffmpeg, requireNativeTool } from '../helpers/native.js';

/**
 * A 3×2 image whose pixels are labelled by their red channel:
 *
 *     1 2 3
 *     4 5 6
 */
const SMALL: RgbaImage = {
  width: 3,
  height: 2,
  data: new Uint8Array([1, 10, 100, 255, 2, 20, 200, 255, 3, 30, 0, 255, 4, 40, 1, 255, 5, 50, 2, 255, 6, 60, 3, 254]),
};

/** The labels (red channel), row by row. */
function labels(image: RgbaImage): number[][] {
  const rows: number[][] = [];
  for (let y = 0; y < image.height; y++) {
    rows.push(Array.from({ length: image.width }, (_, x) => image.data[(y * image.width + x) * 4]));
  }
  return rows;
}

describe('rotate', () => {
  it('turns clockwise by 90: the top-left corner goes to the top-right', () => {
    const out = rotate(SMALL, 90);
    expect([out.width, out.height]).toEqual([2, 3]);
    expect(labels(out)).toEqual([
      [4, 1],
      [5, 2],
      [6, 3],
    ]);
  });

  it('turns by 180', () => {
    const out = rotate(SMALL, 180);
    expect([out.width, out.height]).toEqual([3, 2]);
    expect(labels(out)).toEqual([
      [6, 5, 4],
      [3, 2, 1],
    ]);
  });

  it('turns clockwise by 270 (counter-clockwise by 90): the top-left corner goes to the bottom-left', () => {
    const out = rotate(SMALL, 270);
    expect([out.width, out.height]).toEqual([2, 3]);
    expect(labels(out)).toEqual([
      [3, 6],
      [2, 5],
      [1, 4],
    ]);
  });

  it('moves whole pixels, all four bytes together', () => {
    const out = rotate(SMALL, 90);
    // Output (1, 0) shows source (0, 0): 1, 10, 100, 255. Output (0, 2) shows source (2, 1).
    expect(Array.from(out.data.subarray(4, 8))).toEqual([1, 10, 100, 255]);
    expect(Array.from(out.data.subarray(16, 20))).toEqual([6, 60, 3, 254]);
  });

  it('returns a copy for 0 and composes like rotations do', () => {
    const same = rotate(SMALL, 0);
    expect(same.data).toEqual(SMALL.data);
    expect(same.data).not.toBe(SMALL.data);
    const turns: QuarterTurn[] = [90, 90, 90, 90];
    expect(turns.reduce((img, d) => rotate(img, d), SMALL).data).toEqual(SMALL.data);
    expect(rotate(rotate(SMALL, 90), 270).data).toEqual(SMALL.data);
    expect(rotate(rotate(SMALL, 90), 90).data).toEqual(rotate(SMALL, 180).data);
  });

  it('accepts data at any byte offset', () => {
    const shifted = new Uint8Array(SMALL.data.length + 1);
    shifted.set(SMALL.data, 1);
    const out = rotate({ width: 3, height: 2, data: shifted.subarray(1) }, 90);
    expect(out.data).toEqual(rotate(SMALL, 90).data);
  });

  it('rejects other angles and mis-sized data', () => {
    for (const degrees of [45, -90, 360, 1, Number.NaN]) {
      expect(() => rotate(SMALL, degrees as QuarterTurn), String(degrees)).toThrow(
        expect.objectContaining({ kind: 'invalid-argument' }),
      );
    }
    expect(() => rotate({ width: 3, height: 2, data: new Uint8Array(20) }, 90)).toThrow(
      expect.objectContaining({ kind: 'invalid-argument' }),
    );
  });
});

describe.skipIf(!requireNativeTool('ffmpeg'))('rotate: the display-matrix convention, against native ffmpeg', () => {
  // The fixture is one 64×32 frame.
  const width = 64;
  const height = 32;
  // Set in beforeAll, not at collection, because a skipped suite is still collected.
  let dir = '';
  let plain = '';
  let stored: Uint8Array;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stillframe-rotate-'));
    plain = fixture('mpeg4-64x32.mp4');
    stored = decode(plain, false);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Copy of the test file whose `tkhd` matrix is `[a b 0; c d 0; 0 0 1]`. */
  function withMatrix(name: string, matrix: readonly [number, number, number, number]): string {
    const path = join(dir, name);
    writeFileSync(path, withTrackMatrix(readFileSync(plain), matrix));
    return path;
  }

  /** The first frame as RGBA, as ffmpeg displays it (autorotated) or as stored. */
  function decode(path: string, autorotate: boolean): Uint8Array {
    return ffmpeg([...(autorotate ? [] : ['-noautorotate']), '-i', path, '-frames:v', '1', '-pix_fmt', 'rgba', '-f', 'rawvideo', '-']);
  }

  const cases: { degrees: QuarterTurn; matrix: readonly [number, number, number, number] }[] = [
    // The matrix iPhones write for portrait video; ffmpeg reports it as rotate=90
    // (and its display-matrix API as −90, counter-clockwise).
    { degrees: 90, matrix: [0, 1, -1, 0] },
    { degrees: 180, matrix: [-1, 0, 0, -1] },
    { degrees: 270, matrix: [0, -1, 1, 0] },
  ];
  for (const { degrees, matrix } of cases) {
    it(`rotate(frame, ${degrees}) matches ffmpeg's autorotation of tkhd matrix [${matrix.join(' ')}]`, () => {
      const displayed = decode(withMatrix(`r${degrees}.mp4`, matrix), true);
      const ours = rotate({ width, height, data: stored }, degrees);
      expect(ours.data.length).toBe(displayed.length);
      expect(ours.data).toEqual(displayed);
    });
  }
});
