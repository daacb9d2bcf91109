import { describe, expect, it } from 'vitest';
import { errorCases } from '@lstmc/testing';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { decodeTensorProto, loadOnnxFile } from '@lstmc/ir';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, REPO } from './helpers.js';

/** packages/ir/test/fixtures/if: built by gen_if.py, expected outputs from onnxruntime. */
const DIR = join(REPO, 'packages/ir/test/fixtures/if');
const MODELS = ['if_input', 'if_nested', 'if_lstm', 'if_const', 'if_shape'];
const tmp = () => mkdtempSync(join(tmpdir(), 'lstmc-if-'));
const sets = (m: string) =>
  readdirSync(join(DIR, m))
    .filter((d) => d.startsWith('test_data_set_'))
    .map((d) => join(DIR, m, d));

function maxErrors(stdout: string): number[] {
  return stdout
    .trim()
    .split('\n')
    .map((l) => Number(/max abs error (\S+)/.exec(l)![1]));
}

describe('If models through the CLI', () => {
  for (const m of MODELS) {
    it(`${m}: run (-O js) and compile --target js then run the .lrg match onnxruntime within 1e-5`, async () => {
      const lrg = join(tmp(), `${m}.lrg`);
      const c = await cli('compile', join(DIR, m, 'model.onnx'), '--target', 'js', '-o', lrg);
      expect(c.stderr).toBe('');
      expect(c.code).toBe(0);
      for (const data of sets(m)) {
        for (const model of [join(DIR, m, 'model.onnx'), lrg]) {
          const r = await cli('run', model, '--data', data, '--check');
          expect(r.stderr).toBe('');
          expect(r.code).toBe(0);
          for (const e of maxErrors(r.stdout)) expect(e).toBeLessThanOrEqual(1e-5);
        }
      }
    });
  }

  it('ir after fold shows no If when the condition is constant', async () => {
    const out = await cli('compile', join(DIR, 'if_const/model.onnx'), '--target', 'js', '-o', join(tmp(), 'c.lrg'), '--print-ir-after', 'fold');
    expect(out.code).toBe(0);
    expect(out.stderr + out.stdout).toMatch(/graph @if_const/);
    expect(out.stderr + out.stdout).not.toMatch(/ If\(/);
  });

  it('compile --target accel runs an If left on a run-time condition on the host part, its LSTMs in fixed point: sim equals run --numerics fixed', async () => {
    const d = tmp();
    const lxb = join(d, 'x.lxb');
    const r = await cli('compile', join(DIR, 'if_lstm/model.onnx'), '--target', 'accel', '-o', lxb, '--pass-reports');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/branchy.*host.*control flow on a run-time condition/);
    // The LSTMs inside the branches were quantized (one row per branch).
    expect(r.stdout).toMatch(/=== quantize:[^\n]*\n[^\n]*\n\S+ +16 [^\n]*\n\S+ +16 /);
    for (const [k, data] of sets('if_lstm').entries()) {
      const s = await cli('sim', lxb, '--data', data, '--check', '--out', join(d, `sim${k}`));
      expect(s.code, s.stderr).toBe(0);
      const f = await cli('run', join(DIR, 'if_lstm/model.onnx'), '-O', 'accel', '--numerics', 'fixed', '--data', data, '--out', join(d, `run${k}`));
      expect(f.code, f.stderr).toBe(0);
      for (const o of readdirSync(join(d, `sim${k}`))) expect(readFileSync(join(d, `sim${k}`, o)), o).toEqual(readFileSync(join(d, `run${k}`, o)));
      // Without calibration (x and c assumed within +-8), int16 weights: measured 2.3e-4.
      const errs = [...s.stdout.matchAll(/max abs error (\S+)/g)].map((x) => Number(x[1]));
      expect(errs.length).toBeGreaterThan(0);
      for (const e of errs) expect(e).toBeLessThanOrEqual(1e-3);
    }
  });

  it('prune writes an ONNX model with its If subgraphs intact, the LSTMs inside pruned; onnxruntime runs it and lstmc matches', async () => {
    const out = join(tmp(), 'pruned.onnx');
    expect((await cli('prune', join(DIR, 'if_lstm/model.onnx'), '--sparsity', '0.5', '-o', out)).code).toBe(0);
    const g = loadOnnxFile(out);
    const lstms = g.nodes.flatMap((n) => Object.values(n.attrs).flatMap((a) => (a.kind === 'graph' ? a.value.nodes.filter((m) => m.op === 'LSTM').map((m) => [a.value, m] as const) : [])));
    expect(lstms).toHaveLength(2);
    for (const [b, n] of lstms) {
      const w = (b.initializers.get(n.inputs[1]!) ?? g.initializers.get(n.inputs[1]!))!.data as Float32Array;
      expect(w.filter((v) => v === 0).length / w.length, n.name).toBeCloseTo(0.5, 1);
    }
    const session = await ort.InferenceSession.create(out);
    for (const data of sets('if_lstm')) {
      const feeds: Record<string, ort.Tensor> = {};
      for (let k = 0; existsSync(join(data, `input_${k}.pb`)); k++) {
        const t = decodeTensorProto(readFileSync(join(data, `input_${k}.pb`)), `input_${k}.pb`);
        const ctor = t.tensor.dtype === 'bool' ? 'bool' : 'float32';
        feeds[t.name] = new ort.Tensor(ctor, t.tensor.data as Float32Array, [...t.tensor.dims]);
      }
      const want = await session.run(feeds);
      const mine = join(tmp(), 'out');
      const r = await cli('run', out, '--data', data, '--out', mine);
      expect(r.code, r.stderr).toBe(0);
      g.outputs.forEach((o, k) => {
        const got = decodeTensorProto(readFileSync(join(mine, `output_${k}.pb`)), o).tensor.data as Float32Array;
        const w = want[o]!.data as Float32Array;
        expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - w[i]!))), o).toBeLessThanOrEqual(1e-5);
      });
    }
  });

  it('inspect lists the LSTMs inside If branches, and opaque ops in branches by node', async () => {
    const r = await cli('inspect', join(DIR, 'if_lstm/model.onnx'), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.lstms.map((l: { node: string; scope: string }) => [l.node, l.scope])).toEqual([
      ['bw_lstm', "If 'branchy' else_branch"],
      ['fw_lstm', "If 'branchy' then_branch"],
    ]);
    expect(j.lstms[0]).toMatchObject({ direction: 'reverse', inputSize: 3, hiddenSize: 4 });
    expect(j.lstms[1].parameters).toBe(16 * 3 + 16 * 4);
    expect(j.opCounts).toEqual({ If: 1, LSTM: 2, Squeeze: 2 });
    const t = await cli('inspect', join(DIR, '_error_opaque_in_branch/model.onnx'));
    expect(t.code).toBe(0);
    expect(t.stdout).toContain("Det  node 'inner_det' (in If 'opaque_inside' else_branch)");
    const loop = await cli('inspect', join(DIR, '_error_loop/model.onnx'));
    expect(loop.code).toBe(0);
    expect(loop.stdout).toContain("Loop  node 'repeat'");
  });

  it('inspect reports a model whose branches cannot be typed instead of refusing it', async () => {
    const r = await cli('inspect', join(DIR, '_error_branch_count/model.onnx'), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.inferenceErrors).toEqual([expect.objectContaining({ code: 'E-IR-IF-BRANCHES', node: 'mismatch', op: 'If' })]);
    expect(j.outputs).toEqual([{ name: 'y', dtype: 'f32', shape: [3] }]);
  });

  for (const { dir, expected: want } of errorCases(DIR)) {
    it(`${dir}: compile and run fail with one line error[${want.code}] naming node '${want.node}'`, async () => {
      for (const argv of [
        ['compile', join(DIR, dir, 'model.onnx'), '--target', 'js', '-o', join(tmp(), 'x.lrg')],
        ['run', join(DIR, dir, 'model.onnx'), '--data', tmp()],
      ]) {
        const r = await cli(...argv);
        expect(r.code).toBe(1);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(new RegExp(`^error\\[${want.code}\\]: .*node '${want.node}'`));
      }
    });
  }
});
