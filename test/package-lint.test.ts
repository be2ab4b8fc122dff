/**
 * The package as published passes the two package linters CI runs (`npm run lint:package`
 * does the same by hand): `publint` in strict mode with no message at all (errors, warnings or
 * suggestions), and `@arethetypeswrong/cli` (`attw --pack .`) with no problem, every entry
 * point resolving to declarations in all four of its resolution modes (node10, node16 from CJS
 * and from ESM, bundler). And the tarball holds every file the manifest names, and nothing but
 * `dist/`, the README and the manifest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtPackage, execFileAsync, localBin, type BuiltPackage } from './package-build.js';

let pkg: BuiltPackage;

interface AttwResult {
  readonly analysis: {
    readonly problems: unknown[];
    readonly entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }>;
  };
}

/** Every file path a field of the manifest names (exports, typesVersions, sideEffects, bin, …). */
function namedFiles(manifest: Record<string, unknown>): string[] {
  const files = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.startsWith('./')) files.add(value.slice(2));
    } else if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (value && typeof value === 'object') {
      Object.values(value).forEach(walk);
    }
  };
  for (const field of ['main', 'module', 'types', 'bin', 'exports', 'typesVersions', 'sideEffects']) walk(manifest[field]);
  return [...files].sort();
}

describe('the package linters', () => {
  beforeAll(async () => {
    pkg = await builtPackage();
  }, 600_000);

  it('publint --strict has nothing to say', async () => {
    const { messages, pkg: manifest } = await publint({ pkgDir: pkg.dir, strict: true, pack: 'npm' });
    expect(messages.map((message) => `${message.type}: ${formatMessage(message, manifest)}`)).toEqual([]);
  }, 120_000);

  it('attw --pack finds no problem, and every entry point resolves in every mode', async () => {
    const { stdout } = await execFileAsync(process.execPath, [localBin('@arethetypeswrong/cli', 'attw'), '--pack', '.', '--format', 'json'], {
      cwd: pkg.dir,
      timeout: 120_000,
      maxBuffer: 64 << 20,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const { analysis } = JSON.parse(stdout) as AttwResult;
    expect(analysis.problems).toEqual([]);
    expect(Object.keys(analysis.entrypoints).sort()).toEqual(['.', './harmony', './kinesis', './package.json']);
    for (const [entrypoint, { resolutions }] of Object.entries(analysis.entrypoints)) {
      expect(Object.keys(resolutions).sort(), entrypoint).toEqual(['bundler', 'node10', 'node16-cjs', 'node16-esm']);
      for (const [mode, { resolution }] of Object.entries(resolutions)) {
        expect(resolution?.fileName, `${entrypoint} in ${mode}`).toMatch(/\.(d\.c?ts|json)$/);
      }
    }
  }, 120_000);

  it('packs every file the manifest names, and only dist/, the README and the manifest', async () => {
    const { stdout } = await execFileAsync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: pkg.dir, timeout: 120_000, maxBuffer: 64 << 20 });
    const [{ files }] = JSON.parse(stdout) as [{ files: { path: string }[] }];
    const packed = files.map((file) => file.path);
    const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    for (const file of namedFiles(manifest)) expect(packed, file).toContain(file);
    // The engine worker is loaded by URL beside the Node bundles, never imported: packed all the same.
    expect(packed).toContain('dist/ffmpeg-worker.mjs');
    expect(packed.filter((file) => !file.startsWith('dist/') && !['README.md', 'package.json'].includes(file))).toEqual([]);
  }, 120_000);
});
