/**
 * The README's first command, `npm run demo`: it makes the sample video, writes one JPEG
 * thumbnail per AVImageQueryOptions mode into `out/` (relative to where it runs) and prints a
 * line for each. Needs no native tool (the demo encodes its own sample).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import jpeg from 'jpeg-js';
import { afterAll, describe, expect, it } from 'vitest';
import { rgbDifference } from '../helpers/pixels.js';
import { runToEnd } from '../helpers/run-to-end.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** A scratch working directory, so that the run leaves the project's own `out/` alone. */
const temp = mkdtempSync(join(tmpdir(), 'stillframe-demo-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/**
 * What the demo asks for: 3.1 s into its sample (25 fps, a key frame every 2 s, so key frames
 * at 0, 2 and 4 s). The next key frame is 4 s; the previous one 2 s; the closest key frame is
 * 4 s (0.9 s away, against 1.1 s); the closest frame of any kind is 3.08 s (3.1 s lies midway
 * between 3.08 and 3.12 s, and a tie goes to the earlier frame).
 */
const EXPECTED = [
  ['next-sync', '4.00'],
  ['previous-sync', '2.00'],
  ['closest-sync', '4.00'],
  ['closest', '3.08'],
] as const;

/** `npm run demo`'s command line, from package.json: the program and its arguments. */
function demoCommand(): [string, string[]] {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(scripts.demo, 'the demo script runs examples/demo.ts with tsx').toBe('tsx examples/demo.ts');
  // npm puts node_modules/.bin on the PATH and runs in the project; here the same program
  // runs from the scratch directory, with the script named by its absolute path.
  return [join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'examples', 'demo.ts')]];
}

describe('npm run demo', () => {
  it('writes one thumbnail per query mode into out/ and prints each file, its size and its frame time', { timeout: 180_000 }, async () => {
    const [program, args] = demoCommand();
    const { code, stdout, stderr } = await runToEnd(program, args, temp, 150_000);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('thumbnails of out/sample.mp4 at 3.1 s, one per query mode:');

    const lines = [...stdout.matchAll(/^ {2}wrote (\S+) {2}(\d+)x(\d+), frame at ([\d.]+) s \((\d+) bytes\)$/gm)];
    expect(lines.map(([, file, width, height, time]) => [file, width, height, time])).toEqual(
      EXPECTED.map(([mode, time]) => [`out/thumb-${mode}.jpg`, '320', '180', time]),
    );
    const thumbs = lines.map(([, file, width, height, , bytes]) => {
      const path = join(temp, file!);
      expect(statSync(path).size, file).toBe(Number(bytes));
      const thumb = jpeg.decode(readFileSync(path), { useTArray: true });
      expect([thumb.width, thumb.height], file).toEqual([Number(width), Number(height)]);
      return thumb;
    });

    // The same frame twice (next and closest key frame) gives the same JPEG; the other frames
    // differ visibly (the test pattern moves).
    const [nextSync, previousSync, closestSync, closest] = thumbs;
    expect(readFileSync(join(temp, 'out/thumb-closest-sync.jpg'))).toEqual(readFileSync(join(temp, 'out/thumb-next-sync.jpg')));
    expect(rgbDifference(closestSync!, nextSync!).mean).toBe(0);
    expect(rgbDifference(previousSync!, nextSync!).mean).toBeGreaterThan(5);
    expect(rgbDifference(closest!, nextSync!).mean).toBeGreaterThan(5);
    expect(rgbDifference(closest!, previousSync!).mean).toBeGreaterThan(5);
  });
});
