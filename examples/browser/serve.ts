/**
 * Serves examples/browser on http://127.0.0.1:8080 (PORT to change it):
 *
 *   npx tsx examples/browser/serve.ts
 *
 * - `/` → this folder (index.html, app.js);
 * - `/stillframe/` → the package's browser build, `dist/browser/` (built first with `npx tsup`
 *   when it is missing), with `@ffmpeg/core`'s `ffmpeg-core.js` and `ffmpeg-core.wasm` served
 *   beside it, where the browser engine looks for them by default.
 *
 * Plain static serving: the single-thread core needs no cross-origin isolation (COOP/COEP).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, extname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const HERE = import.meta.dirname;
// STILLFRAME_BROWSER_DIST: another build of dist/browser/ (the example's test passes its own).
const DIST = process.env.STILLFRAME_BROWSER_DIST ?? join(ROOT, 'dist/browser');
const CORE = join(ROOT, 'node_modules/@ffmpeg/core/dist/esm');
const PORT = Number(process.env.PORT ?? 8080);
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

if (!existsSync(join(DIST, 'index.js'))) {
  console.log('dist/browser/ is missing: building the package (npx tsup)…');
  execFileSync('npx', ['tsup'], { cwd: ROOT, stdio: 'inherit' });
}

/** The file a request path names, or undefined (only plain names: no way out of the folders). */
function fileOf(path: string): string | undefined {
  if (path === '/') return join(HERE, 'index.html');
  const name = basename(path);
  if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return undefined;
  if (path === `/${name}` && ['index.html', 'app.js'].includes(name)) return join(HERE, name);
  if (path === `/stillframe/${name}`) return name.startsWith('ffmpeg-core.') ? join(CORE, name) : join(DIST, name);
  return undefined;
}

createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const file = fileOf(path);
  if (!file || !existsSync(file)) {
    response.writeHead(404).end('not found');
    return;
  }
  response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  response.end(readFileSync(file));
}).listen(PORT, '127.0.0.1', function (this: import('node:net').Server) {
  const { port } = this.address() as import('node:net').AddressInfo;
  console.log(`stillframe browser example: http://127.0.0.1:${port}/ (Ctrl+C to stop)`);
});
