/**
 * The published package works as installed: the tsup build's ESM and CJS entry points load by
 * the package name, find their engine worker beside the bundle, and extract a frame through
 * the HarmonyOS facade; the type declarations are emitted for both.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './helpers/fixtures.js';
import { requireNativeTool } from './helpers/native.js';

const ROOT = resolve(import.meta.dirname, '..');
const SCRATCH = join(ROOT, '.cache', 'package-test');

/** Runs a script placed inside the package, so `stillframe` resolves to this package (self-reference). */
function runScript(name: string, source: string): string {
  mkdirSync(SCRATCH, { recursive: true });
  const path = join(SCRATCH, name);
  writeFileSync(path, source);
  return execFileSync(process.execPath, [path], { cwd: ROOT, timeout: 60_000 }).toString().trim();
}

const fetchOneFrame = (importLine: string, video: string) => `
${importLine}
const fs = require_or_import_fs;
const generator = await media.createAVImageGenerator();
generator.fdSrc = { fd: fs.openSync(${JSON.stringify(video)}, 'r') };
const pixelMap = await generator.fetchFrameByTime(1000000, media.AVImageQueryOptions.AV_IMAGE_QUERY_CLOSEST, { width: 160, height: 120 });
const jpeg = await image.createImagePacker().packToData(pixelMap, { format: 'image/jpeg', quality: 80 });
const info = pixelMap.getImageInfoSync();
console.log(JSON.stringify({ size: info.size, time: pixelMap.frameTimeUs, jpeg: jpeg.byteLength }));
await generator.release();
`;

describe.skipIf(!requireNativeTool('ffmpeg'))('the built package', () => {
  beforeAll(() => {
    execFileSync('npx', ['tsup', '--silent'], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
  }, 180_000);

  it('emits ESM, CJS, both declaration files, the CLI and the engine worker', () => {
    for (const file of ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'cli.js', 'ffmpeg-worker.mjs']) {
      expect(existsSync(join(ROOT, 'dist', file)), file).toBe(true);
    }
  });

  it('extracts a frame through `import { media, image } from "stillframe"`', () => {
    const script = fetchOneFrame("import { media, image } from 'stillframe';\nimport * as fsModule from 'node:fs';", fixture('h264-bframes.mp4'))
      .replace('require_or_import_fs', 'fsModule');
    const out = JSON.parse(runScript('esm.mjs', script));
    expect(out).toEqual({ size: { width: 160, height: 120 }, time: 1_000_000, jpeg: expect.any(Number) });
    expect(out.jpeg).toBeGreaterThan(1000);
  });

  it('extracts a frame through `require("stillframe")`', () => {
    const body = fetchOneFrame('', fixture('h264-bframes.mp4')).replace('require_or_import_fs', "require('node:fs')");
    const script = `const { media, image } = require('stillframe');\n(async () => {${body}})().catch((e) => { console.error(e); process.exit(1); });`;
    const out = JSON.parse(runScript('cjs.cjs', script));
    expect(out).toEqual({ size: { width: 160, height: 120 }, time: 1_000_000, jpeg: expect.any(Number) });
  });
});
