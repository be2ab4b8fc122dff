/**
 * Three library builds, matching the `exports` conditions of package.json (the README's "Packages and
 * imports" section has the whole map):
 *
 * - `dist/` — the Node entries (`node` and `deno` conditions): `index` (`stillframe`),
 *   `harmony` (`stillframe/harmony`), `kinesis` (`stillframe/kinesis`), each registering the
 *   worker-thread engine; plus the engine worker script, and the `cli` bin (built on its own).
 * - `dist/neutral/` — the same three entry points with no engine registered and no `node:`
 *   import anywhere (`workerd`, `worker` and `default` conditions, and `require` in browsers):
 *   the worker script registers the in-process engine with the wasm it imported
 *   (`registerWorkerdEngine`); until an engine is registered, the first decode throws "no
 *   decode engine is registered for this runtime".
 * - `dist/browser/` — the browser entries (`src/*.browser.ts`, `browser` condition): the neutral
 *   entries plus the Web Worker engine, ESM, with their dependencies bundled in (so a page can
 *   load them without a bundler) and `pngjs` taken from its browser build; `ffmpeg-worker.mjs`
 *   is copied beside them.
 *
 * Code splitting is on for ESM and CJS alike, so the entries of one build share their chunks:
 * `stillframe` and `stillframe/harmony` loaded together share one engine and one
 * `BusinessError` class, and a chunk only holds modules that the entries which load it need,
 * so `stillframe/harmony` loads no Kinesis code and `stillframe/kinesis` no HarmonyOS code
 * (test/package-isolation.test.ts checks both).
 *
 * Side effects (package.json `sideEffects`): the Node entry files, and only they, register the
 * engine when they are evaluated. The registration call sits in the entry module itself
 * (`registerNodeEngine()` at the top level of src/index.ts, harmony.ts, kinesis.ts), and an
 * entry module stays in its entry file as long as no other module of the same build imports
 * it (esbuild moves a module that two entries load into a shared chunk — hence the CLI's own
 * build below). So the entry files are listed as side-effectful and everything else — chunks,
 * the neutral build — is pure: a bundler may drop any chunk whose exports go unused without
 * losing the registration. test/package-isolation.test.ts bundles bare imports to prove it.
 */
import { copyFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

const NO_FILE_SYSTEM = fileURLToPath(new URL('./src/runtime/no-file-system.ts', import.meta.url));

/**
 * For the neutral build: the HarmonyOS facade's lazily loaded file sources (and the `node:url`
 * it loads with them) become src/runtime/no-file-system.ts, whose functions throw a typed error;
 * any other `node:` import fails the build, so nothing in `dist/neutral/` needs Node.
 */
const noFileSystem: EsbuildPlugin = {
  name: 'stillframe-no-file-system',
  setup(build) {
    build.onResolve({ filter: /(^|\/)node-file-source\.js$/ }, () => ({ path: NO_FILE_SYSTEM }));
    build.onResolve({ filter: /^node:url$/ }, () => ({ path: NO_FILE_SYSTEM }));
    build.onResolve({ filter: /^node:/ }, (args) => ({
      errors: [{ text: `${args.path} (imported by ${args.importer}) would make the runtime-neutral build need Node` }],
    }));
  },
};

/**
 * For the browser build: `pngjs`'s main file needs `zlib` and `stream`; its browser build (one
 * self-contained file) has the same API.
 */
const pngjsBrowser: EsbuildPlugin = {
  name: 'stillframe-pngjs-browser',
  setup(build) {
    build.onResolve({ filter: /^pngjs$/ }, (args) => build.resolve('pngjs/browser.js', { kind: args.kind, resolveDir: args.resolveDir }));
  },
};

const shared = {
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  target: 'es2022',
  splitting: true,
  // Keep `node:fs` as written (tsup would rewrite it to `fs`): Deno and bundlers recognise the
  // prefixed form as a built-in, and the neutral build's guard below sees every one of them.
  removeNodeProtocol: false,
  // The builds write into one tree at once: it is emptied once, before all of them.
  clean: false,
} satisfies Options;

export default defineConfig(async (): Promise<Options[]> => {
  await rm('dist', { recursive: true, force: true });
  return [
    {
      ...shared,
      name: 'node',
      // At the dist root, all of them: the engine worker is found next to the file that loads it.
      entry: { index: 'src/index.ts', harmony: 'src/harmony.ts', kinesis: 'src/kinesis.ts' },
      outDir: 'dist',
      platform: 'node',
      // `import.meta.url` locates the engine worker next to the bundle, in CJS too.
      shims: true,
      // The worker is loaded by URL at run time, never bundled: ship it beside the bundle.
      onSuccess: async () => {
        await copyFile('wasm/ffmpeg-worker.mjs', 'dist/ffmpeg-worker.mjs');
      },
    },
    {
      // The `stillframe` bin, on its own: it imports src/index.ts for its registration, and in
      // the library build that would move the entry's registration out of dist/index.js into a
      // chunk shared with the CLI (a chunk, unlisted in `sideEffects`, that bundlers may drop).
      ...shared,
      name: 'cli',
      entry: { cli: 'src/cli/main.ts' },
      format: ['esm'],
      dts: false,
      outDir: 'dist',
      platform: 'node',
      splitting: false,
    },
    {
      ...shared,
      name: 'neutral',
      entry: {
        index: 'src/index.neutral.ts',
        harmony: 'src/harmony.neutral.ts',
        kinesis: 'src/kinesis.neutral.ts',
      },
      outDir: 'dist/neutral',
      platform: 'neutral',
      esbuildPlugins: [noFileSystem],
    },
    {
      ...shared,
      name: 'browser',
      entry: { index: 'src/index.browser.ts', harmony: 'src/harmony.browser.ts', kinesis: 'src/kinesis.browser.ts' },
      format: ['esm'],
      outDir: 'dist/browser',
      platform: 'browser',
      // Self-contained: a page can import it as is; bundlers take it like any ES module.
      noExternal: [/.*/],
      esbuildPlugins: [pngjsBrowser, noFileSystem],
      // The encoders name Node's global `Buffer`: browsers get the `buffer` package's instead.
      esbuildOptions(options) {
        options.inject = [fileURLToPath(new URL('./src/runtime/browser-buffer.ts', import.meta.url))];
      },
      onSuccess: async () => {
        await copyFile('wasm/ffmpeg-worker.mjs', 'dist/browser/ffmpeg-worker.mjs');
      },
    },
  ];
});
