// `npm run build -w @lstmc/cli` (after build-package.mjs): the `lstmc` command as one esbuild bundle,
// tools/dist/lstmc.mjs, with every @lstmc package and npm dependency inside, so the command loads one
// file and tree-shaken dependencies: its resident set at start is about 60 MB against 85 MB for the
// per-file dist (measured with `--help`), which is what keeps `lstmc run --stream` under 100 MB.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const tools = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(tools, 'dist', 'lstmc.mjs');
await build({
  entryPoints: [join(tools, 'src', 'main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  outfile,
  conditions: ['source'],
  // dev-only tools the command never imports at run time
  external: ['onnxruntime-node', 'playwright-core'],
  // CommonJS dependencies (protobufjs) call require: give the ES module one
  banner: { js: "import { createRequire as __lstmcRequire } from 'node:module';\nconst require = __lstmcRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
