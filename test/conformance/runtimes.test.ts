/**
 * One conformance suite, four runtimes: the fixed cases of `suite.ts` (file, time, query mode,
 * size, pixel format, source, API call) run through the HarmonyOS facade in
 *
 * - Node, on the sources, with the worker-thread engine — the reference run, itself checked
 *   against native ffprobe: every frame is the one the query mode must pick;
 * - Deno 2, importing the built package by name (`deno` condition, worker threads);
 * - headless Chromium, loading the browser build (`dist/browser/`, Web Worker engine);
 * - workerd (miniflare), in a Worker bundled as wrangler would from the built package (`workerd`
 *   condition: the neutral build, in-process engine, wasm as a precompiled module);
 *
 * and every runtime gives identical results: the same frame, size, SHA-256 of the pixel buffer,
 * of the PNG and of the JPEG — or the same error code for bad input. Media are read over HTTP
 * from one local site (Range requests for `url` cases, a whole download for `bytes` cases).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSharedRunner, registerRunnerFactory } from '../../src/engine/shared-runner.js';
import { AVErrorCode } from '../../src/harmony/av-error-code.js';
import { image, media } from '../../src/harmony/index.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { launchChromium } from '../browser/chromium.js';
import { lastJson, runDeno } from '../deno/helpers.js';
import { fixture, requireSharedMedia, sharedMedia, type FixtureName } from '../helpers/fixtures.js';
import { requireChromium, requireDeno, requireNativeTool } from '../helpers/native.js';
import { expectedFrame, referenceFrames } from '../helpers/reference.js';
import { serveSite, type Site } from '../helpers/static-site.js';
import { builtPackage, type BuiltPackage } from '../package-build.js';
import { buildWorker, FORBID_RUNTIME_COMPILE, startWorker } from '../workerd/worker-build.js';
import { FIXTURE_CASES, runConformance, SHARED_CASES, type ConformanceCase, type ConformanceResult } from './suite.js';

const CORE_DIR = join(import.meta.dirname, '../../node_modules/@ffmpeg/core/dist/esm');
/** The bad inputs of the suite, and the error each must give. */
const ERRORS: Record<string, number> = {
  'audio only': AVErrorCode.AVERR_UNSUPPORT_FORMAT,
  truncated: AVErrorCode.AVERR_IO,
};

const hasFfmpeg = requireNativeTool('ffmpeg') && requireNativeTool('ffprobe');
const CASES: readonly ConformanceCase[] = requireSharedMedia() ? [...FIXTURE_CASES, ...SHARED_CASES] : FIXTURE_CASES;

/** The local path of a case's file. */
const pathOf = (file: string) => (file.startsWith('shared:') ? sharedMedia(file.slice('shared:'.length)) : fixture(file as FixtureName));

/** Results keyed by case id, for readable failure diffs. */
const byId = (results: readonly ConformanceResult[]) => Object.fromEntries(results.map(({ id, ...rest }) => [id, rest]));

