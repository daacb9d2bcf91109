import { describe, expect, it } from 'vitest';
import { createMatvecEngine, encodeSparsePairs } from '../src/kernels/lstm/matvec-engine.js';
import { loadModel, packLstmSparse, type RtTensor, type RuntimeModel } from '../src/index.js';
import { writeRuntimeGraph } from '../src/writer.js';
import { maxAbsDiff } from './helpers/compare.js';
import { randomLstmConfig, randomLstmData, type LstmConfig } from './helpers/lstm-case.js';
import { lstmSparseRuntimeModel, pruneLstmData } from './helpers/lstm-sparse-case.js';
import { Rng } from '@lstmc/testing';

/** An engine of `kind` holding CSR arrays in its pair layout at pairOff, with the row pointers after them. */
function engineWith(kind: 'wasm-simd' | 'js', pairOff: number, ptr: number[], col: number[], val: number[]) {
  const ptrOff = pairOff + 2 * col.length;
  const buf = new ArrayBuffer((ptrOff + ptr.length) * 4);
  encodeSparsePairs(buf, kind === 'js' ? 1 : 4, ptr, col, val, pairOff, ptrOff);
  const e = createMatvecEngine(new Float32Array(buf), kind);
  expect(e.sparseUnit).toBe(kind === 'js' ? 1 : 4);
  return Object.assign(e, { ptrOff });
}

describe('sparse matvec (spmv1/spmv2)', () => {
  for (const kind of ['wasm-simd', 'js'] as const) {
    it(`${kind}: matches a float64 reference over random CSR matrices, including empty rows`, () => {
      const rng = new Rng(kind === 'js' ? 11 : 12);
      for (let trial = 0; trial < 30; trial++) {
        const rows = rng.int(1, 40);
        const K = rng.int(1, 37);
        const dense = rng.f32(rows * K).map((v) => (rng.bool(0.7) ? 0 : v));
        const ptr: number[] = [0];
        const col: number[] = [];
        const val: number[] = [];
        for (let r = 0; r < rows; r++) {
          for (let k = 0; k < K; k++) if (dense[r * K + k] !== 0) (col.push(k), val.push(dense[r * K + k]!));
          ptr.push(col.length);
        }
        const e = engineWith(kind, 4, ptr, col, val);
        e.scratch(2 * K + 2 * rows + 8);
        const xs = [0, 1].map((i) => e.scratchOff + i * K);
        const os = [0, 1].map((i) => e.scratchOff + 2 * K + i * rows);
        const xData = xs.map(() => rng.f32(K));
        const oData = os.map(() => rng.f32(rows));
        xs.forEach((o, i) => e.mem.set(xData[i]!, o));
        os.forEach((o, i) => e.mem.set(oData[i]!, o));
        const two = trial % 2 === 0;
        if (two) e.spmv2(e.ptrOff, 4, xs[0]!, xs[1]!, os[0]!, os[1]!, rows);
        else e.spmv1(e.ptrOff, 4, xs[0]!, os[0]!, rows);
        for (let i = 0; i < (two ? 2 : 1); i++) {
          for (let r = 0; r < rows; r++) {
            let want = oData[i]![r]!;
            for (let k = 0; k < K; k++) want += dense[r * K + k]! * xData[i]![k]!;
            expect(Math.abs(e.mem[os[i]! + r]! - want), `trial ${trial} vec ${i} row ${r}`).toBeLessThan(1e-5);
          }
        }
      }
    });
  }
});

describe('transposed sparse-dense product (spmmT)', () => {
  for (const kind of ['wasm-simd', 'js'] as const) {
    it(`${kind}: outT = A xT over 16-column blocks matches a float64 reference`, () => {
      const rng = new Rng(kind === 'js' ? 21 : 22);
      for (let trial = 0; trial < 12; trial++) {
        const rows = rng.int(1, 30);
        const K = rng.int(1, 20);
        const blocks = rng.int(1, 3);
        const n = 16 * blocks;
        const dense = rng.f32(rows * K).map((v) => (rng.bool(0.6) ? 0 : v));
        const ptr: number[] = [0];
        const col: number[] = [];
        const val: number[] = [];
        for (let r = 0; r < rows; r++) {
          for (let k = 0; k < K; k++) if (dense[r * K + k] !== 0) (col.push(k), val.push(dense[r * K + k]!));
          ptr.push(col.length);
        }
        const e = engineWith(kind, 8, ptr, col, val);
        e.scratch((K + rows) * n + 8);
        const xT = e.scratchOff;
        const oT = xT + K * n;
        const x = rng.f32(K * n);
        e.mem.set(x, xT);
        e.mem.set(rng.f32(rows * n), oT); // overwritten, not accumulated
        e.spmmT(e.ptrOff, 8, xT, oT, rows, blocks);
        for (let r = 0; r < rows; r++) for (let i = 0; i < n; i++) {
          let want = 0;
          for (let k = 0; k < K; k++) want += dense[r * K + k]! * x[k * n + i]!;
          expect(Math.abs(e.mem[oT + r * n + i]! - want), `trial ${trial} row ${r} col ${i}`).toBeLessThan(1e-5);
        }
      }
    });
  }
});

