/**
 * Test-only: pruned LSTM configurations for lstm.sparse.f32. The runtime model is the dense one of
 * lstm-case.ts with its LSTM node switched to lstm.sparse.f32 (weights packed by packLstmSparse, or at
 * run time by lstm.sparse.pack.f32 when the config asks for run-time packing).
 */
import { lstmSparseSections, packLstmSparse, type LstmSparseChoice, type RtNode, type RtTensor, type RuntimeModel } from '../../src/index.js';
import { lstmRuntimeModel, numDirections, type LstmConfig, type LstmData } from './lstm-case.js';
import type { Rng } from '@lstmc/testing';

/**
 * Zeroes a random fraction `sparsity` of m ([D*4H rows][K]) by magnitude (the smallest go), then
 * also whole rows and whole columns with small probability.
 */
export function pruneMatrix(m: Float32Array, rows: number, K: number, sparsity: number, rng: Rng): void {
  const order = Array.from(m.keys()).sort((a, b) => Math.abs(m[a]!) - Math.abs(m[b]!));
  for (let i = 0; i < Math.floor(sparsity * m.length); i++) m[order[i]!] = 0;
  for (let r = 0; r < rows; r++) if (rng.bool(0.08)) m.fill(0, r * K, (r + 1) * K);
  for (let k = 0; k < K; k++) if (rng.bool(0.08)) for (let r = 0; r < rows; r++) m[r * K + k] = 0;
}

export function randomSparseChoice(rng: Rng): LstmSparseChoice {
  const v = rng.int(0, 2);
  return { sparseW: v !== 1, sparseR: v !== 0 };
}

export function pruneLstmData(c: LstmConfig, d: LstmData, rng: Rng): void {
  const D = numDirections(c);
  pruneMatrix(d.W, D * 4 * c.H, c.I, rng.uniform(0.5, 0.97), rng);
  pruneMatrix(d.R, D * 4 * c.H, c.H, rng.uniform(0.5, 0.97), rng);
}

/** The runtime model of lstm-case.ts with its LSTM on lstm.sparse.f32 for the chosen matrices. */
export function lstmSparseRuntimeModel(c: LstmConfig, d: LstmData, choice: LstmSparseChoice): { model: RuntimeModel; feeds: Record<string, RtTensor> } {
  const { model, feeds } = lstmRuntimeModel({ ...c, runtimePack: false }, d);
  const D = numDirections(c);
  const { H, I } = c;
  const values = [...model.values];
  const add = (v: (typeof values)[number]) => values.push(v) - 1;
  const lstm = model.nodes.find((n) => n.kernel === 'lstm.dense.f32')!;
  const s = lstmSparseSections(H, I, choice);
  const attrs = { ...lstm.attrs, sparse_w: { type: 'int', value: choice.sparseW ? 1 : 0 }, sparse_r: { type: 'int', value: choice.sparseR ? 1 : 0 } } satisfies RtNode['attrs'];
  const nodes: RtNode[] = [];
  let arrays: number[];
  if (c.runtimePack) {
    const w = add({ name: 'W', dtype: 'f32', shape: [D, 4 * H, I], data: { dtype: 'f32', shape: [D, 4 * H, I], data: d.W } });
    const r = add({ name: 'R', dtype: 'f32', shape: [D, 4 * H, H], data: { dtype: 'f32', shape: [D, 4 * H, H], data: d.R } });
    const b = d.B ? add({ name: 'B', dtype: 'f32', shape: [D, 8 * H], data: { dtype: 'f32', shape: [D, 8 * H], data: d.B } }) : -1;
    const p = d.P ? add({ name: 'P', dtype: 'f32', shape: [D, 3 * H], data: { dtype: 'f32', shape: [D, 3 * H], data: d.P } }) : -1;
    arrays = [
      add({ name: 'sp.dense', dtype: 'f32', shape: [D, s.stride] }),
      add({ name: 'sp.ptr', dtype: 'i32', shape: ['np'] }),
      add({ name: 'sp.col', dtype: 'i32', shape: ['nnz'] }),
      add({ name: 'sp.val', dtype: 'f32', shape: ['nnz'] }),
    ];
    nodes.push({
      kernel: 'lstm.sparse.pack.f32', name: 'sparse-pack', inputs: [w, r, b, p], outputs: arrays,
      attrs: { hidden_size: { type: 'int', value: H }, sparse_w: attrs.sparse_w, sparse_r: attrs.sparse_r },
    });
  } else {
    const sp = packLstmSparse({ W: d.W, R: d.R, B: d.B, P: d.P, numDirections: D, hiddenSize: H, inputSize: I }, choice);
    const k = (name: string, t: RtTensor) => add({ name, dtype: t.dtype, shape: [...t.shape], data: t });
    arrays = [
      k('sp.dense', { dtype: 'f32', shape: [D, s.stride], data: sp.dense }),
      k('sp.ptr', { dtype: 'i32', shape: [sp.ptr.length], data: sp.ptr }),
      k('sp.col', { dtype: 'i32', shape: [sp.col.length], data: sp.col }),
      k('sp.val', { dtype: 'f32', shape: [sp.val.length], data: sp.val }),
    ];
  }
  const ins = [...lstm.inputs];
  ins[1] = arrays[0]!;
  while (ins.length < 5) ins.push(-1);
  nodes.push({ ...lstm, kernel: 'lstm.sparse.f32', inputs: [...ins, arrays[1]!, arrays[2]!, arrays[3]!], attrs, mode: { W: choice.sparseW ? 'sparse' : 'dense', R: choice.sparseR ? 'sparse' : 'dense' } });
  // The dense packed constant is no longer used; drop nothing (unused constants are allowed) unless the format objects.
  return { model: { ...model, values, nodes }, feeds };
}
