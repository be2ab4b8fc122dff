/**
 * `examples/node` runs as its README says and writes what it prints: eight JPEG thumbnails of
 * the sample, at the frames its evenly spaced times name, and a contact sheet holding them. On
 * a file that is not a video it ends with exit code 1, naming the error's kind. Needs no native
 * tool (the example encodes its own sample).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../src/image/rgba-image.js';
import { rgbDifference } from '../helpers/pixels.js';
import { runToEnd } from '../helpers/run-to-end.js';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'out', 'node');
const temp = mkdtempSync(join(tmpdir(), 'stillframe-node-example-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/**
 * The sample has a frame every 40 ms (25 fps), 0 to 5.96 s (frame 149). The example asks for
 * i × 5.96 s / 7, i = 0…7, and the closest frames to those times are round(i × 149 / 7).
 */
const EXPECTED_FRAMES = [0, 21, 43, 64, 85, 106, 128, 149];

/** The README's command: the program and its arguments. */
function readmeCommand(): [string, string[]] {
  const readme = readFileSync(join(ROOT, 'examples/node/README.md'), 'utf8');
  const command = /```sh\n(npx tsx examples\/node\/contact-sheet\.ts)\n```/.exec(readme)?.[1];
  expect(command, 'the README shows the command').toBeDefined();
  const [program, ...args] = command!.split(' ');
  return [program!, args];
}

const decodeJpeg = (file: string): RgbaImage => jpeg.decode(readFileSync(file), { useTArray: true });

/** The `width`×`height` block of `image` at (`left`, `top`). */
function crop(image: RgbaImage, left: number, top: number, width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const start = ((top + y) * image.width + left) * 4;
    data.set(image.data.subarray(start, start + width * 4), y * width * 4);
  }
  return { width, height, data };
}

describe('examples/node', () => {
  it('runs with the README command, writing the thumbnails and the contact sheet it prints', { timeout: 240_000 }, async () => {
    const [program, args] = readmeCommand();
    const files = [...EXPECTED_FRAMES.map((_, i) => `thumb-${i + 1}.jpg`), 'contact-sheet.png'];
    for (const file of files) rmSync(join(OUT, file), { force: true });

    const { code, stdout, stderr } = await runToEnd(program, args, ROOT, 180_000);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('out/node/sample.mp4: h264 (avc1) 640x360, 150 frames from 0.00 s to 5.96 s');

    const lines = [...stdout.matchAll(/^ {2}wrote (\S+) {2}(\d+)x(\d+), frame at ([\d.]+) s \(asked [\d.]+ s\), (\d+) bytes$/gm)];
    expect(lines.map((m) => [m[1], m[2], m[3], m[4]])).toEqual(
      EXPECTED_FRAMES.map((frame, i) => [`out/node/thumb-${i + 1}.jpg`, '160', '90', (frame * 0.04).toFixed(2)]),
    );
    const thumbs = lines.map(([, file, width, height, , bytes]) => {
      const path = join(ROOT, file!);
      expect(statSync(path).size).toBe(Number(bytes));
      expect([...readFileSync(path).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
      const thumb = decodeJpeg(path);
      expect([thumb.width, thumb.height]).toEqual([Number(width), Number(height)]);
      return thumb;
    });
    // The test pattern moves: thumbnails of different times differ clearly.
    for (let i = 1; i < thumbs.length; i++) expect(rgbDifference(thumbs[i - 1]!, thumbs[i]!).mean).toBeGreaterThan(5);

    // The sheet: 4 × 2 cells of 160×90, 4 pixels apart and around, each holding its thumbnail
    // (up to JPEG's loss, a mean of about 2; neighbours differ by 10 or more) and white margins.
    expect(stdout).toMatch(/^wrote out\/node\/contact-sheet\.png {2}660x192$/m);
    const sheet = PNG.sync.read(readFileSync(join(OUT, 'contact-sheet.png')));
    expect([sheet.width, sheet.height]).toEqual([660, 192]);
    thumbs.forEach((thumb, i) => {
      const cell = crop(sheet, 4 + (i % 4) * 164, 4 + Math.floor(i / 4) * 94, 160, 90);
      expect(rgbDifference(cell, thumb).mean, `cell ${i + 1}`).toBeLessThan(4);
    });
    const margin = crop(sheet, 0, 94, 660, 4);
    expect(margin.data.every((value) => value === 255)).toBe(true);
  });

  it('ends with exit code 1 and the error kind on a file that is not a video', { timeout: 60_000 }, async () => {
    const [program, args] = readmeCommand();
    const notVideo = join(temp, 'notes.txt');
    writeFileSync(notVideo, 'not a video\n'.repeat(100));

    const { code, stdout, stderr } = await runToEnd(program, [...args, notVideo], ROOT, 50_000);
    expect(code).toBe(1);
    // One line naming the kind (the message depends on how the bytes look), no stack trace.
    expect(stderr).toMatch(/^stillframe: unsupported: \S.*$/m);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stdout).not.toContain('wrote');
  });
});