/** A forward, both-sparse model without sequence_lens (streamable), with its data. */
function sparseCase(seed: number, patch: Partial<LstmConfig> = {}) {
  const rng = new Rng(seed);
  const cfg: LstmConfig = { ...randomLstmConfig(rng), direction: 'forward', layout: 0, outputs: [true, true, true], runtimePack: false, ...patch };
  delete cfg.seqLens;
  const data = randomLstmData(cfg, rng);
  pruneLstmData(cfg, data, rng);
  return { cfg, data, ...lstmSparseRuntimeModel(cfg, data, { sparseW: true, sparseR: true }) };
}

/** The model with constant value `name`'s data replaced by `f(copy of data)`. */
function corrupt(model: RuntimeModel, name: string, f: (d: Int32Array | Float32Array) => RtTensor['data']): RuntimeModel {
  return {
    ...model,
    values: model.values.map((v) => {
      if (v.name !== name || !v.data) return v;
      const data = f(v.data.data.slice() as Int32Array | Float32Array);
      return { ...v, shape: [data.length], data: { ...v.data, shape: [data.length], data } };
    }),
  };
}

describe('load-time validation of the sparse arrays', () => {
  const { model } = sparseCase(7, { H: 9, I: 6 });
  const bytes = (m: RuntimeModel) => writeRuntimeGraph(m);

  it('accepts the intact model', () => {
    expect(() => loadModel(bytes(model))).not.toThrow();
  });

  const cases: [string, string, (d: Int32Array | Float32Array) => RtTensor['data']][] = [
    ['a row pointer going backwards', 'sp.ptr', (d) => ((d[5] = d[4]! - 1), d)],
    ['a row pointer past nnz', 'sp.ptr', (d) => ((d[d.length - 1] = d[d.length - 1]! + 1000), d)],
    ['a negative first row pointer', 'sp.ptr', (d) => ((d[0] = -4), d)],
    ['a segment not starting where the previous ended', 'sp.ptr', (d) => ((d[4 * 9 + 1] = d[4 * 9]! - 1), d)],
    ['a column index past the matrix', 'sp.col', (d) => ((d[0] = 9), d)],
    ['a huge column index', 'sp.col', (d) => ((d[d.length - 1] = 2 ** 30), d)],
    ['a negative column index', 'sp.col', (d) => ((d[1] = -1), d)],
    ['values shorter than the column indices', 'sp.val', (d) => d.subarray(0, d.length - 1)],
    ['column indices shorter than the values', 'sp.col', (d) => d.subarray(0, d.length - 3)],
  ];
  for (const [what, name, f] of cases) {
    it(`rejects ${what} with E-RT-SPARSE`, () => {
      expect(() => loadModel(bytes(corrupt(model, name, f)))).toThrow(expect.objectContaining({ code: 'E-RT-SPARSE' }));
    });
  }

  it('rejects row pointers of the wrong length at the graph check (E-RT-GRAPH)', () => {
    expect(() => loadModel(bytes(corrupt(model, 'sp.ptr', (d) => d.subarray(1))))).toThrow(expect.objectContaining({ code: 'E-RT-GRAPH' }));
  });
});

