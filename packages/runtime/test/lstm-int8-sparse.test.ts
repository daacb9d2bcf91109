import { describe, expect, it } from 'vitest';
import { encodeGroups, encodeWideGroups } from '../src/kernels/lstm/group-sparse.js';
import { int8SparseProduct, quantizeGroups, quantizeRows, quantizeWideGroups, type Int8Sparse } from '../src/kernels/lstm/int8-sparse.js';
import { rowGroupsPay } from '../src/kernels/lstm/lstm-sparse-f32.js';
import { createMatvecEngine } from '../src/kernels/lstm/matvec-engine.js';
import { createModel, packLstmSparse, type RuntimeModel } from '../src/index.js';
import { allFiniteAndBelow, maxAbsDiff } from './helpers/compare.js';
import { lstmOnnxFeeds, lstmOnnxModel, numDirections, randomLstmConfig, randomLstmData, toLayout, widenLstmConfig } from './helpers/lstm-case.js';
import { csrOf, pruneRowGroups } from './helpers/lstm-group-case.js';
import { lstmSparseRuntimeModel, pruneMatrix, randomSparseChoice } from './helpers/lstm-sparse-case.js';
import { ortSession, runOrt } from './helpers/ort.js';
import { Rng } from '@lstmc/testing';

describe('int8 sparse products (gsq1, spq1, gswq1, gswq2)', () => {
  for (const kind of ['wasm-simd', 'js'] as const)
    for (const layout of ['groups', 'rows', 'wide'] as const) {
      it(`${kind} ${layout}: per-row int8 weights times the int16 vector, summed exactly, within the two roundings of f32`, () => {
        const rng = new Rng((kind === 'js' ? 71 : 72) + (layout === 'rows' ? 10 : layout === 'wide' ? 20 : 0));
        let cut = 0;
        let tested = 0;
        for (let trial = 0; trial < 30; trial++) {
          // Odd sizes: H not a multiple of 4 (partial last quad), K not a multiple of 2, 4 or 8; odd entry counts per group.
          // Wide: H from 16 with a four-unit tail of 0-15 units, and some trials whose records pass
          // 256 KiB, so the product cuts cache blocks between its vector pairs.
          const big = layout === 'wide' && trial % 6 === 5;
          const H = layout === 'wide' ? (big ? 16 * rng.int(24, 40) + rng.int(0, 3) : rng.int(16, 70)) : rng.int(1, 29);
          const K = big ? rng.int(250, 300) : rng.int(1, 45);
          const n = big ? rng.int(3, 5) : rng.int(1, 6);
          const dense = rng.f32(4 * H * K);
          if (layout === 'groups') pruneRowGroups(dense, 1, H, K, rng.uniform(0, 0.95), rng.uniform(0, 0.3), rng);
          else if (layout === 'wide') pruneRowGroups(dense, 1, H, K, big ? 0.2 : rng.uniform(0, 0.95), rng.uniform(0, 0.05), rng, 16);
          else pruneMatrix(dense, 4 * H, K, rng.uniform(0, 0.97), rng);
          const { ptr, col, val } = csrOf(dense, H, K);
          const e = createMatvecEngine(new Float32Array(4), kind);
          const wide = layout === 'wide' ? encodeWideGroups(ptr, col, val, 0, H, K) : null;
          if (layout === 'wide' && !wide) continue; // every 16-unit block pruned away (small K, high sparsity): no wide layout
          tested++;
          const q: Int8Sparse = wide ? quantizeWideGroups(e, wide, K) : layout === 'groups' ? quantizeGroups(e, encodeGroups(ptr, col, val, 0, H, K), H, K) : quantizeRows(e, ptr, col, val, 0, H, K);
          expect(q.kind).toBe(layout);
          if (wide) expect(q.wide!.tail !== null).toBe(H % 16 !== 0);
          if (big && 40 * q.wide!.gptr[q.wide!.gptr.length - 1]! > 256 * 1024) cut++;
          const Kp = Math.ceil(K / 4) * 4;
          e.scratch(n * (Kp + 4 * H));
          const xs = Int32Array.from({ length: n }, (_v, i) => e.scratchOff + i * Kp);
          const outs = Int32Array.from({ length: n }, (_v, i) => e.scratchOff + n * Kp + i * 4 * H);
          const xData = Array.from({ length: n }, (_v, i) => (i === 1 ? new Float32Array(K) : rng.f32(K))); // vector 1 all zero
          const oData = Array.from({ length: n }, () => rng.f32(4 * H));
          for (let i = 0; i < n; i++) {
            e.mem.set(xData[i]!, xs[i]!);
            e.mem.set(oData[i]!, outs[i]!);
          }
          int8SparseProduct(e, q, H)(n, xs, outs);
          for (let i = 0; i < n; i++) {
            const xmax = Math.max(...xData[i]!.map(Math.abs));
            for (let j = 0; j < H; j++)
              for (let g = 0; g < 4; g++) {
                let want = oData[i]![4 * j + g]!;
                let wmax = 0;
                let xsum = 0;
                let abs = 0;
                for (let k = 0; k < K; k++) {
                  const w = dense[(g * H + j) * K + k]!;
                  want += w * xData[i]![k]!;
                  if (w !== 0) xsum += Math.abs(xData[i]![k]!);
                  abs += Math.abs(w * xData[i]![k]!);
                  wmax = Math.max(wmax, Math.abs(w));
                }
                // The two roundings: |dw| <= s/2 = wmax/254 per weight (one scale per row, also per group lane),
                // |dx| <= sx/2 = xmax/(2*q.xmax) per input; the int32 sum itself is exact.
                const bound = (wmax / 254) * xsum + (wmax + wmax / 254) * K * (xmax / (2 * q.xmax)) + 1e-5 * (1 + Math.abs(want) + abs);
                const got = e.mem[outs[i]! + 4 * j + g]!;
                expect(Math.abs(got - want), `trial ${trial} vec ${i} unit ${j} gate ${g}`).toBeLessThanOrEqual(bound);
                if (i === 1) expect(got).toBe(oData[i]![4 * j + g]!);
              }
          }
        }
        expect(tested).toBeGreaterThan(20);
        if (layout === 'wide') expect(cut).toBeGreaterThan(0);
      });
    }
});

