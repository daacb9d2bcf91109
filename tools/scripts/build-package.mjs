// Builds one workspace package (the current directory): transpiles every
// src/**/*.ts file to dist/ as ES modules, one file per source file, so that
// Node can import the package by name without a TypeScript loader (plugins
// do). Types are checked once for the whole workspace by `npm run typecheck`;
// the `types` export condition points at the sources.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const src = join(process.cwd(), 'src');
const files = readdirSync(src, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
  .map((e) => join(e.parentPath ?? e.path, e.name));
rmSync(join(process.cwd(), 'dist'), { recursive: true, force: true });
await build({
  entryPoints: files,
  outdir: join(process.cwd(), 'dist'),
  outbase: src,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  logLevel: 'warning',
});
