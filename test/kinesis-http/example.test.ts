/**
 * `examples/aws-sdk` runs as its README says, and shows what it claims: images where the clips
 * are, NO_MEDIA before, between and after them. Needs no native tool (the example encodes its
 * clips with the engine itself).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const out = mkdtempSync(join(tmpdir(), 'stillframe-example-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Runs a command to its end (at most `ms`), collecting its output. */
function runToEnd(command: string, args: readonly string[], ms: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${ms} ms:\n${stdout}\n${stderr}`));
    }, ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('examples/aws-sdk', () => {
  it('runs with the README command and lists images and NO_MEDIA with the AWS SDK', { timeout: 240_000 }, async () => {
    const readme = readFileSync(join(ROOT, 'examples/aws-sdk/README.md'), 'utf8');
    const command = /```sh\n(npx tsx examples\/aws-sdk\/get-images\.ts)\n```/.exec(readme)?.[1];
    expect(command).toBeDefined();
    const [program, ...args] = command!.split(' ');
    const { code, stdout, stderr } = await runToEnd(program!, [...args, out], 200_000);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/m);

    const lines = [...stdout.matchAll(/^ {4}(\d\d:\d\d:\d\d\.\d{3}) {2}(image|NO_MEDIA|MEDIA_ERROR)/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(lines).toEqual([
      '09:59:59.000 NO_MEDIA',
      ...['00', '01', '02', '03'].map((s) => `10:00:${s}.000 image`),
      '10:00:04.000 NO_MEDIA',
      '10:00:05.000 NO_MEDIA',
      ...['06', '07', '08', '09'].map((s) => `10:00:${s}.000 image`),
      '10:00:10.000 NO_MEDIA',
      '10:00:11.000 NO_MEDIA',
    ]);
    expect(stdout).toMatch(/done: 8 images, 5 NO_MEDIA, 0 MEDIA_ERROR/);
    const images = readdirSync(join(out, 'images'));
    expect(images).toHaveLength(8);
    for (const name of images) expect([...readFileSync(join(out, 'images', name)).subarray(0, 2)]).toEqual([0xff, 0xd8]);
  });
});
