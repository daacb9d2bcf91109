// Scripts (bench, sweep) run the workspace's TypeScript sources without a
// build step: the given export lines are bundled on the fly with esbuild into
// a temporary ES module, imported, and the temporary file removed. The module is written under the
// repository's node_modules/.cache, so the packages left external resolve from the workspace.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Bundle `exportLines` (resolved from the repository root) and import the result. */
export async function loadSources(exportLines, { external = ['onnxruntime-node'] } = {}) {
  const cache = join(ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'lstmc-script-'));
  const out = join(dir, 'lstmc.mjs');
  try {
    await build({
      stdin: { contents: exportLines.join('\n'), resolveDir: ROOT, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: out,
      conditions: ['source'],
      external,
      logLevel: 'warning',
    });
    return await import(pathToFileURL(out).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
