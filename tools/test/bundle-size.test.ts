/**
 * The size budget of the runtime's browser bundle (packages/runtime/scripts/bundle.mjs, the file
 * `npm run build` writes to packages/runtime/dist/lstmc-runtime.mjs): built with esbuild from the
 * sources, minified, and held under BUDGET so growth is a decision, not an accident. The goal is
 * 100 KB minified for the runtime an app ships (issue 11), which is one built from a model's kernels
 * (`lstmc runtime-entry`, test/runtime-entry.test.ts); README "Embedding the runtime" has the
 * numbers and where the bytes go.
 * Lower BUDGET when the bundle shrinks; raising it needs a reason in the commit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { bundleRuntime, bundleSizes } from '../../packages/runtime/scripts/bundle.mjs';

const BUDGET = 162_500;
const dir = mkdtempSync(join(tmpdir(), 'lstmc-bundle-size-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it(`the minified runtime bundle stays within ${BUDGET} bytes`, async () => {
  const { minified, gzipped } = bundleSizes(await bundleRuntime(join(dir, 'lstmc-runtime.mjs')));
  console.log(`runtime bundle: ${minified} bytes minified, ${gzipped} gzipped (budget ${BUDGET})`);
  expect(minified).toBeLessThanOrEqual(BUDGET);
  expect(gzipped).toBeLessThan(minified / 2);
});
