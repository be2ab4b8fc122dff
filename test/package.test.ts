/**
 * The published package works as installed: the tsup build's ESM and CJS entry points load by
 * the package name from a project that has it in `node_modules` — `stillframe`,
 * `stillframe/harmony`, `stillframe/kinesis` — find their engine worker beside the bundle, and
 * extract frames through each facade; the type declarations are emitted for all of them. (The
 * build is shared with the other package tests: `./package-build.ts`.)
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './helpers/fixtures.js';
import { requireNativeTool } from './helpers/native.js';
import { builtPackage, type BuiltPackage } from './package-build.js';

let pkg: BuiltPackage;

/** Runs a script in the consumer project, where `stillframe` is an installed package. */
function runScript(name: string, source: string, conditions: string[] = []): string {
  const dir = join(pkg.consumer, 'scripts');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, source);
  const flags = conditions.map((condition) => `--conditions=${condition}`);
  return execFileSync(process.execPath, [...flags, path], { cwd: pkg.consumer, timeout: 60_000 }).toString().trim();
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

const esmFrame = (specifier: string) =>
  fetchOneFrame(`import { media, image } from '${specifier}';\nimport * as fsModule from 'node:fs';`, fixture('h264-bframes.mp4')).replace(
    'require_or_import_fs',
    'fsModule',
  );

const cjsFrame = (specifier: string) => {
  const body = fetchOneFrame('', fixture('h264-bframes.mp4')).replace('require_or_import_fs', "require('node:fs')");
  return `const { media, image } = require('${specifier}');\n(async () => {${body}})().catch((e) => { console.error(e); process.exit(1); });`;
};

/** One GetImages call over a catalog whose source is a file path (opened by the Node entry's path opener). */
const getImages = (importLine: string, video: string) => `
${importLine}
const t0 = Date.parse('2026-11-21T10:00:00Z');
const kvam = new KinesisVideoArchivedMedia({
  catalog: { streams: [{ name: 'cam-1', fragments: [{ source: ${JSON.stringify(video)}, producerStartTime: new Date(t0).toISOString() }] }] },
});
const { Images } = await kvam.getImages({
  StreamName: 'cam-1', ImageSelectorType: 'PRODUCER_TIMESTAMP', StartTimestamp: new Date(t0 + 1000), EndTimestamp: new Date(t0 + 1000),
  SamplingInterval: 3000, Format: 'JPEG', HeightPixels: 120,
});
console.log(JSON.stringify(Images.map((i) => ({ error: i.Error ?? null, chars: i.ImageContent?.length ?? 0 }))));
await closeSharedRunner();
`;

const frameResult = { size: { width: 160, height: 120 }, time: 1_000_000, jpeg: expect.any(Number) };

