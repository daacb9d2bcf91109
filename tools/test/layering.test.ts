/**
 * Dependencies point one way: the order of layering.json (README,
 * "Repository layout") holds for every package.json and every import of
 * src/ and test/ in the workspace. The checker is also run on small made-up
 * workspaces, so a violation of each kind is shown to be caught.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';
import { type LayeringRules, type WorkspacePackage, importsOf, layeringViolations, readWorkspace } from './layering.js';

const RULES: LayeringRules = JSON.parse(readFileSync(join(REPO, 'layering.json'), 'utf8'));

describe('the workspace follows layering.json', () => {
  const pkgs = readWorkspace(REPO);

  it('reads every workspace package with its sources', () => {
    const names = pkgs.map((p) => p.name);
    for (const n of ['@lstmc/ops', '@lstmc/ir', '@lstmc/runtime', '@lstmc/target', '@lstmc/passes', '@lstmc/backend-js', '@lstmc/backend-accel', '@lstmc/cli', '@lstmc/testing', 'lstmc-plugin-merge-bias'])
      expect(names).toContain(n);
    for (const p of pkgs) expect(p.files.length, p.dir).toBeGreaterThan(0);
    // The scan sees the imports it judges: passes' quantize pass reads the runtime's fixed-point semantics.
    const quantize = pkgs.find((p) => p.name === '@lstmc/passes')!.files.find((f) => f.path === 'src/passes/quantize/quantize-pass.ts')!;
    expect(importsOf(quantize.text)).toContain('@lstmc/runtime/fixed');
  });

  it('every dependency and import points to a lower layer and is declared', () => {
    expect(layeringViolations(pkgs, RULES)).toEqual([]);
  });

  it('the README states the same order', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Repository layout'));
    const names = RULES.layers.map((l) => l.map((d) => `\`${d.split('/').pop()}\``).join(' / '));
    expect(section).toContain(names.join(' <- '));
  });
});

const pkg = (dir: string, p: Partial<Omit<WorkspacePackage, 'dir' | 'files'>> & { files?: Record<string, string> } = {}): WorkspacePackage => ({
  dir,
  name: p.name ?? `@x/${dir.split('/').pop()}`,
  dependencies: p.dependencies ?? {},
  peerDependencies: p.peerDependencies ?? {},
  devDependencies: p.devDependencies ?? {},
  files: Object.entries(p.files ?? {}).map(([path, text]) => ({ path, text })),
});

const TOY: LayeringRules = {
  layers: [['pkgs/low'], ['pkgs/mid', 'pkgs/side'], ['pkgs/top']],
  plugins: { workspaces: 'ex/plugin-*', mayImport: ['@x/mid'] },
  testOnly: ['pkgs/testing'],
  noNpmDependencies: ['pkgs/low'],
};

describe('the checker catches each kind of violation', () => {
  it('a clean toy workspace has none', () => {
    const ws = [
      pkg('pkgs/low', { files: { 'src/a.ts': 'export const a = 1;' } }),
      pkg('pkgs/mid', { dependencies: { '@x/low': '*' }, devDependencies: { '@x/testing': '*' }, files: { 'src/m.ts': "import { a } from '@x/low/sub';", 'test/m.test.ts': "import { r } from '@x/testing';" } }),
      pkg('pkgs/top', { dependencies: { '@x/mid': '*' }, files: { 'src/t.ts': "export { m } from '@x/mid';", 'test/t.test.ts': "import '../../mid/test/helper.js';" } }),
      pkg('pkgs/testing', { files: { 'src/r.ts': 'export const r = 0;' } }),
      pkg('ex/plugin-a', { name: 'plugin-a', peerDependencies: { '@x/mid': '*' }, files: { 'src/index.js': "/** @type {import('@x/mid').M} */ export default {};" } }),
    ];
    expect(layeringViolations(ws, TOY)).toEqual([]);
  });

  it('upward, sideways, undeclared, test-only, plugin, npm, relative and unused dependencies', () => {
    const ws = [
      pkg('pkgs/low', { dependencies: { lodash: '*' }, files: { 'src/a.ts': "import { t } from '@x/top';\nimport '../../mid/src/m.js';" } }),
      pkg('pkgs/mid', { dependencies: { '@x/side': '*', '@x/low': '*' }, files: { 'src/m.ts': "import { s } from '@x/side';\nimport { r } from '@x/testing';" } }),
      pkg('pkgs/side'),
      pkg('pkgs/top', { devDependencies: { '@x/mid': '*' }, files: { 'src/t.ts': "import { m } from '@x/mid';" } }),
      pkg('pkgs/testing', { dependencies: { '@x/low': '*' } }),
      pkg('ex/plugin-a', { name: 'plugin-a', peerDependencies: { '@x/top': '*' }, files: { 'src/index.js': "import { t } from '@x/top';" } }),
      pkg('pkgs/new'),
    ];
    expect(layeringViolations(ws, TOY)).toEqual([
      'pkgs/new: not placed in layering.json',
      'pkgs/low: package.json dependencies has npm package lodash, and @x/low takes no npm dependency',
      'pkgs/low/src/a.ts: imports @x/top, which pkgs/low/package.json does not declare in dependencies or peerDependencies',
      'pkgs/low/src/a.ts: imports @x/top: @x/top (layer 2) is not below @x/low (layer 0)',
      "pkgs/low/src/a.ts: '../../mid/src/m.js' reaches into pkgs/mid: import @x/mid by name",
      'pkgs/mid: package.json dependencies has @x/side: @x/side (layer 1) is not below @x/mid (layer 1)',
      'pkgs/mid/src/m.ts: imports @x/side: @x/side (layer 1) is not below @x/mid (layer 1)',
      'pkgs/mid/src/m.ts: imports @x/testing, which pkgs/mid/package.json does not declare in dependencies or peerDependencies',
      'pkgs/mid/src/m.ts: imports @x/testing: @x/testing is test-only',
      'pkgs/mid: package.json dependencies has @x/low, which nothing in src/ imports',
      'pkgs/top/src/t.ts: imports @x/mid, which pkgs/top/package.json does not declare in dependencies or peerDependencies',
      'pkgs/testing: package.json dependencies has @x/low: test-only packages depend on no workspace package',
      'pkgs/testing: package.json dependencies has @x/low, which nothing in src/ imports',
      'ex/plugin-a: package.json peerDependencies has @x/top: plugins may use only @x/mid',
      'ex/plugin-a/src/index.js: imports @x/top: plugins may use only @x/mid',
    ]);
  });

  it('a folder listed twice is reported', () => {
    expect(layeringViolations([], { ...TOY, layers: [['pkgs/low'], ['pkgs/low']] })).toEqual(["layering.json: 'pkgs/low' is listed more than once"]);
  });
});
