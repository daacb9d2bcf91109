/**
 * The published form: every public package is packed as `npm pack` would
 * publish it, the tarballs are installed into an empty project with no
 * network, and the installed `lstmc` bin and `@lstmc/runtime` are used the
 * way the README shows. Needs the packages built (`npm run build`; `npm test`
 * builds first).
 *
 * Third-party dependencies (chevrotain, protobufjs and what they need) come
 * from the workspace's node_modules, packed the same way: `npm ci` only
 * caches tarballs, not the registry metadata an offline install needs to
 * resolve version ranges, so the npm cache cannot serve them on a fresh
 * machine. The install runs with an empty private cache and `--offline`, so
 * anything not given as a tarball fails it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTensorFile } from '@lstmc/backend-js';
import { REPO } from './helpers.js';

/** The public packages, each with its workspace folder. */
const PUBLIC = {
  '@lstmc/ops': 'packages/ops',
  '@lstmc/ir': 'packages/ir',
  '@lstmc/target': 'packages/target',
  '@lstmc/runtime': 'packages/runtime',
  '@lstmc/passes': 'packages/passes',
  '@lstmc/backend-js': 'packages/backend-js',
  '@lstmc/backend-accel': 'packages/backend-accel',
  '@lstmc/cli': 'tools',
} as const;

interface LockEntry {
  readonly dependencies?: Record<string, string>;
}

/** Lockfile paths (node_modules/...) of the third-party packages the public packages need at run time. */
function thirdPartyClosure(): string[] {
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')).packages as Record<string, LockEntry>;
  // Node's lookup: the nearest node_modules/NAME from the depending package up to the root.
  const locate = (from: string, name: string): string => {
    for (let at = from; ; at = at.slice(0, Math.max(0, at.lastIndexOf('/node_modules/')))) {
      const p = `${at ? `${at}/` : ''}node_modules/${name}`;
      if (lock[p]) return p;
      if (!at) throw new Error(`package-lock.json has no ${name} for ${from}`);
    }
  };
  const found = new Set<string>();
  const queue: [from: string, name: string][] = Object.values(PUBLIC).flatMap((dir) => Object.keys(lock[dir]!.dependencies ?? {}).map((d): [string, string] => ['', d]));
  for (let next = queue.pop(); next; next = queue.pop()) {
    const [from, name] = next;
    if (name.startsWith('@lstmc/')) continue;
    const p = locate(from, name);
    if (found.has(p)) continue;
    found.add(p);
    for (const d of Object.keys(lock[p]!.dependencies ?? {})) queue.push([p, d]);
  }
  return [...found];
}

