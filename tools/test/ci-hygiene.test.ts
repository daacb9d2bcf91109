/**
 * What `npm test` and the README's nx commands rely on: the type check that
 * test.mjs runs fails on a type error, `nx affected` sees the packages'
 * dependency graph as their package.json files declare it, and a cacheable
 * target run twice with nothing changed is replayed from the cache.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without declarations
import { typecheck } from '../scripts/typecheck.mjs';
import { REPO } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lstmc-ci-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the type check of npm test', () => {
  it('passes a well-typed project and fails one with a type error, naming it', () => {
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(REPO, 'tsconfig.base.json'), compilerOptions: { noEmit: true, types: [] }, include: ['*.ts'] }));
    writeFileSync(join(dir, 'a.ts'), 'export const n: number = 1;\n');
    expect(typecheck(join(dir, 'tsconfig.json'))).toMatchObject({ ok: true });
    writeFileSync(join(dir, 'a.ts'), "export const n: number = 'one';\n");
    const r = typecheck(join(dir, 'tsconfig.json')) as { ok: boolean; output: string };
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/a\.ts\(1,14\): error TS2322/);
  }, 60_000);

  it('npm test runs it', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    expect(pkg.scripts.test).toBe('node tools/scripts/test.mjs');
    expect(readFileSync(join(REPO, 'tools/scripts/test.mjs'), 'utf8')).toMatch(/const types = typecheck\(\);/);
  });
});

describe('nx affected', () => {
  it('a change in @lstmc/target affects exactly the projects that depend on it, per package.json', () => {
    const dirs = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).workspaces as string[];
    const pkgs = dirs
      .filter((d) => !d.includes('*'))
      .map((d) => JSON.parse(readFileSync(join(REPO, d, 'package.json'), 'utf8')) as { name: string; dependencies?: object; devDependencies?: object; peerDependencies?: object });
    const dependsOn = (p: (typeof pkgs)[number]) => Object.keys({ ...p.dependencies, ...p.devDependencies, ...p.peerDependencies });
    const affected = new Set(['@lstmc/target']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of pkgs) if (!affected.has(p.name) && dependsOn(p).some((d) => affected.has(d))) grew = affected.add(p.name).size > 0;
    }
    const out = execFileSync('npx', ['nx', 'show', 'projects', '--affected', '--files=packages/target/src/index.ts', '--json'], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    const nx = (JSON.parse(out) as string[]).filter((n) => n.startsWith('@lstmc/'));
    expect(nx.sort()).toEqual([...affected].sort());
    expect(nx).not.toContain('@lstmc/ir');
  }, 60_000);
});

describe('nx caching', () => {
  it('a second run of a cacheable target (@lstmc/ops:test) is a local cache hit with the same hash, its output replayed', () => {
    const cache = join(dir, 'nx-cache');
    // A private cache, so the first run is a miss. What an outer nx run (npm test) or vitest set is not passed on:
    // CI's NX_SKIP_NX_CACHE, the outer task's NX_* variables (output prefixes), colors.
    const env: Record<string, string | undefined> = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('NX_') || k.startsWith('VITEST') || k === 'NODE_ENV' || k === 'FORCE_COLOR') delete env[k];
    Object.assign(env, { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_CACHE_DIRECTORY: cache, NO_COLOR: '1' });
    const run = () => {
      // eslint-disable-next-line no-control-regex
      const out = execFileSync('npx', ['nx', 'run', '@lstmc/ops:test', '--outputStyle=static'], { cwd: REPO, encoding: 'utf8', env }).replace(/\x1b\[[0-9;]*m/g, '');
      const task = (JSON.parse(readFileSync(join(cache, 'run.json'), 'utf8')) as { tasks: { taskId: string; hash: string; cacheStatus: string; status: number }[] }).tasks[0]!;
      return { out, task };
    };
    const first = run();
    expect(first.task).toMatchObject({ taskId: '@lstmc/ops:test', cacheStatus: 'cache-miss', status: 0 });
    const second = run();
    expect(second.task.cacheStatus).toMatch(/^local-cache/);
    expect(second.task.hash).toBe(first.task.hash);
    expect(second.out).toContain('> nx run @lstmc/ops:test  [local cache]');
    expect(second.out).toMatch(/Tests\s.*passed/);
  }, 120_000);
});