describe('lstm.sparse.f32 with empty matrices', () => {
  it('all-zero W and R (no non-zeros at all) load from the file and give the bias-only LSTM', () => {
    const { cfg, data, model, feeds } = sparseCase(9, { H: 6, I: 5, T: 20, B: 1, peepholes: false, bias: true, activations: undefined, alpha: undefined, beta: undefined, clip: undefined, inputForget: false, initialH: false, initialC: false });
    const zero = lstmSparseRuntimeModel(cfg, { ...data, W: new Float32Array(data.W.length), R: new Float32Array(data.R.length) }, { sparseW: true, sparseR: true });
    expect(zero.model.values.find((v) => v.name === 'sp.val')!.shape).toEqual([0]);
    const got = loadModel(writeRuntimeGraph(zero.model)).run(feeds);
    // Every step sees only the bias: with zero initial state c_t follows c_t = f*c_{t-1} + i*g with constant gates.
    const H = cfg.H;
    const b = (g: number, j: number) => data.B![g * H + j]! + data.B![4 * H + g * H + j]!;
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    expect(got['Y_c']!.shape).toEqual([1, 1, H]);
    for (let j = 0; j < H; j++) {
      let c = 0;
      for (let t = 0; t < cfg.T; t++) c = sig(b(2, j)) * c + sig(b(0, j)) * Math.tanh(b(3, j));
      expect(Math.abs((got['Y_c']!.data as Float32Array)[j]! - c), `unit ${j}`).toBeLessThan(1e-5);
    }
    expect(maxAbsDiff(got['Y_c']!, loadModel(writeRuntimeGraph(model)).run(feeds)['Y_c']!)).toBeGreaterThan(0);
  });
});

describe('lstm.sparse.f32 streaming', () => {
  it('equals one whole-sequence run for random chunkings (to 1e-6)', () => {
    for (let trial = 0; trial < 6; trial++) {
      const { cfg, model, feeds } = sparseCase(100 + trial, { T: 17 });
      const m = loadModel(writeRuntimeGraph(model));
      const whole = m.run(feeds);
      const stream = m.createStream();
      const rng = new Rng(trial);
      const x = feeds['X']!;
      const { B, I } = cfg;
      const ys: Float32Array[] = [];
      let last: Record<string, RtTensor> = {};
      for (let t0 = 0; t0 < cfg.T; ) {
        const t1 = Math.min(cfg.T, t0 + rng.int(1, 6));
        const chunk: Record<string, RtTensor> = { ...feeds, X: { dtype: 'f32', shape: [t1 - t0, B, I], data: (x.data as Float32Array).slice(t0 * B * I, t1 * B * I) } };
        last = stream.push(chunk);
        ys.push(last['Y']!.data as Float32Array);
        t0 = t1;
      }
      const joined = new Float32Array(ys.reduce((n, y) => n + y.length, 0));
      ys.reduce((at, y) => (joined.set(y, at), at + y.length), 0);
      const flat = (t: Float32Array): RtTensor => ({ dtype: 'f32', shape: [t.length], data: t });
      expect(maxAbsDiff(flat(joined), flat(whole['Y']!.data as Float32Array))).toBeLessThanOrEqual(1e-6);
      expect(maxAbsDiff(last['Y_c']!, whole['Y_c']!)).toBeLessThanOrEqual(1e-6);
    }
  });
});

describe('packLstmSparse', () => {
  it('keeps exactly the non-zeros, in packed row order, with one segment per direction and matrix', () => {
    const rng = new Rng(3);
    const cfg = { ...randomLstmConfig(rng), direction: 'bidirectional' as const, H: 5, I: 3 };
    const d = randomLstmData(cfg, rng);
    pruneLstmData(cfg, d, rng);
    const sp = packLstmSparse({ W: d.W, R: d.R, B: d.B, P: d.P, numDirections: 2, hiddenSize: 5, inputSize: 3 }, { sparseW: true, sparseR: true });
    const nz = (a: Float32Array) => a.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);
    expect(sp.val.length).toBe(nz(d.W) + nz(d.R));
    expect(sp.ptr.length).toBe(2 * 2 * 21);
    // Row r = 4j + g of segment (d=1, R) is ONNX R[1][g*H + j].
    const seg = 3 * 21;
    for (let j = 0; j < 5; j++) for (let g = 0; g < 4; g++) {
      const row = new Float32Array(5);
      for (let p = sp.ptr[seg + 4 * j + g]!; p < sp.ptr[seg + 4 * j + g + 1]!; p++) row[sp.col[p]!] = sp.val[p]!;
      expect(Array.from(row)).toEqual(Array.from(d.R.subarray((20 + g * 5 + j) * 5, (20 + g * 5 + j + 1) * 5)));
    }
  });
});