interface Packed {
  readonly name: string;
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { path: string }[];
}

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('packed and installed with no network', () => {
  let dir = '';
  let packed: Packed[] = [];
  const project = () => join(dir, 'project');

  beforeAll(() => {
    for (const [name, d] of Object.entries(PUBLIC))
      if (!existsSync(join(REPO, d, 'dist'))) throw new Error(`${name} is not built (${d}/dist missing): run npm run build`);
    dir = mkdtempSync(join(tmpdir(), 'lstmc-pack-'));
    const tarballs = join(dir, 'tarballs');
    mkdirSync(tarballs);
    const dirs = [...Object.values(PUBLIC), ...thirdPartyClosure()].map((d) => join(REPO, d));
    packed = JSON.parse(npm(['pack', ...dirs, '--pack-destination', tarballs, '--json', '--ignore-scripts'], REPO)) as Packed[];
    mkdirSync(project());
    writeFileSync(join(project(), 'package.json'), `${JSON.stringify({ name: 'embeds-lstmc', private: true, type: 'module' })}\n`);
    const files = packed.map((p) => join(tarballs, p.filename));
    npm(['install', '--offline', '--cache', join(dir, 'empty-cache'), '--no-audit', '--no-fund', '--ignore-scripts', ...files], project());
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('each lstmc tarball holds only dist/, README.md, LICENSE and package.json', () => {
    const ours = packed.filter((p) => p.name in PUBLIC);
    expect(ours.map((p) => p.name).sort()).toEqual(Object.keys(PUBLIC).sort());
    for (const p of ours) {
      const stray = p.files.map((f) => f.path).filter((f) => !/^(dist\/.*\.(js|d\.ts|mjs)|README\.md|LICENSE|package\.json)$/.test(f));
      expect(stray, p.name).toEqual([]);
      expect(p.files.some((f) => f.path === 'dist/index.d.ts' || f.path === 'dist/cli.d.ts'), p.name).toBe(true);
    }
  });

  it('installed packages carry version ranges for each other and a license', () => {
    for (const name of Object.keys(PUBLIC)) {
      const pkg = JSON.parse(readFileSync(join(project(), 'node_modules', name, 'package.json'), 'utf8'));
      expect(pkg.license, name).toBe('MIT');
      for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) if (dep.startsWith('@lstmc/')) expect(range, `${name} -> ${dep}`).toMatch(/^\^\d+\.\d+\.\d+$/);
    }
  });

  it('every export subpath of every package has its types and module in the tarball, and imports', () => {
    const specifiers: string[] = [];
    for (const name of Object.keys(PUBLIC)) {
      const root = join(project(), 'node_modules', name);
      const exports = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports ?? {}) as Record<string, { types?: string; default?: string }>;
      for (const [sub, cond] of Object.entries(exports)) {
        for (const file of [cond.types, cond.default]) expect(file && existsSync(join(root, file)), `${name} ${sub}: ${file}`).toBe(true);
        specifiers.push(sub === '.' ? name : `${name}/${sub.slice(2)}`);
      }
    }
    expect(specifiers).toContain('@lstmc/runtime/writer');
    const script = `for (const s of ${JSON.stringify(specifiers)}) await import(s);\nconsole.log('imported ${specifiers.length}');`;
    writeFileSync(join(project(), 'import-all.mjs'), script);
    expect(execFileSync(process.execPath, ['import-all.mjs'], { cwd: project(), encoding: 'utf8' }).trim()).toBe(`imported ${specifiers.length}`);
  });

  it('npx lstmc compiles the bundled example for both targets and simulates it', () => {
    const model = join(REPO, 'examples/kws-lstm/model.onnx');
    const data = join(REPO, 'examples/kws-lstm/test_data_set_0');
    const lstmc = (...args: string[]) => execFileSync('npx', ['--offline', 'lstmc', ...args], { cwd: project(), encoding: 'utf8' });
    expect(lstmc('compile', model, '--target', 'js', '-o', 'kws.lrg')).toMatch(/^wrote kws\.lrg \(runtime graph/);
    expect(lstmc('compile', model, '--target', 'accel', '-o', 'kws.lxb')).toMatch(/^wrote kws\.lxb \(accelerator binary/);
    expect(lstmc('sim', 'kws.lxb', '--data', data, '--check')).toMatch(/output_0 probs: max abs error/);
  });

  it('a script embeds the installed runtime as the README shows and matches torch', () => {
    const data = join(REPO, 'examples/kws-lstm/test_data_set_0');
    const input = readTensorFile(join(data, 'input_0.pb')).tensor;
    writeFileSync(join(project(), 'features.json'), JSON.stringify({ shape: input.shape, data: Array.from(input.data as Float32Array) }));
    // The README's embedding, ten lines: load, run, stream.
    const script = [
      "import { readFileSync } from 'node:fs';",
      "import { loadModel } from '@lstmc/runtime';",
      '',
      "const model = loadModel(new Uint8Array(readFileSync('kws.lrg')));",
      "const { shape, data } = JSON.parse(readFileSync('features.json', 'utf8'));",
      "const features = { dtype: 'f32', shape, data: Float32Array.from(data) };",
      'const out = model.run({ features });',
      'const stream = model.createStream();',
      'const streamed = stream.push({ features });',
      'console.log(JSON.stringify({ run: Array.from(out.probs.data), stream: Array.from(streamed.probs.data) }));',
    ].join('\n');
    writeFileSync(join(project(), 'embed.mjs'), script);
    const got = JSON.parse(execFileSync(process.execPath, ['embed.mjs'], { cwd: project(), encoding: 'utf8' })) as { run: number[]; stream: number[] };
    const want = Array.from(readTensorFile(join(data, 'output_0.pb')).tensor.data as Float32Array);
    expect(got.run.length).toBe(want.length);
    for (const k of ['run', 'stream'] as const) expect(Math.max(...got[k].map((v, i) => Math.abs(v - want[i]!))), k).toBeLessThan(1e-4);
  });

  it('npx lstmc runtime-entry writes a runtime of the model\'s kernels that the installed packages run', () => {
    const data = join(REPO, 'examples/kws-lstm/test_data_set_0');
    expect(execFileSync('npx', ['--offline', 'lstmc', 'runtime-entry', 'kws.lrg', '-o', 'kws-runtime.mjs'], { cwd: project(), encoding: 'utf8' })).toMatch(/^wrote kws-runtime\.mjs \(\d+ kernels: /);
    const script = [
      "import { readFileSync } from 'node:fs';",
      "import { loadModel } from './kws-runtime.mjs';",
      "const { shape, data } = JSON.parse(readFileSync('features.json', 'utf8'));",
      "const out = loadModel(new Uint8Array(readFileSync('kws.lrg'))).run({ features: { dtype: 'f32', shape, data: Float32Array.from(data) } });",
      'console.log(JSON.stringify(Array.from(out.probs.data)));',
    ].join('\n');
    writeFileSync(join(project(), 'embed-entry.mjs'), script);
    const got = JSON.parse(execFileSync(process.execPath, ['embed-entry.mjs'], { cwd: project(), encoding: 'utf8' })) as number[];
    const want = Array.from(readTensorFile(join(data, 'output_0.pb')).tensor.data as Float32Array);
    expect(Math.max(...got.map((v, i) => Math.abs(v - want[i]!)))).toBeLessThan(1e-4);
  });
});
