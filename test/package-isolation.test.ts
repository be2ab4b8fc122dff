/**
 * Importing one facade does not pull in the other's code. An application that imports only
 * `stillframe/harmony` is bundled with esbuild (npm dependencies external, as an application's
 * bundler would leave them to their own packages), and what the bundle loads is checked two
 * ways: the source files behind every dist file it loads (from their source maps) include no
 * `src/kinesis/` module, and the bundle contains none of the Kinesis facade's own strings —
 * and the converse for `stillframe/kinesis`. tsup's shared chunks are covered by construction:
 * the check follows every chunk the entry loads. The same holds for the source entries, checked
 * without a build, for the runtime-neutral build (`workerd`, `worker`, `default`) and for the
 * browser build (`browser`), which bundles its npm dependencies in.
 *
 * It also checks `sideEffects`: a bare `import 'stillframe/harmony'` still registers the Node
 * engine (the browser engine, in a browser bundle), and the neutral build, which registers
 * nothing, bundles to nothing when unused.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtPackage, ROOT, type BuiltPackage } from './package-build.js';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
/** The npm dependencies, with their subpaths (`hono/body-limit`): left out of every bundle. */
const EXTERNAL = Object.keys(manifest.dependencies).flatMap((name) => [name, `${name}/*`]);

/** Strings only the Kinesis facade has, and strings only the HarmonyOS facade has. */
const KINESIS_MARKERS = ['ClientLimitExceededException', 'KinesisVideoArchivedMedia', 'NextToken'];
const HARMONY_MARKERS = ['createAVImageGenerator', 'BusinessError', 'createImagePacker'];

interface Bundle {
  /** The bundle's code. */
  readonly code: string;
  /** Size of the bundle, minified, in bytes. */
  readonly minifiedBytes: number;
  /** Size of the package's files the application loads (what Node reads, unbundled), in bytes. */
  readonly loadedBytes: number;
  /** Package-relative source files (`src/…`, `wasm/…`) of everything the bundle loads. */
  readonly sources: string[];
}

let pkg: BuiltPackage;

const NODE: BuildOptions = { platform: 'node' };
/** How Wrangler bundles a Worker for workerd (its conditions, esbuild's browser platform). */
const WORKERD: BuildOptions = { platform: 'browser', conditions: ['workerd', 'worker', 'browser'] };
/** How a browser bundler (Vite, webpack, esbuild) bundles a page. */
const BROWSER: BuildOptions = { platform: 'browser' };

/** Bundles an application module `code` that imports the installed package. */
async function bundleApp(name: string, code: string, options: BuildOptions): Promise<Bundle> {
  const dir = join(pkg.consumer, 'isolation');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, `${name}.mjs`);
  writeFileSync(entry, code);
  return bundle(entry, pkg.consumer, options);
}

async function bundle(entry: string, workingDir: string, options: BuildOptions): Promise<Bundle> {
  const common: BuildOptions = {
    ...options,
    entryPoints: [entry],
    absWorkingDir: workingDir,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    external: EXTERNAL,
    write: false,
    logLevel: 'silent',
    outfile: join(workingDir, 'out.js'),
  };
  const plain = await build({ ...common, metafile: true });
  const minified = await build({ ...common, minify: true });
  return {
    code: plain.outputFiles![0]!.text,
    minifiedBytes: minified.outputFiles![0]!.contents.byteLength,
    loadedBytes: Object.entries(plain.metafile.inputs)
      .filter(([input]) => resolve(workingDir, input).startsWith(`${pkg.dir}/`))
      .reduce((sum, [, { bytes }]) => sum + bytes, 0),
    sources: loadedSources(plain.metafile, workingDir),
  };
}

/**
 * The project source files behind the bundle's inputs: dist files are mapped back through their
 * source maps; source files (bundled from `src/` directly) are themselves.
 */
function loadedSources(metafile: Metafile, workingDir: string): string[] {
  const sources = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const file = resolve(workingDir, input);
    const map = `${file}.map`;
    if (file.includes(`${join('package', 'dist')}/`) && existsSync(map)) {
      const { sources: mapped } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
      for (const source of mapped) sources.add(relative(pkg.dir, resolve(dirname(file), source)));
    } else if (!file.includes('node_modules') && !file.includes('isolation')) {
      sources.add(relative(workingDir, file));
    }
  }
  return [...sources].sort();
}

