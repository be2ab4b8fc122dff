import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as sources from '../../src/sources/index.js';

const srcDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/sources');

/** Every module reachable from `entry` through relative imports, with its import specifiers. */
function moduleGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (graph.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'/g)].map((m) => m[1]!);
    graph.set(file, specifiers);
    for (const spec of specifiers) {
      if (spec.startsWith('.')) pending.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    }
  }
  return graph;
}

describe('sources index', () => {
  it('exports the runtime-neutral sources and helpers', () => {
    expect(Object.keys(sources).sort()).toEqual(
      [
        'DEFAULT_CALLBACK_TIMEOUT_MS',
        'DEFAULT_MAX_UNRANGED_BYTES',
        'blobSource',
        'callbackSource',
        'countingSource',
        'httpSource',
        'memorySource',
        'readExact',
      ].sort(),
    );
  });

  it('does not pull in node: modules (the file sources stay Node-only)', () => {
    const graph = moduleGraph(join(srcDir, 'index.ts'));
    expect([...graph.keys()].some((f) => f.endsWith('node-file-source.ts'))).toBe(false);
    const nodeImports = [...graph.entries()].flatMap(([file, specs]) =>
      specs.filter((s) => s.startsWith('node:') || !s.startsWith('.')).map((s) => `${file}: ${s}`),
    );
    expect(nodeImports).toEqual([]);
    // Sanity check that the graph walk works at all.
    expect(graph.size).toBeGreaterThan(5);
  });
});
