/**
 * The built package, shared by the package tests (`test/package*.test.ts`).
 *
 * `tsup` runs once per state of the sources, in a private copy of the project under
 * `.cache/package-build/<hash of the inputs>/`, never in the working tree's `dist/`: the tests
 * neither race each other (test files run in parallel, each asks for the build in its
 * `beforeAll`) nor anyone who builds or edits `dist/` meanwhile, and a run whose sources have
 * not changed reuses the last build. One test file builds while the others wait on a lock
 * directory; the finished build is moved into place with a single rename, so a build directory
 * that exists is complete.
 *
 * Each build directory holds `package/` (the project copy, `dist/` built, which is what
 * `npm pack` publishes) and `consumer/`, a project that has it installed
 * (`node_modules/stillframe` links to `../../package`), to import it the way users do.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = resolve(import.meta.dirname, '..');
const BUILDS = join(ROOT, '.cache', 'package-build');

/** What the build reads: copied into the build directory and hashed into its name. */
const INPUTS = ['src', 'wasm', 'tsup.config.ts', 'tsconfig.json', 'package.json', 'README.md'];
/** Hashed too (the versions of tsup and of the bundled code's dependencies), not copied. */
const HASHED_ONLY = ['package-lock.json'];

/** Builds older than this, other than the current one, are deleted. */
const KEEP_MS = 60 * 60 * 1000;
/** Longest a test waits for another process's build. */
const WAIT_MS = 10 * 60 * 1000;

export interface BuiltPackage {
  /** The package directory: package.json, README.md and the built `dist/`. */
  readonly dir: string;
  /** A project with the package installed as `node_modules/stillframe`. */
  readonly consumer: string;
}

let pending: Promise<BuiltPackage> | undefined;

/** The package built from the current sources (built now if no earlier run built them). */
export function builtPackage(): Promise<BuiltPackage> {
  pending ??= obtain();
  return pending;
}

/** A command-line tool of the project's own `node_modules`, run with this Node. */
export function localBin(packageName: string, binName = packageName): string {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'node_modules', packageName, 'package.json'), 'utf8'));
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[binName];
  return join(ROOT, 'node_modules', packageName, bin);
}

export const execFileAsync = promisify(execFile);

async function obtain(): Promise<BuiltPackage> {
  const name = fingerprint();
  const final = join(BUILDS, name);
  const built = { dir: join(final, 'package'), consumer: join(final, 'consumer') };
  const lock = join(BUILDS, `${name}.lock`);
  mkdirSync(BUILDS, { recursive: true });
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (existsSync(final)) {
      // Marks it in use, so that a run of other sources does not prune it (see `prune`).
      const now = new Date();
      utimesSync(final, now, now);
      return built;
    }
    if (tryLock(lock)) break;
    if (Date.now() > deadline) throw new Error(`gave up waiting for the package build holding ${lock}`);
    await new Promise((done) => setTimeout(done, 250));
  }
  try {
    if (!existsSync(final)) await build(final);
    prune(name);
    return built;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds into a temporary directory, then renames it to `final`. */
async function build(final: string): Promise<void> {
  const temp = `${final}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const pkg = join(temp, 'package');
  try {
    for (const input of INPUTS) cpSync(join(ROOT, input), join(pkg, input), { recursive: true });
    await execFileAsync(process.execPath, [localBin('tsup')], { cwd: pkg, timeout: 300_000, maxBuffer: 16 << 20 });
    const consumer = join(temp, 'consumer');
    mkdirSync(join(consumer, 'node_modules'), { recursive: true });
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }, null, 2));
    symlinkSync(relative(join(consumer, 'node_modules'), pkg), join(consumer, 'node_modules', 'stillframe'), 'dir');
    renameSync(temp, final);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

/** Takes the lock directory, first clearing it if its owner process is gone. */
function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    writeFileSync(join(lock, 'owner'), String(process.pid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  let owner: number | undefined;
  try {
    owner = Number(readFileSync(join(lock, 'owner'), 'utf8'));
  } catch {
    // Just created, owner not written yet: leave it be unless it is old.
  }
  const abandoned = owner !== undefined ? !isAlive(owner) : ageMs(lock) > 60_000;
  if (abandoned) rmSync(lock, { recursive: true, force: true });
  return false;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Deletes old builds (and leftovers of interrupted ones), keeping `current`. */
function prune(current: string): void {
  for (const entry of readdirSync(BUILDS)) {
    if (entry === current || entry.endsWith('.lock')) continue;
    if (ageMs(join(BUILDS, entry)) > KEEP_MS) rmSync(join(BUILDS, entry), { recursive: true, force: true });
  }
}

/** Hash of every input file's path and contents. */
function fingerprint(): string {
  const hash = createHash('sha256');
  const add = (path: string): void => {
    const full = join(ROOT, path);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const entry of readdirSync(full).sort()) add(join(path, entry));
    } else {
      hash.update(`${path}\0`).update(readFileSync(full)).update('\0');
    }
  };
  for (const input of [...INPUTS, ...HASHED_ONLY]) add(input);
  return hash.digest('hex').slice(0, 16);
}
