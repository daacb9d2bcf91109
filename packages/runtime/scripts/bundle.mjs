// Builds dist/lstmc-runtime.mjs: the whole runtime as one minified ES module for browsers (no Node imports),
// with its source map; prints its size and gzipped size. Built from the workspace's sources (the `source`
// export condition, so @lstmc/ops need not be built first); tools/test/bundle-size.test.ts holds its budget.
// Usage: node scripts/bundle.mjs [--analyze] [outfile]
//   --analyze  also prints esbuild's per-module breakdown of the minified output (its metafile), largest first.
import { analyzeMetafile, build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_BUNDLE = join(here, '..', 'dist', 'lstmc-runtime.mjs');

/** Builds the bundle; returns its path and esbuild's metafile (inputs with their bytes in the output). */
export async function bundleRuntime(outfile = DEFAULT_BUNDLE) {
  return (await buildBundle(outfile)).outfile;
}

async function buildBundle(outfile) {
  const { metafile } = await build({
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
    metafile: true,
    logLevel: 'warning',
  });
  return { outfile, metafile };
}

/** Bytes of a built bundle, minified as written and gzipped (level 9). */
export function bundleSizes(file) {
  const bytes = readFileSync(file);
  return { minified: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const analyze = args.includes('--analyze');
  const file = args.find((a) => a !== '--analyze');
  const { outfile, metafile } = await buildBundle(file ? resolve(file) : DEFAULT_BUNDLE);
  if (analyze) console.log(await analyzeMetafile(metafile));
  const { minified, gzipped } = bundleSizes(outfile);
  console.log(`wrote ${outfile} (${minified} bytes, ${gzipped} gzipped)`);
}
