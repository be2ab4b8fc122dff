/**
 * `examples/deno` runs as its README says and writes what it claims: four PNG thumbnails, one
 * per query mode, each the frame that mode must pick. Run again on an http URL of the same
 * video, it writes the same PNGs. Needs no native tool (the example encodes its own sample).
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../helpers/http-server.js';
import { requireDeno } from '../helpers/native.js';
import { runDeno } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'out', 'deno');
const MODES = ['next-sync', 'previous-sync', 'closest-sync', 'closest'];

/** The README's command, as arguments for the deno executable. */
function readmeCommand(): string[] {
  const readme = readFileSync(join(ROOT, 'examples/deno/README.md'), 'utf8');
  const command = /```sh\n(npx deno run [^\n]*examples\/deno\/thumbnails\.ts)\n```/.exec(readme)?.[1];
  expect(command, 'the README shows the command').toBeDefined();
  return command!.split(' ').slice(2);
}

const pngHashes = () =>
  MODES.map((mode) => {
    const png = readFileSync(join(OUT, `thumb-${mode}.png`));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    return createHash('sha256').update(png).digest('hex');
  });

describe.skipIf(!requireDeno())('examples/deno', () => {
  it('runs with the README command, then on a URL, writing one PNG per query mode', { timeout: 240_000 }, async () => {
    const args = readmeCommand();
    for (const mode of MODES) rmSync(join(OUT, `thumb-${mode}.png`), { force: true });

    const fromFile = await runDeno(args, ROOT, 180_000);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const lines = [...fromFile.stdout.matchAll(/wrote out\/deno\/thumb-([a-z-]+)\.png {2}(\d+x\d+), frame at ([\d.]+) s/g)].map((m) => [m[1], m[2], m[3]]);
    // The sample has a key frame every 2 s; 3.1 s lies between frames 77 (3.08 s) and 78.
    expect(lines).toEqual([
      ['next-sync', '320x180', '4.00'],
      ['previous-sync', '320x180', '2.00'],
      ['closest-sync', '320x180', '4.00'],
      ['closest', '320x180', '3.08'],
    ]);
    const fromFileHashes = pngHashes();

    const server = await startServer({ body: new Uint8Array(readFileSync(join(OUT, 'sample.mp4'))), mode: 'ranges' });
    try {
      const fromUrl = await runDeno([...args, server.url], ROOT, 180_000);
      expect(fromUrl.code, fromUrl.stderr).toBe(0);
      expect(fromUrl.stdout).toContain(`thumbnails of ${server.url}`);
      expect(server.requests.some((request) => request.headers.range)).toBe(true);
    } finally {
      await server.close();
    }
    expect(pngHashes()).toEqual(fromFileHashes);
  });
});
