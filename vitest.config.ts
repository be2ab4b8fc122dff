import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Decodes run in worker threads; two files at a time keeps a 2-core machine responsive.
    maxWorkers: 2,
    reporters: ['default', 'json'],
    outputFile: { json: '.cache/test-report.json' },
  },
});
