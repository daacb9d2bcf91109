// Builds dist/lstmc-runtime.mjs: the whole runtime as one minified ES module for browsers (no Node imports),
// with its source map; prints its size and gzipped size. Built from the workspace's sources (the `source`
// export condition, so @lstmc/ops need not be built first); tools/test/bundle-size.test.ts holds its budget.
// Usage: node scripts/bundle.mjs [outfile]
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_BUNDLE = join(here, '..', 'dist', 'lstmc-runtime.mjs');

export async function bundleRuntime(outfile = DEFAULT_BUNDLE) {
  await build({
    entryPoints: [join(here, '..', 'src', 'index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile,
    conditions: ['source'],
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return outfile;
}

/** Bytes of a built bundle, minified as written and gzipped (level 9). */
export function bundleSizes(file) {
  const bytes = readFileSync(file);
  return { minified: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await bundleRuntime(process.argv[2] ? resolve(process.argv[2]) : DEFAULT_BUNDLE);
  const { minified, gzipped } = bundleSizes(out);
  console.log(`wrote ${out} (${minified} bytes, ${gzipped} gzipped)`);
}
