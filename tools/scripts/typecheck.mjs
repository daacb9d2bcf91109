// The workspace type check (`tsc -p tsconfig.json --noEmit`) as `npm test`
// runs it before the tests: returns whether it passed and what tsc printed.
// Usage: node typecheck.mjs [tsconfig]   (exit 1 on type errors)
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');

export function typecheck(tsconfig = join(root, 'tsconfig.json')) {
  const r = spawnSync(process.execPath, [tsc, '-p', tsconfig, '--noEmit', '--pretty', 'false'], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = typecheck(process.argv[2] ? resolve(process.argv[2]) : undefined);
  process.stdout.write(r.output);
  console.log(`typecheck: ${r.ok ? 'passed' : 'failed'}`);
  process.exit(r.ok ? 0 : 1);
}