describe.skipIf(!requireNativeTool('ffmpeg'))('the built package', () => {
  beforeAll(async () => {
    pkg = await builtPackage();
  }, 600_000);

  it('emits ESM, CJS and declarations for every entry, in both builds, plus the CLI and the engine worker', () => {
    const files = ['cli.js', 'ffmpeg-worker.mjs'];
    for (const dir of ['', 'neutral/']) {
      for (const entry of ['index', 'harmony', 'kinesis']) {
        files.push(...['.js', '.cjs', '.d.ts', '.d.cts'].map((ext) => `${dir}${entry}${ext}`));
      }
    }
    for (const file of files) expect(existsSync(join(pkg.dir, 'dist', file)), file).toBe(true);
  });

  it('extracts a frame through `import { media, image } from "stillframe"`', () => {
    const out = JSON.parse(runScript('esm.mjs', esmFrame('stillframe')));
    expect(out).toEqual(frameResult);
    expect(out.jpeg).toBeGreaterThan(1000);
  });

  it('extracts a frame through `require("stillframe")`', () => {
    expect(JSON.parse(runScript('cjs.cjs', cjsFrame('stillframe')))).toEqual(frameResult);
  });

  it('extracts a frame through `import { media, image } from "stillframe/harmony"`', () => {
    expect(JSON.parse(runScript('harmony.mjs', esmFrame('stillframe/harmony')))).toEqual(frameResult);
  });

  it('extracts a frame through `require("stillframe/harmony")`', () => {
    expect(JSON.parse(runScript('harmony.cjs', cjsFrame('stillframe/harmony')))).toEqual(frameResult);
  });

  it('gets an image from a file-path catalog through `import { KinesisVideoArchivedMedia } from "stillframe/kinesis"`', () => {
    const script = getImages("import { KinesisVideoArchivedMedia, closeSharedRunner } from 'stillframe/kinesis';", fixture('h264-bframes.mp4'));
    const images = JSON.parse(runScript('kinesis.mjs', script));
    expect(images).toHaveLength(1);
    expect(images[0].error).toBeNull();
    expect(images[0].chars).toBeGreaterThan(1000);
  });

  it('gets an image through `require("stillframe/kinesis")`', () => {
    const body = getImages('', fixture('h264-bframes.mp4'));
    const script = `const { KinesisVideoArchivedMedia, closeSharedRunner } = require('stillframe/kinesis');\n(async () => {${body}})().catch((e) => { console.error(e); process.exit(1); });`;
    const images = JSON.parse(runScript('kinesis.cjs', script));
    expect(images).toMatchObject([{ error: null }]);
  });

  it('runs the installed `stillframe` binary: serve prints its ready line, answers GetImages, and stops on SIGTERM', async () => {
    const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const dir = join(pkg.consumer, 'serve');
    mkdirSync(dir, { recursive: true });
    const t0 = Date.parse('2026-11-21T10:00:00Z');
    writeFileSync(join(dir, 'streams.json'), JSON.stringify({ streams: [{ name: 'cam-1', fragments: [{ source: fixture('h264-bframes.mp4'), producerStartTime: new Date(t0).toISOString() }] }] }));
    const server = spawn(process.execPath, [join(pkg.consumer, 'node_modules', 'stillframe', manifest.bin.stillframe!), 'serve', '--catalog', 'streams.json', '--no-auth', '--port', '0'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((done) => server.on('exit', done));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
          if (match) resolve(match[1]!);
        });
        server.on('exit', (code) => reject(new Error(`serve exited with ${code} before listening: ${out}`)));
      });
      const response = await fetch(`${url}/getImages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ StreamName: 'cam-1', ImageSelectorType: 'PRODUCER_TIMESTAMP', StartTimestamp: t0 / 1000 + 1, EndTimestamp: t0 / 1000 + 1, SamplingInterval: 3000, Format: 'JPEG' }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { Images: Array<{ TimeStamp: number; Error?: string; ImageContent?: string }> };
      expect(body.Images).toHaveLength(1);
      expect(body.Images[0]!.Error).toBeUndefined();
      expect(Buffer.from(body.Images[0]!.ImageContent!, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);

  it('shares one core between the entry points of a module system (one engine, one error class)', () => {
    const esm = runScript(
      'shared.mjs',
      `import * as all from 'stillframe';
import * as harmony from 'stillframe/harmony';
import * as kinesis from 'stillframe/kinesis';
console.log(JSON.stringify([all.BusinessError === harmony.BusinessError, all.closeSharedRunner === harmony.closeSharedRunner,
  all.closeSharedRunner === kinesis.closeSharedRunner, all.KinesisVideoArchivedMedia === kinesis.KinesisVideoArchivedMedia]));`,
    );
    expect(JSON.parse(esm)).toEqual([true, true, true, true]);
    const cjs = runScript(
      'shared.cjs',
      `const all = require('stillframe'), harmony = require('stillframe/harmony'), kinesis = require('stillframe/kinesis');
console.log(JSON.stringify([all.BusinessError === harmony.BusinessError, all.closeSharedRunner === harmony.closeSharedRunner,
  all.closeSharedRunner === kinesis.closeSharedRunner, all.KinesisVideoArchivedMedia === kinesis.KinesisVideoArchivedMedia]));`,
    );
    expect(JSON.parse(cjs)).toEqual([true, true, true, true]);
  });

  // The `workerd`, `worker`, `browser` and `default` conditions: no engine yet. Loaded here in
  // Node with `--conditions=workerd`, which `exports` puts before `node`.
  describe('the runtime-neutral build (no decode engine registered)', () => {
    const video = () => JSON.stringify(fixture('h264-bframes.mp4'));

    it('imports, reads sources and encodes, and fails the first decode with a typed error', () => {
      const script = `
import { openVideoFile, memorySource, encodePng, isStillframeError } from 'stillframe';
import { readFileSync } from 'node:fs';
const source = memorySource(new Uint8Array(readFileSync(${video()})));
const png = encodePng({ width: 2, height: 1, data: new Uint8Array(8).fill(255) });
let error;
try { await (await openVideoFile(source)).extractFrame(1_000_000); } catch (e) { error = { typed: isStillframeError(e, 'not-allowed'), message: e.message }; }
console.log(JSON.stringify({ size: source.size, png: [...png.subarray(1, 4)], error }));
`;
      const out = JSON.parse(runScript('neutral-core.mjs', script, ['workerd']));
      expect(out).toEqual({
        size: expect.any(Number),
        png: [...Buffer.from('PNG')],
        error: { typed: true, message: 'no decode engine is registered for this runtime' },
      });
    });

    it('reports it through the HarmonyOS facade as BusinessError 5400102, and file sources as unavailable', () => {
      const script = `
import { media } from 'stillframe/harmony';
import { readFileSync } from 'node:fs';
const fetch = async (set) => {
  const generator = await media.createAVImageGenerator();
  set(generator);
  try { await generator.fetchFrameByTime(1_000_000, media.AVImageQueryOptions.AV_IMAGE_QUERY_CLOSEST, { width: 160, height: 120 }); return 'no error'; }
  catch (e) { return { name: e.name, code: e.code, message: e.message }; }
};
console.log(JSON.stringify({
  dataSrc: await fetch((g) => { g.dataSrc = new Uint8Array(readFileSync(${video()})); }),
  fdSrc: await fetch((g) => { g.fdSrc = { fd: 0 }; }),
  fileUrl: await fetch((g) => { g.url = 'file://' + ${video()}; }),
}));
`;
      const out = JSON.parse(runScript('neutral-harmony.mjs', script, ['workerd']));
      expect(out.dataSrc).toEqual({ name: 'BusinessError', code: 5400102, message: 'no decode engine is registered for this runtime' });
      for (const source of ['fdSrc', 'fileUrl']) {
        expect(out[source], source).toMatchObject({ name: 'BusinessError', code: 5400102, message: expect.stringContaining('needs a file system') });
      }
    });

    it('refuses file-path catalog sources in the Kinesis facade', () => {
      const script = `
import { KinesisVideoArchivedMedia } from 'stillframe/kinesis';
try {
  new KinesisVideoArchivedMedia({ catalog: { streams: [{ name: 'cam-1', fragments: [{ source: ${video()}, producerStartTime: '2026-11-21T10:00:00Z' }] }] } });
  console.log('"accepted"');
} catch (e) { console.log(JSON.stringify(e.message)); }
`;
      expect(JSON.parse(runScript('neutral-kinesis.mjs', script, ['workerd']))).toMatch(/has no file opener/);
    });
  });
});
