/**
 * Presence checks for the native ffmpeg/ffprobe binaries some tests use as an independent
 * reference. Locally a missing tool skips those tests with a message naming it; under
 * `CI=true` it is an error, so a misconfigured CI machine cannot pass by skipping.
 */
import { execFileSync } from 'node:child_process';

/** Native tools the tests may compare against. */
export type NativeTool = 'ffmpeg' | 'ffprobe';

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

/** True when native `ffmpeg` is installed and runs. Never throws, never logs. */
export function hasNativeFfmpeg(): boolean {
  return isPresent('ffmpeg');
}

/**
 * True when native `name` is installed. When it is not: throws if `process.env.CI` is
 * `'true'`; otherwise logs why the dependent tests are skipped and returns false.
 * Typical use: `describe.skipIf(!requireNativeTool('ffmpeg'))(…)`.
 */
export function requireNativeTool(name: NativeTool): boolean {
  if (isPresent(name)) return true;
  const message = `native ${name} not found on PATH (install the "ffmpeg" package, which provides ffmpeg and ffprobe)`;
  if (process.env.CI === 'true') {
    throw new Error(`${message}; it is required when CI=true`);
  }
  console.warn(`Skipping tests that compare against native ${name}: ${message}`);
  return false;
}