describe('importing one facade', () => {
  beforeAll(async () => {
    pkg = await builtPackage();
  }, 600_000);

  /** Sizes seen, for the summary printed at the end. */
  const sizes: string[] = [];
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const note = (what: string, b: Bundle) =>
    sizes.push(`${what}: loads ${kib(b.loadedBytes)} of dist (${b.sources.length} source files); bundled and minified ${kib(b.minifiedBytes)}`);

  const builds = [['Node', NODE], ['workerd (the neutral build)', WORKERD], ['browsers (the browser build)', BROWSER]] as const;
  for (const [runtime, options] of builds) {
    describe(`in ${runtime}`, () => {
      it('`stillframe/harmony` loads no Kinesis code', async () => {
        const b = await bundleApp(`harmony-${runtime}`, "import { media, image } from 'stillframe/harmony';\nconsole.log(media, image);\n", options);
        note(`${runtime}: { media, image } from 'stillframe/harmony'`, b);
        expect(b.sources).toContain('src/harmony/av-image-generator.ts');
        expect(b.sources.filter((s) => s.startsWith('src/kinesis/'))).toEqual([]);
        for (const marker of KINESIS_MARKERS) expect(b.code, marker).not.toContain(marker);
      });

      it('`stillframe/kinesis` loads no HarmonyOS code', async () => {
        const b = await bundleApp(`kinesis-${runtime}`, "import { KinesisVideoArchivedMedia } from 'stillframe/kinesis';\nconsole.log(KinesisVideoArchivedMedia);\n", options);
        note(`${runtime}: { KinesisVideoArchivedMedia } from 'stillframe/kinesis'`, b);
        expect(b.sources).toContain('src/kinesis/archived-media.ts');
        expect(b.sources.filter((s) => s.startsWith('src/harmony/'))).toEqual([]);
        for (const marker of HARMONY_MARKERS) expect(b.code, marker).not.toContain(marker);
      });

      it('the root still exports both facades', async () => {
        const b = await bundleApp(
          `root-${runtime}`,
          "import { media, image, KinesisVideoArchivedMedia } from 'stillframe';\nconsole.log(media, image, KinesisVideoArchivedMedia);\n",
          options,
        );
        expect(b.sources).toEqual(expect.arrayContaining(['src/harmony/av-image-generator.ts', 'src/kinesis/archived-media.ts']));
        for (const what of ['harmony', 'kinesis'] as const) {
          const one = await bundleApp(
            `root-${what}-${runtime}`,
            `import { ${what === 'harmony' ? 'media, image' : 'KinesisVideoArchivedMedia'} } from 'stillframe';\nconsole.log(${what === 'harmony' ? 'media, image' : 'KinesisVideoArchivedMedia'});\n`,
            options,
          );
          note(`${runtime}: the same names from 'stillframe' (${what} only used)`, one);
        }
      });
    });
  }

  it('holds for the source entries too (no build involved)', async () => {
    for (const entry of ['src/harmony.ts', 'src/harmony.neutral.ts']) {
      const { sources } = await bundle(join(ROOT, entry), ROOT, NODE);
      expect(sources, entry).toContain('src/harmony/media.ts');
      expect(sources.filter((s) => s.startsWith('src/kinesis/')), entry).toEqual([]);
    }
    for (const entry of ['src/kinesis.ts', 'src/kinesis.neutral.ts']) {
      const { sources } = await bundle(join(ROOT, entry), ROOT, NODE);
      expect(sources, entry).toContain('src/kinesis/archived-media.ts');
      expect(sources.filter((s) => s.startsWith('src/harmony/')), entry).toEqual([]);
    }
  });

  it('keeps the engine registration wherever the application imports from (sideEffects)', async () => {
    const imports = {
      root: "import { media } from 'stillframe';\nconsole.log(media);\n",
      'bare-root': "import 'stillframe';\n",
      'bare-harmony': "import 'stillframe/harmony';\n",
      'bare-kinesis': "import 'stillframe/kinesis';\n",
    };
    for (const [name, code] of Object.entries(imports)) {
      const b = await bundleApp(name, code, NODE);
      // The registration call and the Node engine it registers, worker script included.
      expect(b.code, name).toMatch(/^registerNodeEngine\(\);$/m);
      expect(b.code, name).toContain('ffmpeg-worker.mjs');
      if (name !== 'bare-harmony') expect(b.code, name).toMatch(/^registerNodeCatalogPaths\(\);$/m);
    }
  });

  it('keeps the browser engine registration for bare imports in a browser bundle (sideEffects)', async () => {
    for (const specifier of ['stillframe', 'stillframe/harmony', 'stillframe/kinesis']) {
      const b = await bundleApp(`bare-browser-${specifier.replace('/', '-')}`, `import '${specifier}';\n`, BROWSER);
      expect(b.code, specifier).toMatch(/^registerBrowserEngine\(\);$/m);
      expect(b.code, specifier).toContain('ffmpeg-worker.mjs');
    }
  });

  it('has the registration in the entry files themselves, the files `sideEffects` lists', () => {
    const { sideEffects } = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8')) as { sideEffects: string[] };
    for (const entry of ['index', 'harmony', 'kinesis']) {
      for (const ext of ['.js', '.cjs']) {
        const file = `./dist/${entry}${ext}`;
        expect(sideEffects).toContain(file);
        // ESM: `registerNodeEngine();`; CJS: `_chunkXYZcjs.registerNodeEngine.call(void 0, );`
        expect(readFileSync(join(pkg.dir, file), 'utf8'), file).toMatch(/^\S*registerNodeEngine(\.call)?\(/m);
      }
      const browserFile = `./dist/browser/${entry}.js`;
      expect(sideEffects).toContain(browserFile);
      expect(readFileSync(join(pkg.dir, browserFile), 'utf8'), browserFile).toMatch(/^registerBrowserEngine\(\);$/m);
    }
  });

  it('drops the neutral build entirely when nothing of it is used (it has no side effects)', async () => {
    for (const specifier of ['stillframe', 'stillframe/harmony', 'stillframe/kinesis']) {
      const b = await bundleApp(`bare-neutral-${specifier.replace('/', '-')}`, `import '${specifier}';\n`, WORKERD);
      expect(b.code.replace(/\/\/.*\n/g, '').trim(), specifier).toBe('');
    }
  });

  it('reports the bundle sizes', () => {
    console.log(`Bundle sizes (npm dependencies external):\n  ${sizes.join('\n  ')}`);
    expect(sizes.length).toBeGreaterThan(0);
  });
});
