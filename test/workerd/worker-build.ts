/**
 * Bundles a Worker script the way wrangler does (esbuild; `workerd`, `worker`, `browser`
 * conditions; Node built-ins left to workerd's `nodejs_compat`) — by default
 * `examples/cloudflare-worker/src/worker.ts`, from the sources — and gives the modules miniflare
 * needs: the script and the core's wasm as a `CompiledWasm` module (the import
 * `@ffmpeg/core/dist/esm/ffmpeg-core.wasm` becomes `./ffmpeg-core.wasm`, as wrangler's
 * `**\/*.wasm` rule makes it a module of its own).
 */
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Miniflare } from 'miniflare';

const ROOT = resolve(import.meta.dirname, '../..');
export const WORKER_ENTRY = join(ROOT, 'examples/cloudflare-worker/src/worker.ts');
/** The settings `examples/cloudflare-worker/wrangler.toml` uses. */
export const COMPATIBILITY_DATE = '2025-09-15';
export const COMPATIBILITY_FLAGS = ['nodejs_compat'];

export interface WorkerModules {
  readonly script: string;
  readonly wasm: Uint8Array;
  /** What the bundle imports from outside itself (Node built-ins and the wasm). */
  readonly externalImports: readonly string[];
}

/**
 * Put before the bundle by the tests: as in Cloudflare's production runtime, wasm may only be
 * instantiated from a precompiled `WebAssembly.Module`, never compiled from bytes at run time.
 */
export const FORBID_RUNTIME_COMPILE = `{
  const instantiate = WebAssembly.instantiate;
  const refuse = () => { throw new Error('compiling wasm at run time is not allowed here'); };
  WebAssembly.compile = WebAssembly.compileStreaming = WebAssembly.instantiateStreaming = refuse;
  WebAssembly.instantiate = (source, imports) => (source instanceof WebAssembly.Module ? instantiate(source, imports) : refuse());
}`;

export interface WorkerBuildOptions {
  /** Code put before the bundle (see {@link FORBID_RUNTIME_COMPILE}). */
  readonly banner?: string;
  /** The Worker script. Default: {@link WORKER_ENTRY}. */
  readonly entry?: string;
}

export async function buildWorker(options: WorkerBuildOptions = {}): Promise<WorkerModules> {
  const result = await build({
    banner: options.banner ? { js: options.banner } : undefined,
    entryPoints: [options.entry ?? WORKER_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    external: [...builtinModules, ...builtinModules.map((name) => `node:${name}`)],
    outfile: 'worker.mjs',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'compiled-wasm',
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: /^@ffmpeg\/core\/dist\/esm\/ffmpeg-core\.wasm$/ }, () => ({ path: './ffmpeg-core.wasm', external: true }));
        },
      },
      {
        // pngjs is CommonJS and `require`s Node built-ins (zlib, stream, util, assert, buffer);
        // an ES module Worker has no `require`. As wrangler does under `nodejs_compat`, each
        // such `require` becomes a small CommonJS module that imports the built-in.
        name: 'require-node-builtins',
        setup(pluginBuild) {
          const builtins = new Set(builtinModules);
          pluginBuild.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
            const name = args.path.replace(/^node:/, '');
            if (args.kind !== 'require-call' || !builtins.has(name)) return undefined;
            return { path: name, namespace: 'require-node-builtin' };
          });
          pluginBuild.onLoad({ filter: /.*/, namespace: 'require-node-builtin' }, (args) => ({
            contents: `import builtin from 'node:${args.path}'; module.exports = builtin;`,
            loader: 'js',
          }));
        },
      },
    ],
  });
  const script = result.outputFiles[0]!.text;
  const externalImports = [...new Set(Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((i) => i.path)))];
  const coreJs = createRequire(import.meta.url).resolve('@ffmpeg/core');
  const wasm = new Uint8Array(readFileSync(join(dirname(dirname(coreJs)), 'esm', 'ffmpeg-core.wasm')));
  return { script, wasm, externalImports };
}

/**
 * Starts `worker` in workerd through miniflare, as wrangler would run it: the script and the
 * core's wasm as a `CompiledWasm` module, the example's compatibility settings, and `bindings`
 * as its vars.
 */
export async function startWorker(worker: WorkerModules, bindings: Record<string, string> = {}): Promise<Miniflare> {
  const { Miniflare } = await import('miniflare');
  const mf = new Miniflare({
    modulesRoot: '/worker',
    modules: [
      { type: 'ESModule', path: '/worker/worker.mjs', contents: worker.script },
      { type: 'CompiledWasm', path: '/worker/ffmpeg-core.wasm', contents: worker.wasm },
    ],
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
    bindings,
  });
  await mf.ready;
  return mf;
}