describe.skipIf(!hasFfmpeg)('the conformance suite gives the same bytes in Node, Deno, Chromium and workerd', () => {
  let pkg: BuiltPackage;
  let site: Site;
  let base: string;
  let inNode: ConformanceResult[];

  beforeAll(async () => {
    const fixtureDirs = new Set(CASES.filter((c) => !c.file.startsWith('shared:')).map((c) => dirname(pathOf(c.file))));
    expect(fixtureDirs.size, 'the fixtures share one folder').toBe(1);
    pkg = await builtPackage();
    const suiteJs = (await transform(readFileSync(join(import.meta.dirname, 'suite.ts'), 'utf8'), { loader: 'ts', format: 'esm' })).code;
    site = await serveSite({
      files: {
        '/': '<!doctype html><meta charset="utf-8"><title>stillframe conformance</title><script type="module" src="/page.mjs"></script>',
        '/page.mjs': { path: join(import.meta.dirname, 'page.mjs') },
        '/suite.js': suiteJs,
        '/favicon.ico': '',
        '/dist/ffmpeg-core.js': { path: join(CORE_DIR, 'ffmpeg-core.js') },
        '/dist/ffmpeg-core.wasm': { path: join(CORE_DIR, 'ffmpeg-core.wasm') },
      },
      folders: { '/dist/': join(pkg.dir, 'dist/browser'), '/media/': [...fixtureDirs][0]!, '/media/shared/': sharedMedia('') },
    });
    base = `${site.url}/media`;
    registerRunnerFactory(() => createNodeRunner({ instances: 2 }));
    inNode = await runConformance({ media, image }, base, CASES);
  }, 600_000);
  afterAll(async () => {
    await site?.close();
    await closeSharedRunner();
  });

  describe('Node, the reference run', () => {
    it('gives each case the frame its query mode picks, by native ffprobe', () => {
      for (const [i, c] of CASES.entries()) {
        const result = inNode[i]!;
        expect(result.id).toBe(c.id);
        if (c.id in ERRORS) {
          expect(result, c.id).toEqual({ id: c.id, errorCode: ERRORS[c.id] });
          continue;
        }
        const mode = c.mode.replace('AV_IMAGE_QUERY_', '').toLowerCase().replace('_', '-') as Parameters<typeof expectedFrame>[2];
        const expected = expectedFrame(referenceFrames(pathOf(c.file)), c.timeUs, mode);
        expect(result, c.id).toMatchObject({ frameTimeUs: expected.timeUs });
      }
    });

    it('gives the same picture for the same frame whatever the source, and distinct pictures otherwise', () => {
      const pictures = new Map<string, Set<string>>();
      for (const [i, c] of CASES.entries()) {
        const result = inNode[i]!;
        if (!('pixels' in result)) continue;
        const picture = [c.file, result.frameTimeUs, result.width, result.height, c.colorFormat ?? 'RGBA_8888'].join(' ');
        pictures.set(picture, (pictures.get(picture) ?? new Set()).add(`${result.pixels} ${result.png} ${result.jpeg}`));
      }
      for (const [picture, hashes] of pictures) expect(hashes.size, picture).toBe(1);
      const distinct = new Set([...pictures.values()].flatMap((hashes) => [...hashes]));
      expect(distinct.size).toBe(pictures.size);
      // The sources really were compared: several cases share a picture.
      expect(pictures.size).toBeLessThan(inNode.filter((result) => 'pixels' in result).length);
    });
  });

  it.skipIf(!requireDeno())('Deno 2 (the built package, by name) gives identical results', { timeout: 300_000 }, async () => {
    const dir = join(pkg.consumer, 'conformance');
    mkdirSync(dir, { recursive: true });
    for (const file of ['suite.ts', 'deno-run.mjs']) writeFileSync(join(dir, file), readFileSync(join(import.meta.dirname, file)));
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(CASES));
    const run = await runDeno(['run', '--allow-read', '--allow-net=127.0.0.1', 'conformance/deno-run.mjs', base, 'conformance/cases.json'], pkg.consumer, 240_000);
    expect(run.code, run.stderr).toBe(0);
    expect(byId(lastJson<ConformanceResult[]>(run))).toEqual(byId(inNode));
  });

  it.skipIf(!requireChromium())('Chromium (the browser build) gives identical results', { timeout: 300_000 }, async () => {
    const chromium = await launchChromium();
    try {
      const page = await chromium.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${site.url}/`);
      await page.waitForFunction(() => (window as { conformanceReady?: boolean }).conformanceReady === true, undefined, { timeout: 30_000 });
      const inChromium = await page.evaluate(
        ([b, cases]) =>
          (window as unknown as { runConformance(base: string, cases: unknown): Promise<ConformanceResult[]> }).runConformance(b, cases),
        [base, CASES] as const,
      );
      expect(errors).toEqual([]);
      expect(byId(inChromium)).toEqual(byId(inNode));
    } finally {
      await chromium.close();
    }
  });

  it('workerd (a Worker bundled from the built package) gives identical results', { timeout: 300_000 }, async () => {
    // Bundled from inside the consumer project, so `stillframe` is the installed package.
    const dir = join(pkg.consumer, 'conformance');
    mkdirSync(dir, { recursive: true });
    for (const file of ['suite.ts', 'worker.mjs']) writeFileSync(join(dir, file), readFileSync(join(import.meta.dirname, file)));
    const worker = await buildWorker({ entry: join(dir, 'worker.mjs'), banner: FORBID_RUNTIME_COMPILE });
    const mf = await startWorker(worker);
    try {
      const response = await mf.dispatchFetch('http://worker.test/', { method: 'POST', body: JSON.stringify({ base, cases: CASES }) });
      const text = await response.text();
      expect(response.status, text).toBe(200);
      expect(byId(JSON.parse(text) as ConformanceResult[])).toEqual(byId(inNode));
    } finally {
      await mf.dispose();
    }
  });
});
