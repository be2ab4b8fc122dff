/**
 * The `exports` map sends each runtime and tool to the right build, with its types:
 *
 * - Node (`node` condition, `import`/`require`) → the Node build, `dist/*.js|cjs`; Deno
 *   (`deno`, `node`, `import`) → the same files through its own `deno` branch;
 * - Wrangler for workerd (`workerd`, `worker`, `browser`) and anything unknown (`default`) →
 *   the runtime-neutral build, `dist/neutral/*`, which bundles for the browser platform with no
 *   `node:` module and lets a worker script register the in-process engine;
 * - browser bundlers (`browser`, `import`) → the browser build, `dist/browser/*`, which
 *   registers the Web Worker engine (browser `require` falls through to the neutral CJS);
 * - TypeScript in every `moduleResolution` (node10 through `typesVersions`, node16 from CJS
 *   and ESM, bundler, and bundler with each runtime as a custom condition) → the declarations
 *   beside the file that runtime loads, and a consumer type-checks against them.
 *
 * Resolution is observed in Node itself (`--conditions`), in esbuild (what Wrangler and Vite
 * use) and in the TypeScript compiler, from a project with the package installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtPackage, ROOT, type BuiltPackage } from './package-build.js';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const EXTERNAL = Object.keys(manifest.dependencies).flatMap((name) => [name, `${name}/*`]);

const SPECIFIERS = { '.': 'stillframe', './harmony': 'stillframe/harmony', './kinesis': 'stillframe/kinesis' } as const;
type Subpath = keyof typeof SPECIFIERS;
const FILE: Record<Subpath, string> = { '.': 'index', './harmony': 'harmony', './kinesis': 'kinesis' };

/** The package file a runtime loads: the Node build or the neutral one, ESM or CJS. */
const nodeFile = (subpath: Subpath, ext: string) => `dist/${FILE[subpath]}${ext}`;
const neutralFile = (subpath: Subpath, ext: string) => `dist/neutral/${FILE[subpath]}${ext}`;
const browserFile = (subpath: Subpath, ext: string) => `dist/browser/${FILE[subpath]}${ext}`;

let pkg: BuiltPackage;

/** Package-relative path of a resolved file (a URL or a path, through the install symlink). */
function inPackage(resolved: string): string {
  const path = resolved.startsWith('file:') ? new URL(resolved).pathname : resolved;
  return relative(pkg.dir, path);
}

/** What Node resolves each specifier to, for `import` and for `require`, with extra conditions. */
function nodeResolution(conditions: string[]): Record<Subpath, { import: string; require: string }> {
  const dir = join(pkg.consumer, 'exports');
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'resolve.mjs');
  writeFileSync(
    script,
    `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const out = {};
for (const [subpath, specifier] of Object.entries(${JSON.stringify(SPECIFIERS)})) {
  out[subpath] = { import: import.meta.resolve(specifier), require: require.resolve(specifier) };
}
console.log(JSON.stringify(out));`,
  );
  const flags = conditions.map((condition) => `--conditions=${condition}`);
  const out = JSON.parse(execFileSync(process.execPath, [...flags, script], { cwd: pkg.consumer }).toString());
  for (const entry of Object.values(out) as { import: string; require: string }[]) {
    entry.import = inPackage(entry.import);
    entry.require = inPackage(entry.require);
  }
  return out;
}

/** The package files esbuild bundles for `import * from specifier` with these options. */
async function esbuildResolution(specifier: string, options: BuildOptions): Promise<string[]> {
  const dir = join(pkg.consumer, 'exports');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, `esbuild-${specifier.replace('/', '-')}.mjs`);
  writeFileSync(entry, `export * from '${specifier}';\n`);
  const result = await build({
    ...options,
    entryPoints: [entry],
    absWorkingDir: pkg.consumer,
    bundle: true,
    format: 'esm',
    external: EXTERNAL,
    write: false,
    metafile: true,
    logLevel: 'silent',
    outfile: join(dir, 'out.js'),
  });
  return Object.keys(result.metafile.inputs)
    .map((input) => inPackage(join(pkg.consumer, input)))
    .filter((file) => !file.startsWith('..') && /^dist\/(neutral\/|browser\/)?(index|harmony|kinesis)\.js$/.test(file));
}

