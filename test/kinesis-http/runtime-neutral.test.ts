/**
 * The endpoint is a plain Fetch-API handler, so Deno and edge runtimes can serve it as they are:
 * it answers `app.fetch(Request)` with no server around it, and nothing it loads at run time
 * imports a Node built-in (only the Node adapters do: `node-server.ts`, `keys-file.ts`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KinesisVideoArchivedMedia } from '../../src/kinesis/archived-media.js';
import { createGetImagesApp } from '../../src/kinesis/http/app.js';

const HTTP_DIR = resolve(import.meta.dirname, '../../src/kinesis/http');
const NODE_ADAPTERS = new Set(['node-server.ts', 'keys-file.ts']);

/** Run-time (not `import type`) relative imports and package imports of a module. */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms), ...source.matchAll(/^import\s+'([^']+)'/gm)].map((m) => m[1]!);
}

describe('GetImages endpoint: runtime neutrality', () => {
  it('answers a Fetch API Request through app.fetch, without a server', async () => {
    const kvam = new KinesisVideoArchivedMedia({ catalog: { streams: [] } });
    const app = createGetImagesApp({ kvam, auth: 'none' });
    const response = await app.fetch(
      new Request('http://edge.example/getImages', {
        method: 'POST',
        body: JSON.stringify({ StreamName: 'cam-1', ImageSelectorType: 'PRODUCER_TIMESTAMP', StartTimestamp: 1, EndTimestamp: 2, SamplingInterval: 3000, Format: 'PNG' }),
      }),
    );
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await response.json()).toEqual({ __type: 'ResourceNotFoundException', Message: expect.stringMatching(/cam-1/) });
  });

  it('loads no Node built-in from the handler and what it imports', () => {
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of runtimeImports(file)) {
        if (specifier.startsWith('node:') || specifier === '@hono/node-server') offenders.push(`${file}: ${specifier}`);
        else if (specifier.startsWith('.')) visit(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
      }
    };
    const handlerFiles = readdirSync(HTTP_DIR).filter((name) => name.endsWith('.ts') && !NODE_ADAPTERS.has(name));
    expect(handlerFiles).toContain('app.ts');
    for (const name of handlerFiles) visit(join(HTTP_DIR, name));
    expect(seen.size).toBeGreaterThan(handlerFiles.length); // it did follow imports out of http/
    expect(offenders).toEqual([]);
  });
});
