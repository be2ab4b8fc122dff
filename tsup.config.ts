import { copyFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

export default defineConfig({
  // Both at the dist root: the engine worker is found next to the bundle that loads it.
  entry: { index: 'src/index.ts', cli: 'src/cli/main.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'node',
  // `import.meta.url` locates the engine worker next to the bundle, in CJS too.
  shims: true,
  // The worker is loaded by URL at run time, never bundled: ship it beside the bundle.
  onSuccess: async () => {
    await copyFile('wasm/ffmpeg-worker.mjs', 'dist/ffmpeg-worker.mjs');
  },
});
