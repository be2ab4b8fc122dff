/**
 * Test media for the HarmonyOS specs that the shared fixtures do not provide: a video shown in
 * portrait through its track matrix. Made with native ffmpeg and cached beside the shared
 * fixtures.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE = resolve(dirname(fileURLToPath(import.meta.url)), '../../.cache/fixtures');

/**
 * A 320×240 H.264 video (2 s, 25 fps, moov first) whose track matrix turns it a quarter turn,
 * so players show it 240×320.
 *
 * The matrix is written into `tkhd` directly: Debian's ffmpeg 5.1 ignores
 * `-metadata:s:v rotate=90` and lacks `-display_rotation`, so it cannot write one itself.
 */
export function portraitVideo(): string {
  const path = join(CACHE, 'harmony-portrait.mp4');
  if (existsSync(path) && statSync(path).size > 0) return path;
  mkdirSync(CACHE, { recursive: true });
  // Parallel test files may race: write aside, then rename.
  const partial = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.mp4`;
  execFileSync(
    'ffmpeg',
    [
      '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '2',
      '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '25', '-movflags', '+faststart', partial,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const bytes = readFileSync(partial);
  const tkhd = bytes.indexOf('tkhd') - 4;
  if (tkhd < 0 || bytes[tkhd + 8] !== 0) throw new Error('expected a version 0 tkhd box');
  // Version 0 tkhd: the 3×3 matrix (16.16, 16.16, 2.30) starts 40 bytes into the box payload.
  const matrix = tkhd + 8 + 40;
  const quarterTurn = [0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000];
  quarterTurn.forEach((value, i) => bytes.writeInt32BE(value, matrix + i * 4));
  writeFileSync(partial, bytes);
  renameSync(partial, path);
  return path;
}
