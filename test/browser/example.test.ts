/**
 * `examples/browser` runs as its README says: the README's command serves the page, and in
 * headless Chromium a video picked through `<input type=file>` becomes a strip of thumbnails,
 * redrawn when the query mode changes (here the served build is the tests' own build of the
 * package, through `STILLFRAME_BROWSER_DIST`, so the working tree's `dist/` is left alone).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/fixtures.js';
import { requireChromium, requireNativeTool } from '../helpers/native.js';
import { builtPackage, localBin } from '../package-build.js';
import { launchChromium } from './chromium.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe.skipIf(!requireChromium() || !requireNativeTool('ffmpeg'))('examples/browser', () => {
  let server: ChildProcess | undefined;
  let url: string;
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;

  beforeAll(async () => {
    const readme = readFileSync(join(ROOT, 'examples/browser/README.md'), 'utf8');
    const command = /```sh\n(npx tsx examples\/browser\/serve\.ts)\n```/.exec(readme)?.[1];
    expect(command, 'the README shows the command').toBeDefined();
    const pkg = await builtPackage();
    // The README's command, with tsx run directly so that the process can be stopped by its id.
    server = spawn(process.execPath, [localBin('tsx'), 'examples/browser/serve.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', STILLFRAME_BROWSER_DIST: join(pkg.dir, 'dist/browser') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    url = await new Promise<string>((done, fail) => {
      let out = '';
      server!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (found) done(found[0]);
      });
      server!.once('exit', (code) => fail(new Error(`serve.ts exited (${code}): ${out}`)));
    });
    chromium = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await chromium?.close();
    server?.kill();
  });

  it('shows a strip of thumbnails of a picked file, for the chosen query mode', { timeout: 180_000 }, async () => {
    const page = await chromium!.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(url);
    const strip = async (mode: string) => {
      await page.waitForFunction(() => /^\d+ thumbnails in \d+ ms$/.test(document.getElementById('status')!.textContent ?? ''), undefined, {
        timeout: 120_000,
      });
      const captions = await page.locator('#strip figcaption').allTextContents();
      const sizes = await page.locator('#strip canvas').evaluateAll((canvases) => canvases.map((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]));
      return { mode, captions, sizes };
    };

    await page.locator('#count').fill('6');
    await page.locator('#file').setInputFiles(fixture('h264-bframes.mp4'));
    const closestSync = await strip('closest sync');
    await page.evaluate(() => (document.getElementById('status')!.textContent = ''));
    await page.locator('#mode').selectOption('AV_IMAGE_QUERY_CLOSEST');
    const closest = await strip('closest');

    expect(errors).toEqual([]);
    for (const result of [closestSync, closest]) {
      expect(result.captions, result.mode).toHaveLength(6);
      // 160 wide, the height scaled in proportion (the fixture is 4:3).
      for (const size of result.sizes) expect(size, result.mode).toEqual([160, 120]);
    }
    const frameTimes = (captions: string[]) => captions.map((caption) => Number(/frame ([\d.]+) s/.exec(caption)?.[1]));
    // Key frames are a second apart: closest-sync picks few distinct frames, closest one per time asked.
    expect(new Set(frameTimes(closest.captions)).size).toBe(6);
    expect(new Set(frameTimes(closestSync.captions)).size).toBeLessThan(6);
    await page.close();
  });
});
