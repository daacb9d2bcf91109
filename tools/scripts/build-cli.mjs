// Bundles the lstmc CLI (tools/src/main.ts and the workspace packages, from
// source) into tools/dist/lstmc.mjs. Runs on `npm ci`/`npm install` (root
// `prepare`) so `npx lstmc` works right after installing.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
await build({
  entryPoints: [join(here, '../src/main.ts')],
  outfile: join(here, '../dist/lstmc.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  conditions: ['source'],
  sourcemap: true,
  external: ['onnxruntime-node', 'playwright-core'],
  // protobufjs is CommonJS and calls require() for optional modules.
  banner: { js: "import { createRequire as __lstmcCreateRequire } from 'node:module'; const require = __lstmcCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
