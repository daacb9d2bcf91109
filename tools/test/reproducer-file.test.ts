import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, cli } from './helpers.js';

const PLUGIN = join(REPO, 'packages/passes/test/fixtures/plugins/_error_throws/plugin.js');

describe('reproducers of failing passes', () => {
  it('land next to the model, never overwriting one another, and replay the failure', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lstmc-repro-'));
    // Two models of the same name in two folders, as exported models usually are.
    const models = ['a', 'b'].map((d) => {
      mkdirSync(join(root, d));
      copyFileSync(join(REPO, 'examples/kws-lstm/model.onnx'), join(root, d, 'model.onnx'));
      return join(root, d, 'model.onnx');
    });
    const fail = (model: string) => cli('compile', model, '--plugin', PLUGIN, '--pipeline', 'fold,explode', '-o', join(root, 'x.lrg'));
    for (const m of models) {
      const r = await fail(m);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`note: wrote reproducer ${join(m, '..', 'model.reproducer.lir')}`);
    }
    const first = readFileSync(join(root, 'a', 'model.reproducer.lir'), 'utf8');
    expect(first).toContain('// lstmc-reproducer pipeline: explode\n');
    // A second failure of the same model keeps the first reproducer.
    const again = await fail(models[0]);
    expect(again.stderr).toContain(`note: wrote reproducer ${join(root, 'a', 'model.reproducer.1.lir')}`);
    expect(readFileSync(join(root, 'a', 'model.reproducer.lir'), 'utf8')).toBe(first);
    expect(readdirSync(join(root, 'a')).sort()).toEqual(['model.onnx', 'model.reproducer.1.lir', 'model.reproducer.lir']);
    // Nothing is written to the current directory.
    expect(existsSync(join(REPO, 'model.reproducer.lir'))).toBe(false);
    // Replaying a reproducer fails the same way; its own reproducer goes next to it.
    const replay = await cli('compile', join(root, 'b', 'model.reproducer.lir'), '--plugin', PLUGIN, '-o', join(root, 'y.lrg'));
    expect(replay.code).toBe(1);
    expect(replay.stderr).toMatch(/^error\[E-PLUGIN-THREW\]/m);
    expect(existsSync(join(root, 'b', 'model.reproducer.reproducer.lir'))).toBe(true);
  });
});
