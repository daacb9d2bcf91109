import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeTensorProto } from '@lstmc/ir';
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

const V4 = join(REPO, 'tools/test/corpus/silero/v4-legacy');

describe('compile --input-shape', () => {
  it('Silero v4 specialized to 16 kHz and one 512-sample chunk: every If folds, the LSTMs run as microcode, sim reads the unbound data set by name', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'lstmc-shape-'));
    try {
      const lxb = join(tmp, 'v4.lxb');
      const flags = ['--bind', 'sr=16000', '--input-shape', 'input=1,512', '-O', 'accel'];
      const c = await cli('compile', join(V4, 'model.onnx'), ...flags, '--target', 'accel', '-o', lxb, '--pass-reports');
      expect(c.code, c.stderr).toBe(0);
      // `batch` is fixed in h and c too: input's [batch, ?] took 1 for it.
      expect(c.stdout).toMatch(/placement: 4 accel, \d+ host; 1 accelerator phase/);
      expect(c.stdout).toMatch(/^LSTM_245 +LSTM +accel +phase 0 +microcode/m);
      expect(c.stdout).not.toMatch(/ If /);
      // The data set still holds sr (input_1.pb, between input and h): matched by name, not position.
      const data = join(V4, 'test_data_set_0');
      const s = await cli('sim', lxb, '--data', data, '--out', join(tmp, 'sim'), '--check');
      expect(s.code, s.stderr).toBe(0);
      expect(s.stderr).toMatch(/note: '.*input_1\.pb' holds 'sr', which is not an input of this model/);
      const r = await cli('run', join(V4, 'model.onnx'), ...flags, '--numerics', 'fixed', '--data', data, '--out', join(tmp, 'run'));
      expect(r.code, r.stderr).toBe(0);
      for (const f of ['output_0.pb', 'output_1.pb', 'output_2.pb']) {
        const a = decodeTensorProto(readFileSync(join(tmp, 'sim', f)), f).tensor.data as Float32Array;
        const b = decodeTensorProto(readFileSync(join(tmp, 'run', f)), f).tensor.data as Float32Array;
        expect(Array.from(a), f).toEqual(Array.from(b));
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('a shape that does not fit the input is one error line', async () => {
    for (const [spec, msg] of [
      ['audio=1,512', /'audio' is not a graph input \(inputs: input, sr, h, c\)/],
      ['input=512', /'input' has rank 2 \(\[batch, sequence\]\), got 1 dims/],
      ['h=3,1,64', /'h' dim 0 is 2, got 3/],
      ['input=1,x', /'1,x' is not a list of dims/],
      ['input', /--input-shape takes NAME=D/],
    ] as const) {
      const r = await cli('compile', join(V4, 'model.onnx'), '--target', 'js', '--input-shape', spec, '-o', join(tmpdir(), 'x.lrg'));
      expect(r.code, spec).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error\[E-CLI-SHAPE\]/);
      expect(r.stderr).toMatch(msg);
    }
    const r = await cli('compile', join(V4, 'model.onnx'), '--target', 'js', '--input-shape', 'input=1,512', '--input-shape', 'h=2,4,64', '-o', join(tmpdir(), 'x.lrg'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[E-CLI-SHAPE\]: dim 'batch' is already 1, got 4 for 'h' dim 1/);
  });
});