describe('the exports map', () => {
  beforeAll(async () => {
    pkg = await builtPackage();
  }, 600_000);

  describe('in Node', () => {
    const node = (subpath: Subpath) => ({ import: nodeFile(subpath, '.js'), require: nodeFile(subpath, '.cjs') });
    const neutral = (subpath: Subpath) => ({ import: neutralFile(subpath, '.js'), require: neutralFile(subpath, '.cjs') });
    const all = (f: (subpath: Subpath) => { import: string; require: string }) =>
      Object.fromEntries((Object.keys(SPECIFIERS) as Subpath[]).map((subpath) => [subpath, f(subpath)]));

    it('loads the Node build', () => {
      expect(nodeResolution([])).toEqual(all(node));
    });

    it('loads the Node build with the `deno` condition too (Deno: deno, node, import)', () => {
      expect(nodeResolution(['deno'])).toEqual(all(node));
    });

    it('puts `workerd` and `worker` before `node`, `node` before `browser`', () => {
      expect(nodeResolution(['workerd'])).toEqual(all(neutral));
      expect(nodeResolution(['worker'])).toEqual(all(neutral));
      // A runtime that says it is Node has worker threads and a file system: the Node build.
      expect(nodeResolution(['browser'])).toEqual(all(node));
    });
  });

  describe('in bundlers (esbuild, as Wrangler and Vite run it)', () => {
    const cases: [string, BuildOptions, (subpath: Subpath) => string][] = [
      ['Wrangler for workerd', { platform: 'browser', conditions: ['workerd', 'worker', 'browser'] }, (s) => neutralFile(s, '.js')],
      ['a browser bundler', { platform: 'browser' }, (s) => browserFile(s, '.js')],
      ['an unknown runtime (no conditions: `default`)', { platform: 'neutral', conditions: [] }, (s) => neutralFile(s, '.js')],
      ['Deno (deno, node, import)', { platform: 'node', conditions: ['deno'] }, (s) => nodeFile(s, '.js')],
      ['a Node bundler (Vite SSR, esbuild platform node)', { platform: 'node' }, (s) => nodeFile(s, '.js')],
    ];
    for (const [tool, options, expected] of cases) {
      it(`${tool} gets ${expected('.')} and its siblings`, async () => {
        for (const [subpath, specifier] of Object.entries(SPECIFIERS) as [Subpath, string][]) {
          expect(await esbuildResolution(specifier, options), specifier).toEqual([expected(subpath)]);
        }
      });
    }

    it('bundles the neutral and the browser builds for the browser platform: no `node:` module in either', async () => {
      // esbuild's browser platform refuses `node:` imports unless marked external: none is here.
      for (const specifier of Object.values(SPECIFIERS)) {
        await expect(esbuildResolution(specifier, { platform: 'browser' })).resolves.toHaveLength(1);
        await expect(esbuildResolution(specifier, { platform: 'browser', conditions: ['workerd', 'worker'] })).resolves.toHaveLength(1);
      }
      for (const entry of ['index', 'harmony', 'kinesis']) {
        for (const ext of ['.js', '.cjs']) {
          const code = readFileSync(join(pkg.dir, 'dist', 'neutral', `${entry}${ext}`), 'utf8');
          expect(code).not.toMatch(/["']node:/);
        }
      }
    });

    it('makes the browser build self-contained: its files import only each other, by relative path', () => {
      const dir = join(pkg.dir, 'dist', 'browser');
      for (const file of readdirSync(dir).filter((name) => name.endsWith('.js'))) {
        const code = readFileSync(join(dir, file), 'utf8');
        const imported = [...code.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']/gm)].map((m) => m[1]);
        expect(imported.filter((specifier) => !specifier!.startsWith('./')), file).toEqual([]);
      }
    });
  });

  describe('in TypeScript', () => {
    /** The declaration file TypeScript resolves `specifier` to. */
    function typesOf(specifier: string, options: ts.CompilerOptions, mode?: ts.ResolutionMode): string | undefined {
      const containing = join(pkg.consumer, mode === ts.ModuleKind.CommonJS ? 'index.cts' : 'index.mts');
      const { resolvedModule } = ts.resolveModuleName(specifier, containing, options, ts.sys, undefined, undefined, mode);
      return resolvedModule && inPackage(resolvedModule.resolvedFileName);
    }

    const node10 = { moduleResolution: ts.ModuleResolutionKind.Node10, module: ts.ModuleKind.CommonJS };
    const node16 = { moduleResolution: ts.ModuleResolutionKind.Node16, module: ts.ModuleKind.Node16 };
    const bundler = { moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext };
    const modes: [string, ts.CompilerOptions, ts.ResolutionMode | undefined, (subpath: Subpath) => string][] = [
      ['node10 (typesVersions for the subpaths)', node10, undefined, (s) => nodeFile(s, '.d.ts')],
      ['node16 from CJS', node16, ts.ModuleKind.CommonJS, (s) => nodeFile(s, '.d.cts')],
      ['node16 from ESM', node16, ts.ModuleKind.ESNext, (s) => nodeFile(s, '.d.ts')],
      ['bundler (`default`: the neutral build)', bundler, ts.ModuleKind.ESNext, (s) => neutralFile(s, '.d.ts')],
      ['bundler with customConditions ["node"]', { ...bundler, customConditions: ['node'] }, ts.ModuleKind.ESNext, (s) => nodeFile(s, '.d.ts')],
      ['bundler with customConditions ["deno"]', { ...bundler, customConditions: ['deno'] }, ts.ModuleKind.ESNext, (s) => nodeFile(s, '.d.ts')],
      ['bundler with customConditions ["workerd"]', { ...bundler, customConditions: ['workerd'] }, ts.ModuleKind.ESNext, (s) => neutralFile(s, '.d.ts')],
      ['bundler with customConditions ["worker"]', { ...bundler, customConditions: ['worker'] }, ts.ModuleKind.ESNext, (s) => neutralFile(s, '.d.ts')],
      ['bundler with customConditions ["browser"]', { ...bundler, customConditions: ['browser'] }, ts.ModuleKind.ESNext, (s) => browserFile(s, '.d.ts')],
      ['bundler from CJS with customConditions ["browser"]', { ...bundler, customConditions: ['browser'] }, ts.ModuleKind.CommonJS, (s) => neutralFile(s, '.d.cts')],
      ['bundler from CJS (require)', bundler, ts.ModuleKind.CommonJS, (s) => neutralFile(s, '.d.cts')],
    ];
    for (const [mode, options, resolutionMode, expected] of modes) {
      it(`resolves the declarations in ${mode}`, () => {
        for (const [subpath, specifier] of Object.entries(SPECIFIERS) as [Subpath, string][]) {
          expect(typesOf(specifier, options, resolutionMode), `${specifier}`).toBe(expected(subpath));
        }
      });
    }

    /** Type-checks `source` as a consumer file; returns the diagnostics as text. */
    function typeCheck(name: string, source: string, options: ts.CompilerOptions): string[] {
      const dir = join(pkg.consumer, 'types');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, name);
      writeFileSync(file, source);
      const program = ts.createProgram([file], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules', '@types')],
        // As most projects do; the declarations' own errors are the known-bug test's below.
        skipLibCheck: true,
        ...options,
      });
      return ts.getPreEmitDiagnostics(program).map((d) => {
        const where = d.file ? `${relative(pkg.consumer, d.file.fileName)}: ` : '';
        return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    }

    const nodeConsumer = `
import { openVideoFile, openFileSource, media, image, BusinessError, KinesisVideoArchivedMedia, loadCatalogFile, startGetImagesServer } from 'stillframe';
import * as harmony from 'stillframe/harmony';
import * as kinesis from 'stillframe/kinesis';
export const used = [openVideoFile, openFileSource, media.createAVImageGenerator, image.createImagePacker, BusinessError, KinesisVideoArchivedMedia, loadCatalogFile, startGetImagesServer];
export const generator: Promise<harmony.AVImageGenerator> = harmony.media.createAVImageGenerator();
export const code: number = new harmony.BusinessError(401, 'x').code;
export const kvam = new kinesis.KinesisVideoArchivedMedia({ catalog: { streams: [] } });
export const files = [kinesis.loadCatalogFile, kinesis.startGetImagesServer, kinesis.createGetImagesApp];
`;

    it('type-checks a Node consumer of all three entry points (node16 ESM and CJS, node10)', () => {
      expect(typeCheck('node16.mts', nodeConsumer, node16)).toEqual([]);
      expect(typeCheck('node16.cts', nodeConsumer, node16)).toEqual([]);
      expect(typeCheck('node10.ts', nodeConsumer, { ...node10, esModuleInterop: true })).toEqual([]);
      expect(typeCheck('bundler-node.ts', nodeConsumer, { ...bundler, customConditions: ['node'] })).toEqual([]);
    });

    // A trap of rollup-plugin-dts (tsup's `dts`): a namespace type alias written through an
    // import rename (`import { X as XClass }` … `namespace media { type X = XClass }`) comes out
    // as `type X = X`, circular (`any` to consumers under skipLibCheck, errors without it).
    // src/harmony/media.ts and image.ts therefore declare top-level aliases (`type XClass = X`)
    // for the namespaces to use; this test keeps it that way.
    it('keeps the HarmonyOS namespace types (`media.AVImageGenerator`) in the declarations', () => {
      const source = `
import { media, image } from 'stillframe/harmony';
export const g: Promise<media.AVImageGenerator> = media.createAVImageGenerator();
// @ts-expect-error -- a number is no PixelMap (passes only if the alias is not \`any\`)
export const p: image.PixelMap = 1;
`;
      expect(typeCheck('namespaces.mts', source, { ...node16, skipLibCheck: false })).toEqual([]);
    });

    it('type-checks a runtime-neutral consumer, without the Node-only exports', () => {
      const source = `
import {
  openVideoFile, memorySource, httpSource, encodePng, registerRunnerFactory, media, image, BusinessError,
  KinesisVideoArchivedMedia, createGetImagesApp,
  // @ts-expect-error -- Node only: file sources are not in the runtime-neutral build
  openFileSource,
  // @ts-expect-error -- Node only: the HTTP server is not in the runtime-neutral build
  startGetImagesServer,
} from 'stillframe';
import { media as m, image as i } from 'stillframe/harmony';
import {
  KinesisVideoArchivedMedia as K, createGetImagesApp as app,
  // @ts-expect-error -- Node only: catalog files are not in the runtime-neutral build
  loadCatalogFile,
} from 'stillframe/kinesis';
export const used = [openVideoFile, memorySource, httpSource, encodePng, registerRunnerFactory, media, image, BusinessError, KinesisVideoArchivedMedia, createGetImagesApp, m, i, K, app, openFileSource, startGetImagesServer, loadCatalogFile];
`;
      expect(typeCheck('bundler.ts', source, bundler)).toEqual([]);
      expect(typeCheck('workerd.ts', source, { ...bundler, customConditions: ['workerd'] })).toEqual([]);
      expect(typeCheck('browser.ts', source, { ...bundler, customConditions: ['browser'] })).toEqual([]);
    });

    it('gives each runtime its engine set-up, on every entry point', () => {
      const entries = (name: string) => `
import { ${name} as a } from 'stillframe';
import { ${name} as b } from 'stillframe/harmony';
import { ${name} as c } from 'stillframe/kinesis';
export const used = [a, b, c];
`;
      expect(typeCheck('workerd-engine.ts', entries('registerWorkerdEngine'), { ...bundler, customConditions: ['workerd'] })).toEqual([]);
      expect(typeCheck('browser-engine.ts', entries('configureBrowserEngine'), { ...bundler, customConditions: ['browser'] })).toEqual([]);
      // Not in the other builds: a page has no precompiled-module import, a worker script no Web Workers.
      expect(typeCheck('no-browser-engine.ts', entries('configureBrowserEngine'), { ...bundler, customConditions: ['workerd'] })).toHaveLength(3);
    });
  });
});
