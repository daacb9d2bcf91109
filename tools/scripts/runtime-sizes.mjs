// The minified size of the runtime each model of the corpus ships with: compiled with -O js, its
// module written by `lstmc runtime-entry`, and an app importing loadModel from it bundled by
// esbuild for the browser (as tools/test/runtime-entry.test.ts does). Prints bytes, kernels and
// model, smallest first (minified bytes and gzipped), then the whole runtime's size for the same app.
// Usage: node tools/scripts/runtime-sizes.mjs   (needs `npm run build`: it runs the lstmc bin)
// bundleApp is also what tools/test/runtime-entry.test.ts bundles its apps with.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Bundles the app source `app` (written to DIR/NAME.app.mjs, so its relative imports resolve in DIR) as
 * an embedder would: esbuild, minified, ES module, from the workspace's sources. Returns the bundle's
 * file, its minified bytes and its text.
 */
export async function bundleApp(dir, name, app, platform = 'browser') {
  const entry = join(dir, `${name}.app.mjs`);
  writeFileSync(entry, app);
  const file = join(dir, `${name}.bundle.mjs`);
  await build({ entryPoints: [entry], bundle: true, format: 'esm', platform, target: 'es2022', outfile: file, minify: true, conditions: ['source'], nodePaths: [join(repo, 'node_modules')], logLevel: 'silent' });
  const text = readFileSync(file, 'utf8');
  return { file, bytes: Buffer.byteLength(text), text };
}

async function main() {
  const lstmc = join(repo, 'tools/dist/lstmc.mjs');
  const tmp = mkdtempSync(join(tmpdir(), 'lstmc-runtime-sizes-'));
  const corpus = (sub) => readdirSync(join(repo, sub)).map((d) => join(repo, sub, d));
  const models = [...corpus('tools/test/corpus/torch'), ...corpus('tools/test/corpus/silero'), join(repo, 'examples/kws-lstm'), join(repo, 'examples/kws-lstm-sparse')]
    .map((d) => join(d, 'model.onnx'))
    .filter((m) => existsSync(m));

  const appBytes = async (name, importFrom) => {
    const { bytes, text } = await bundleApp(tmp, name, `export { loadModel } from '${importFrom}';\n`);
    return [bytes, gzipSync(text, { level: 9 }).length];
  };

  try {
    const rows = [];
    for (const model of models) {
      const name = model.split('/').at(-2);
      const lrg = join(tmp, `${name}.lrg`);
      const entry = join(tmp, `${name}.runtime.mjs`);
      execFileSync(process.execPath, [lstmc, 'compile', model, '--target', 'js', '-o', lrg], { stdio: 'pipe' });
      const { kernels } = JSON.parse(execFileSync(process.execPath, [lstmc, 'runtime-entry', lrg, '-o', entry, '--json'], { encoding: 'utf8' }));
      rows.push([...(await appBytes(name, entry)), kernels.length, name]);
    }
    rows.sort((a, b) => a[0] - b[0]);
    console.log('bytes\tgzipped\tkernels\tmodel');
    for (const r of rows) console.log(r.join('\t'));
    console.log(`${(await appBytes('whole', '@lstmc/runtime')).join('\t')}\t-\tthe whole runtime`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
