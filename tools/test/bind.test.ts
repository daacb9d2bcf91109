import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO } from './helpers.js';

// --bind: a graph input made a constant before the passes, so what depends on it folds away.

const V5 = join(REPO, 'tools/test/corpus/silero/v5');

describe('compile --bind', () => {
  it("Silero v5 with sr bound to 16000: the sample-rate If folds away and the model still matches onnxruntime", async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'lstmc-bind-'));
    try {
      // v5's inputs are input, state, sr: without sr the data set is input_0, input_1.
      const data = join(tmp, 'data');
      mkdirSync(data);
      for (const f of ['input_0.pb', 'input_1.pb', 'output_0.pb', 'output_1.pb']) copyFileSync(join(V5, 'test_data_set_0', f), join(data, f));
      const lrg = join(tmp, 'v5.lrg');
      const c = await cli('compile', join(V5, 'model.onnx'), '--target', 'js', '--bind', 'sr=16000', '-o', lrg, '--print-ir-after', 'fold');
      expect(c.code, c.stderr).toBe(0);
      // The sample-rate If (on Equal(sr, 16000)) is inlined: its then-branch's nodes now stand in the main graph.
      expect(c.stderr).toMatch(/%If_0_then_branch__Inline_0__\//);
      expect(c.stderr).not.toMatch(/%sr\b/);
      const r = await cli('run', lrg, '--data', data, '--check');
      expect(r.code, r.stderr).toBe(0);
      const errs = [...r.stdout.matchAll(/max abs error (\S+)/g)].map((m) => Number(m[1]));
      expect(errs).toHaveLength(2);
      for (const e of errs) expect(e).toBeLessThanOrEqual(1e-4);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('a name that is not a graph input, or a value that does not fit, is one error line', async () => {
    for (const [bind, msg] of [
      ['rate=16000', /'rate' is not a graph input \(inputs: input, state, sr\)/],
      ['sr=16000,8000', /'sr' has shape \[\] \(1 values\), got 2/],
      ['sr', /--bind takes NAME=VALUE/],
    ] as const) {
      const r = await cli('compile', join(V5, 'model.onnx'), '--target', 'js', '--bind', bind, '-o', join(tmpdir(), 'x.lrg'));
      expect(r.code, bind).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error\[E-CLI-BIND\]/);
      expect(r.stderr).toMatch(msg);
    }
  });
});
