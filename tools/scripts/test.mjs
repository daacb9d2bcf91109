// `npm test`: the workspace type check (tsc --noEmit, as `npm run typecheck`),
// then every project's tests through nx; sums the per-project vitest results
// into one closing line: "N passed, N failed[, N skipped]", after the name, file and first message
// lines of each failed test. A type error
// fails the run (exit 1) after the tests have run.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { typecheck } from './typecheck.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const projects = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
// Workspace globs are only of the form `dir/prefix-*`.
const expand = (p) => {
  if (!p.endsWith('*')) return [p];
  const dir = dirname(p);
  const prefix = p.slice(dir.length + 1, -1);
  return existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter((n) => n.startsWith(prefix)).map((n) => `${dir}/${n}`) : [];
};
const dirs = projects.flatMap(expand);
for (const d of dirs) rmSync(join(root, d, '.vitest-results.json'), { force: true });

const types = typecheck();
process.stdout.write(types.output);
console.log(`typecheck: ${types.ok ? 'passed' : 'failed'}`);

const nx = spawnSync('npx', ['nx', 'run-many', '-t', 'test', '--outputStyle=stream', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { NX_DAEMON: 'false', ...process.env },
});

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const d of dirs) {
  const f = join(root, d, '.vitest-results.json');
  if (!existsSync(f)) continue;
  const r = JSON.parse(readFileSync(f, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  for (const file of r.testResults ?? []) {
    const where = `${d}/${file.name.slice(join(root, d).length + 1)}`;
    const tests = file.assertionResults ?? [];
    for (const t of tests) if (t.status === 'failed') failures.push({ where, name: t.fullName, message: (t.failureMessages ?? [])[0] ?? '' });
    // A file that failed outside its tests (an import, a beforeAll): vitest skips its tests instead.
    if (file.status === 'failed' && !tests.some((t) => t.status === 'failed')) {
      failures.push({ where, name: '(the file: its tests did not run)', message: file.message ?? '' });
      failed++;
    }
  }
}
// Repeated at the end so that a log cut to its tail still names what failed and why.
for (const f of failures) console.log(`\nFAILED ${f.where} > ${f.name}\n${f.message.split('\n').filter((l) => !/^\s+at (.*node_modules|new Promise)/.test(l)).slice(0, 12).join('\n')}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (!types.ok) console.log('typecheck failed: see the tsc errors above');
process.exit(types.ok ? (nx.status ?? 1) : 1);
