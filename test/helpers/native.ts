/**
 * Native ffmpeg/ffprobe, the independent reference some tests compare against and the maker of
 * the generated fixtures: presence checks and quiet runners.
 *
 * Presence rule, shared by every test that needs something from outside the repository (the
 * native tools here, the shared corpus in `fixtures.ts`): on a bare machine a missing one skips
 * the dependent tests with a message naming it; under `CI=true` it is an error, so a
 * misconfigured CI machine cannot pass by skipping.
 */
import { execFileSync } from 'node:child_process';

/** Native tools the tests use. */
export type NativeTool = 'ffmpeg' | 'ffprobe';

/**
 * Reports that `what` is missing: throws under `CI=true`, otherwise warns that the tests
 * needing it are skipped. Always returns false, for use as `return unavailable(…)`.
 */
export function unavailable(what: string): false {
  if (process.env.CI === 'true') throw new Error(`${what}; it is required when CI=true`);
  console.warn(`Skipping the tests that need it: ${what}`);
  return false;
}

const presence = new Map<NativeTool, boolean>();

/** True when `tool -version` runs; probed once per tool and process. */
function isPresent(tool: NativeTool): boolean {
  let present = presence.get(tool);
  if (present === undefined) {
    try {
      execFileSync(tool, ['-version'], { stdio: 'ignore' });
      present = true;
    } catch {
      present = false;
    }
    presence.set(tool, present);
  }
  return present;
}

/**
 * True when native `name` is installed. When it is not: throws under `CI=true`; otherwise logs
 * why the dependent tests are skipped and returns false.
 * Typical use: `describe.skipIf(!requireNativeTool('ffmpeg'))(…)`.
 */
export function requireNativeTool(name: NativeTool): boolean {
  if (isPresent(name)) return true;
  return unavailable(`native ${name} not found on PATH (install Debian's "ffmpeg" package, which provides ffmpeg and ffprobe)`);
}

/**
 * Runs native ffmpeg quietly (errors only, which end up in the thrown error) and returns its
 * standard output; `input` is fed to its standard input (`-i -` / `-i pipe:0`).
 */
export function ffmpeg(args: readonly string[], input?: Uint8Array): Uint8Array {
  const out = execFileSync('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], {
    input,
    maxBuffer: 512 * 1024 * 1024,
    stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/**
 * Runs native ffprobe quietly (errors only, which end up in the thrown error, so that the
 * warnings cut corpus files cause stay out of the test output) and returns its standard output.
 */
export function ffprobe(args: readonly string[]): string {
  return execFileSync('ffprobe', ['-hide_banner', '-v', 'error', ...args], {
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
}

let denoPath: string | null | undefined;

/**
 * The Deno executable of the project's `deno` devDependency, found the way a developer runs it
 * (`npx deno`, never downloading: `--no`), or undefined when it does not run. Probed once per
 * process; tests spawn the executable directly, so that a time limit can stop it.
 */
export function denoExecutable(): string | undefined {
  if (denoPath === undefined) {
    try {
      const root = new URL('../..', import.meta.url);
      const out = execFileSync('npx', ['--no', '--', 'deno', 'eval', 'console.log(Deno.execPath())'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 60_000,
      });
      denoPath = out.toString().trim() || null;
    } catch {
      denoPath = null;
    }
  }
  return denoPath ?? undefined;
}

/**
 * True when Deno runs as `npx deno`. When it does not: throws under `CI=true`; otherwise logs
 * why the dependent tests are skipped and returns false (the presence rule above).
 * Typical use: `describe.skipIf(!requireDeno())(…)`.
 */
export function requireDeno(): boolean {
  if (denoExecutable()) return true;
  return unavailable('deno not found: `npx deno` does not run (it is a devDependency of this package: run `npm install`)');
}

/** Where the browser tests expect Chromium: Debian's `chromium` package. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * True when Chromium is installed at {@link CHROMIUM_PATH}. When it is not: throws under
 * `CI=true`; otherwise logs why the dependent tests are skipped and returns false (the presence
 * rule above). Typical use: `describe.skipIf(!requireChromium())(…)`.
 */
export function requireChromium(): boolean {
  try {
    execFileSync(CHROMIUM_PATH, ['--version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return unavailable(`chromium not found at ${CHROMIUM_PATH} (install Debian's "chromium" package)`);
  }
}
