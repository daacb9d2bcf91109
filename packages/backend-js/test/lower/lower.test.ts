import { describe, expect, it } from 'vitest';
import { OP_KINDS, inferTypes, isDiagnosticError, makeGraph, makeNode, tensorType, updateGraph } from '@lstmc/ir';
import { createModel, loadModel, readRuntimeGraph, type RtTensor, type RuntimeModel } from '@lstmc/runtime';
import { writeRuntimeGraph } from '@lstmc/runtime/writer';
import { loweringRule, lowerToRuntime } from '../../src/index.js';
import { BUILTIN_KERNELS } from '@lstmc/runtime';
import { maxAbsDiff } from '../helpers.js';
import { Rng } from '../support/rng.js';
import { torchLikeLstm } from './graphs.js';

const diagOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (isDiagnosticError(e)) return e.diagnostic;
    throw e;
  }
  throw new Error('expected a diagnostic');
};
const kernels = (m: RuntimeModel) => m.nodes.map((n) => n.kernel);
const x = (T: number, B: number, I: number, seed = 7): RtTensor => ({ dtype: 'f32', shape: [T, B, I], data: new Rng(seed).f32(T * B * I) });

describe('lowerToRuntime', () => {
  it('has a rule for every op of the IR op table, and every generic rule a runtime kernel of the op', () => {
    for (const op of OP_KINDS) {
      // Control flow is structural: lowerToRuntime lowers If's branches itself (lower-if.ts) and the executor runs them.
      if (op === 'If') continue;
      expect(loweringRule(op, ''), op).toBeDefined();
      if (op !== 'LSTM' && op !== 'Constant') expect(BUILTIN_KERNELS[op], op).toBeDefined();
    }
  });

  it('refuses an opaque op by node name, op and domain', () => {
    const g = inferTypes(
      makeGraph({
        inputs: ['a'],
        outputs: ['b'],
        values: [['a', { name: 'a', type: tensorType('f32', [2]) }]],
        nodes: [makeNode({ op: 'FancyGelu', domain: 'com.example', name: 'act_3', inputs: ['a'], outputs: ['b'] })],
      }),
    );
    const d = diagOf(() => lowerToRuntime(g, { file: 'm.onnx' }));
    expect(d.code).toBe('E-JS-UNSUPPORTED-OP');
    expect(d.loc).toMatchObject({ file: 'm.onnx', node: 'act_3', field: 'FancyGelu' });
    expect(d.message).toContain('com.example');
  });

  it('refuses a float16 LSTM (the runtime LSTM is float32)', () => {
    const g = torchLikeLstm([3, 2, 4], 5, { zeroStates: false });
    const f16 = inferTypes(updateGraph(g, { values: new Map([['X', { name: 'X', type: tensorType('f16', [3, 2, 4]) }]]), initializers: new Map([...g.initializers].map(([k, t]) => [k, t.dtype === 'f32' ? { ...t, dtype: 'f16' as const } : t])) }));
    expect(diagOf(() => lowerToRuntime(f16)).code).toBe('E-JS-DTYPE');
  });

  it('folds the zero-state subgraph and packs constant weights when shapes are static', () => {
    const m = lowerToRuntime(torchLikeLstm([5, 2, 4], 6));
    expect(kernels(m)).toEqual(['lstm.dense.f32']);
    // ONNX-layout W/R/B are gone: only the packed weights and the folded zero state are constants.
    expect(m.values.filter((v) => v.data).map((v) => v.name).sort()).toEqual(['h0', 'lstm.packed.0']);
    // Y is not a graph output: the LSTM does not produce it.
    expect(m.nodes[0]!.outputs[0]).toBe(-1);
  });

  it('packs constant weights at compile time whatever their size; other folds stop at the limit', () => {
    const m = lowerToRuntime(torchLikeLstm([5, 2, 4], 6), { foldLimit: 8 });
    // The packed weights (no bigger than W, R, B together) are folded; the 12-element zero state is not.
    expect(kernels(m)).toEqual(['ConstantOfShape', 'lstm.dense.f32']);
  });

  it('folds what static dims determine: only batch static', () => {
    const m = lowerToRuntime(torchLikeLstm(['seq', 3, 4], 6));
    expect(kernels(m)).toEqual(['lstm.dense.f32']);
  });

  it('keeps the subgraph when batch is symbolic, and runs it for any seq and batch', () => {
    const dyn = torchLikeLstm(['seq', 'batch', 4], 6);
    const m = lowerToRuntime(dyn);
    expect(kernels(m)).toEqual(['Shape', 'Gather', 'Unsqueeze', 'Concat', 'ConstantOfShape', 'lstm.dense.f32']);
    const runDyn = loadModel(writeRuntimeGraph(m));
    // ONNX: omitted initial states are zeros, so the same LSTM without the subgraph must agree.
    for (const [T, B] of [[1, 1], [4, 3], [9, 2]] as const) {
      const ref = createModel(lowerToRuntime(torchLikeLstm([T, B, 4], 6, { zeroStates: false })));
      const input = x(T, B, 4, T * 10 + B);
      const got = runDyn.run({ X: input }).Y_h!;
      expect(got.shape).toEqual([1, B, 6]);
      expect(maxAbsDiff(got, ref.run({ X: input }).Y_h!)).toBe(0);
    }
  });

  it("records the passes' per-layer modes on the LSTM node, through the file format", () => {
    const g = torchLikeLstm([5, 2, 4], 6, {
      attrs: { 'lstmc.mode.W': { kind: 'strings', value: ['sparse-weight'] }, 'lstmc.mode.R': { kind: 'strings', value: ['dense'] } },
    });
    const m = readRuntimeGraph(writeRuntimeGraph(lowerToRuntime(g)));
    expect(m.nodes.find((n) => n.kernel === 'lstm.sparse.f32')!.mode).toEqual({ W: 'sparse', R: 'dense' });
    expect(lowerToRuntime(torchLikeLstm([5, 2, 4], 6)).nodes[0]!.mode).toBeUndefined();
  });

  it('packs at run time when the weights are graph inputs', () => {
    const g = torchLikeLstm([2, 1, 3], 2, { zeroStates: false });
    const asInputs = updateGraph(g, { inputs: ['X', 'W', 'R'], initializers: new Map([...g.initializers].filter(([k]) => k !== 'W' && k !== 'R')) });
    const m = lowerToRuntime(inferTypes(asInputs));
    expect(kernels(m)).toEqual(['lstm.pack.f32', 'lstm.dense.f32']);
    const W = g.initializers.get('W')!;
    const R = g.initializers.get('R')!;
    const input = x(2, 1, 3);
    const got = createModel(m).run({ X: input, W: { dtype: 'f32', shape: [...W.dims], data: W.data as Float32Array }, R: { dtype: 'f32', shape: [...R.dims], data: R.data as Float32Array } });
    expect(maxAbsDiff(got.Y_h!, createModel(lowerToRuntime(g)).run({ X: input }).Y_h!)).toBe(0);
  });
});
