// Bundles the micro-benchmark from TypeScript source with esbuild and runs it (see bench-lstm-entry.ts).
import { build } from 'esbuild';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Inside the package (dist/ is git-ignored) so the bundle resolves onnxruntime-node from node_modules.
const out = join(here, '..', 'dist', 'bench', 'bench-lstm.mjs');
await build({
  entryPoints: [join(here, 'bench-lstm-entry.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: out,
  conditions: ['source'],
  external: ['onnxruntime-node', 'protobufjs', 'protobufjs/*', 'vitest'],
  logLevel: 'warning',
});
const { main } = await import(pathToFileURL(out).href);
await main();
