// Builds one workspace package (the current directory) into dist/, the form
// it is published and imported by Node in: every src/**/*.ts file transpiled
// to an ES module (esbuild, one file per source file) plus its declaration
// file (tsc, declarations only). Types are checked for the whole workspace by
// `npm run typecheck`; declaration emit fails on the errors it meets too.
// Inside the workspace, TypeScript, vitest and esbuild resolve the packages to
// their sources through the `source` export condition, so dist/ only serves
// Node and the published tarballs.
// Usage: node build-package.mjs [--bin FILE]   (FILE: a dist file made executable)
import { build } from 'esbuild';
import ts from 'typescript';
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = process.cwd();
const src = join(pkg, 'src');
const dist = join(pkg, 'dist');
const files = readdirSync(src, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
  .map((e) => join(e.parentPath ?? e.path, e.name));
rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: files,
  outdir: dist,
  outbase: src,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  logLevel: 'warning',
});

const base = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.base.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) });
const program = ts.createProgram(files, {
  ...base.options,
  noEmit: false,
  declaration: true,
  emitDeclarationOnly: true,
  sourceMap: false,
  declarationMap: false,
  // The workspace type check (`npm run typecheck`, part of `npm test`) checks; here types are only inferred for emit.
  noCheck: true,
  rootDir: src,
  outDir: dist,
});
const { diagnostics } = program.emit();
if (diagnostics.length) fail(diagnostics);

const bin = process.argv.indexOf('--bin');
if (bin > 0) chmodSync(join(pkg, process.argv[bin + 1]), 0o755);

function fail(ds) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => pkg, getNewLine: () => '\n' };
  process.stderr.write(`${relative(root, pkg)}: declaration emit failed\n${ts.formatDiagnostics(ds, host)}`);
  process.exit(1);
}