describe('lstm.sparse.f32 with int8 weights against onnxruntime-node and the f32 kernel', () => {
  it('stays within 0.01 of onnxruntime on 40 random pruned configurations (four- and 16-unit row groups and CSR, odd sizes), and reports the error vs f32', async () => {
    const rng = new Rng(0x18a5);
    let compared = 0;
    let worstOrt = 0;
    let worstF32 = 0;
    let changed = 0;
    const kinds = { groups: 0, rows: 0, wide: 0 };
    while (compared < 40) {
      const structured = compared % 2 === 0;
      // every fourth: 16-unit row groups (gswq) with a four-unit tail
      const width = compared % 4 === 2 ? 16 : 4;
      const widened = widenLstmConfig(randomLstmConfig(rng), rng);
      const cfg = width === 16 ? { ...widened, H: 16 * rng.int(1, 4) + rng.int(0, 15) } : widened;
      delete cfg.activations; // bounded activations: the error of unbounded ones grows with the sequence
      const data = randomLstmData(cfg, rng);
      const D = numDirections(cfg);
      for (const [m, K] of [[data.W, cfg.I], [data.R, cfg.H]] as const) {
        if (structured) pruneRowGroups(m, D, cfg.H, K, rng.uniform(0.5, 0.97), width === 16 ? 0 : rng.uniform(0, 0.2), rng, width);
        else pruneMatrix(m, D * 4 * cfg.H, K, rng.uniform(0.5, 0.97), rng);
      }
      const want = await runOrt(await ortSession(lstmOnnxModel(cfg, data)), lstmOnnxFeeds(cfg, data));
      if (!Object.values(want).every((t) => allFiniteAndBelow(t, 1e4))) continue;
      compared++;
      const choice = randomSparseChoice(rng);
      const sp = packLstmSparse({ W: data.W, R: data.R, B: data.B, P: data.P, numDirections: D, hiddenSize: cfg.H, inputSize: cfg.I }, choice);
      const S = (choice.sparseW ? 1 : 0) + (choice.sparseR ? 1 : 0);
      for (let s = 0; s < D * S; s++) {
        const K = choice.sparseW && s % S === 0 ? cfg.I : cfg.H;
        const groups = rowGroupsPay(sp.ptr, sp.col, s * (4 * cfg.H + 1), cfg.H, K);
        kinds[!groups ? 'rows' : encodeWideGroups(sp.ptr, sp.col, sp.val, s * (4 * cfg.H + 1), cfg.H, K) ? 'wide' : 'groups']++;
      }
      const { model, feeds } = lstmSparseRuntimeModel(cfg, data, choice);
      const matvec = compared % 3 === 0 ? ('js' as const) : ('auto' as const);
      // int8_w / int8_r on the node: every matrix int8, compressed rows too (the load option leaves those f32)
      const q = createModel(withInt8(model, 1, 1), { matvec }).run(feeds);
      const f = createModel(model, { matvec }).run(feeds);
      for (const name of Object.keys(want)) {
        worstOrt = Math.max(worstOrt, maxAbsDiff(q[name]!, toLayout(cfg, name, want[name]!)));
        const d = maxAbsDiff(q[name]!, f[name]!);
        worstF32 = Math.max(worstF32, d);
        if (d > 0) changed++;
      }
    }
    console.log(`int8 sparse LSTM: max abs error vs f32 kernel ${worstF32.toExponential(2)}, vs onnxruntime ${worstOrt.toExponential(2)} (${kinds.groups} row-group, ${kinds.wide} 16-unit row-group, ${kinds.rows} CSR matrices)`);
    expect(worstOrt).toBeLessThan(0.01);
    expect(changed).toBeGreaterThan(20);
    expect(kinds.groups).toBeGreaterThan(10);
    expect(kinds.rows).toBeGreaterThan(10);
    expect(kinds.wide).toBeGreaterThan(5);
  });

  it('int8_w / int8_r quantize only the chosen matrix', () => {
    const rng = new Rng(0x18a6);
    const cfg = { ...randomLstmConfig(rng), H: 13, I: 7, direction: 'forward' as const };
    delete cfg.activations;
    const data = randomLstmData(cfg, rng);
    pruneMatrix(data.W, 4 * cfg.H, cfg.I, 0.8, rng);
    pruneMatrix(data.R, 4 * cfg.H, cfg.H, 0.8, rng);
    const { model, feeds } = lstmSparseRuntimeModel(cfg, data, { sparseW: true, sparseR: false });
    const run = (w: number, r: number) => Object.values(createModel(withInt8(model, w, r)).run(feeds))[0]!;
    const [f, w, r, both] = [run(0, 0), run(1, 0), run(0, 1), run(1, 1)];
    expect(maxAbsDiff(w, f)).toBeGreaterThan(0);
    expect(maxAbsDiff(r, f)).toBeGreaterThan(0);
    expect(maxAbsDiff(w, r)).toBeGreaterThan(0);
    // the load option quantizes the dense R but leaves W's compressed rows f32: as int8_r alone
    const all = Object.values(createModel(model, { lstmWeights: 'int8' }).run(feeds))[0]!;
    const packed = packLstmSparse({ W: data.W, R: data.R, B: data.B, P: data.P, numDirections: 1, hiddenSize: cfg.H, inputSize: cfg.I }, { sparseW: true, sparseR: false });
    expect(rowGroupsPay(packed.ptr, packed.col, 0, cfg.H, cfg.I)).toBe(false);
    expect(maxAbsDiff(r, all)).toBe(0);
    expect(maxAbsDiff(both, all)).toBeGreaterThan(0);
  });

  it('the load option lstmWeights int8 quantizes row groups and leaves compressed rows f32', () => {
    const rng = new Rng(0x18a7);
    // several steps, so R (multiplying h_{t-1}) matters
    const cfg = { ...randomLstmConfig(rng), H: 24, I: 16, T: 6, direction: 'forward' as const };
    delete cfg.activations;
    delete cfg.seqLens;
    const data = randomLstmData(cfg, rng);
    pruneRowGroups(data.W, 1, cfg.H, cfg.I, 0.85, 0.1, rng);
    pruneMatrix(data.R, 4 * cfg.H, cfg.H, 0.85, rng);
    const { model, feeds } = lstmSparseRuntimeModel(cfg, data, { sparseW: true, sparseR: true });
    const p = packLstmSparse({ W: data.W, R: data.R, B: data.B, P: data.P, numDirections: 1, hiddenSize: cfg.H, inputSize: cfg.I }, { sparseW: true, sparseR: true });
    expect(rowGroupsPay(p.ptr, p.col, 0, cfg.H, cfg.I)).toBe(true);
    expect(rowGroupsPay(p.ptr, p.col, 4 * cfg.H + 1, cfg.H, cfg.H)).toBe(false);
    const out = (m: typeof model, load = {}) => Object.values(createModel(m, load).run(feeds))[0]!;
    expect(maxAbsDiff(out(model, { lstmWeights: 'int8' }), out(withInt8(model, 1, 0)))).toBe(0);
    expect(maxAbsDiff(out(model, { lstmWeights: 'int8' }), out(withInt8(model, 1, 1)))).toBeGreaterThan(0);
  });
});

/** The model with int8_w / int8_r set on its lstm.sparse.f32 nodes. */
function withInt8(model: RuntimeModel, w: number, r: number): RuntimeModel {
  const nodes = model.nodes.map((n) => (n.kernel === 'lstm.sparse.f32' ? { ...n, attrs: { ...n.attrs, int8_w: { type: 'int' as const, value: w }, int8_r: { type: 'int' as const, value: r } } } : n));
  return { ...model, nodes };
}
