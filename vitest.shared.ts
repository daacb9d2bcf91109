import { defineConfig } from 'vitest/config';

/**
 * The vitest settings every package shares. Workspace packages resolve to
 * their TypeScript sources through the `source` export condition. Each run
 * also writes `.vitest-results.json`, which tools/scripts/test.mjs sums into
 * one closing line for the whole workspace.
 */
export default defineConfig({
  resolve: { conditions: ['source'] },
  // vitest runs test files as SSR modules, which take their own resolve conditions
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
  },
});
