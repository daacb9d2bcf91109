import { describe, expect, it } from 'vitest';
import { encodeGroups, encodeWideGroups, groupEntries, placeWideGroups, wideEnd } from '../src/kernels/lstm/group-sparse.js';
import { rowGroupsPay } from '../src/kernels/lstm/lstm-sparse-f32.js';
import { createMatvecEngine, type MatvecEngine } from '../src/kernels/lstm/matvec-engine.js';
import { groupProduct, wideGroupProduct, type RowProduct } from '../src/kernels/lstm/row-products.js';
import { packLstmSparse } from '../src/index.js';
import { numDirections, randomLstmConfig, randomLstmData, widenLstmConfig } from './helpers/lstm-case.js';
import { runLstmDifferential } from './helpers/lstm-differential.js';
import { csrOf, pruneRowGroups } from './helpers/lstm-group-case.js';
import { lstmSparseRuntimeModel, pruneMatrix, randomSparseChoice } from './helpers/lstm-sparse-case.js';
import { Rng } from '@lstmc/testing';

/**
 * Runs product(e) on n random vectors (K floats, zero padded to a multiple of 4) into random packed
 * [j][g] rows and checks every output against a float64 product with `dense` ([4H rows][K], ONNX order).
 */
function checkProduct(e: MatvecEngine, product: (e: MatvecEngine) => RowProduct, dense: Float32Array, H: number, K: number, n: number, rng: Rng, tol: number, what: string): void {
  const Kp = Math.ceil(K / 4) * 4;
  e.scratch(n * (Kp + 4 * H) + 8);
  const xs = Int32Array.from({ length: n }, (_v, i) => e.scratchOff + i * Kp);
  const outs = Int32Array.from({ length: n }, (_v, i) => e.scratchOff + n * Kp + i * 4 * H);
  const xData = Array.from({ length: n }, () => rng.f32(K));
  const oData = Array.from({ length: n }, () => rng.f32(4 * H));
  for (let i = 0; i < n; i++) {
    e.mem.set(xData[i]!, xs[i]!);
    e.mem.fill(0, xs[i]! + K, xs[i]! + Kp);
    e.mem.set(oData[i]!, outs[i]!);
  }
  product(e)(n, xs, outs);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < H; j++)
      for (let ga = 0; ga < 4; ga++) {
        let want = oData[i]![4 * j + ga]!;
        for (let k = 0; k < K; k++) want += dense[(ga * H + j) * K + k]! * xData[i]![k]!;
        expect(Math.abs(e.mem[outs[i]! + 4 * j + ga]! - want), `${what} vec ${i} unit ${j} gate ${ga}`).toBeLessThan(tol);
      }
}

describe('row-group layout (group-sparse.ts)', () => {
  it('holds every non-zero once at its unit lane, with the union of the group columns', () => {
    const rng = new Rng(31);
    for (let trial = 0; trial < 40; trial++) {
      const H = rng.int(1, 23);
      const K = rng.int(1, 30);
      const dense = rng.f32(4 * H * K);
      pruneRowGroups(dense, 1, H, K, rng.uniform(0, 0.95), rng.uniform(0, 0.5), rng);
      const { ptr, col, val } = csrOf(dense, H, K);
      const g = encodeGroups(ptr, col, val, 0, H, K);
      expect(g.cols.length).toBe(groupEntries(ptr, col, 0, H, K));
      expect(g.gptr.length).toBe(4 * Math.ceil(H / 4) + 1);
      const back = new Float32Array(4 * H * K);
      for (let m = 0; 4 * m < H; m++)
        for (let ga = 0; ga < 4; ga++) {
          const gi = 4 * m + ga;
          for (let p = g.gptr[gi]!; p < g.gptr[gi + 1]!; p++) {
            if (p > g.gptr[gi]!) expect(g.cols[p]!).toBeGreaterThan(g.cols[p - 1]!);
            for (let l = 0; l < 4; l++) {
              const v = g.vals[4 * p + l]!;
              if (4 * m + l >= H) expect(v).toBe(0);
              else back[(ga * H + 4 * m + l) * K + g.cols[p]!] = v;
            }
          }
        }
      expect(back).toEqual(dense);
    }
  });

  it('is chosen for row-group structure and not for unstructured sparsity', () => {
    const rng = new Rng(32);
    const H = 40;
    const K = 64;
    const grouped = rng.f32(4 * H * K);
    pruneRowGroups(grouped, 1, H, K, 0.9, 0.1, rng);
    const a = csrOf(grouped, H, K);
    expect(rowGroupsPay(a.ptr, a.col, 0, H, K)).toBe(true);
    const loose = rng.f32(4 * H * K);
    pruneMatrix(loose, 4 * H, K, 0.9, rng);
    const b = csrOf(loose, H, K);
    expect(rowGroupsPay(b.ptr, b.col, 0, H, K)).toBe(false);
  });
});

describe('wide row-group layout (16 units of a gate share their columns)', () => {
  it('holds every non-zero once, the units past the last 16-unit block in a four-unit tail', () => {
    const rng = new Rng(33);
    for (let trial = 0; trial < 40; trial++) {
      const H = rng.int(16, 70);
      const K = rng.int(1, 40);
      const dense = rng.f32(4 * H * K);
      pruneRowGroups(dense, 1, H, K, rng.uniform(0.3, 0.95), 0, rng, 16);
      const { ptr, col, val } = csrOf(dense, H, K);
      const g = encodeWideGroups(ptr, col, val, 0, H, K);
      if (col.length === 0) {
        expect(g).toBeNull();
        continue;
      }
      expect(g, `trial ${trial}`).not.toBeNull();
      const blocks = Math.floor(H / 16);
      expect(g!.blocks).toBe(blocks);
      expect(g!.gptr.length).toBe(4 * blocks + 1);
      expect(g!.tail === null).toBe(H % 16 === 0);
      const back = new Float32Array(4 * H * K);
      for (let gi = 0; gi < 4 * blocks; gi++) {
        const [b, ga] = [gi >> 2, gi & 3];
        for (let p = g!.gptr[gi]!; p < g!.gptr[gi + 1]!; p++) {
          if (p > g!.gptr[gi]!) expect(g!.cols[p]!).toBeGreaterThan(g!.cols[p - 1]!);
          for (let u = 0; u < 16; u++) back[(ga * H + 16 * b + u) * K + g!.cols[p]!] = g!.vals[16 * p + u]!;
        }
      }
      const t = g!.tail;
      if (t) {
        for (let gi = 0; gi + 1 < t.gptr.length; gi++) {
          const [m, ga] = [gi >> 2, gi & 3];
          for (let p = t.gptr[gi]!; p < t.gptr[gi + 1]!; p++)
            for (let l = 0; l < 4; l++) {
              const j = 16 * blocks + 4 * m + l;
              if (j < H) back[(ga * H + j) * K + t.cols[p]!] = t.vals[4 * p + l]!;
              else expect(t.vals[4 * p + l]!).toBe(0);
            }
        }
      }
      expect(back).toEqual(dense);
    }
  });

  it('is taken for 16-unit structure, not for four-unit structure or H < 16', () => {
    const rng = new Rng(34);
    const [H, K] = [48, 64];
    const wide = rng.f32(4 * H * K);
    pruneRowGroups(wide, 1, H, K, 0.9, 0.05, rng, 16);
    const a = csrOf(wide, H, K);
    expect(encodeWideGroups(a.ptr, a.col, a.val, 0, H, K)).not.toBeNull();
    const quads = rng.f32(4 * H * K);
    pruneRowGroups(quads, 1, H, K, 0.9, 0, rng, 4);
    const b = csrOf(quads, H, K);
    expect(rowGroupsPay(b.ptr, b.col, 0, H, K)).toBe(true);
    expect(encodeWideGroups(b.ptr, b.col, b.val, 0, H, K)).toBeNull();
    const small = rng.f32(4 * 12 * K);
    pruneRowGroups(small, 1, 12, K, 0.9, 0, rng, 16);
    const c = csrOf(small, 12, K);
    expect(encodeWideGroups(c.ptr, c.col, c.val, 0, 12, K)).toBeNull();
  });

  for (const kind of ['wasm-simd', 'js'] as const) {
    it(`${kind}: gsw1/gsw2 (with the tail on gsp) match a float64 reference for 1..11 vectors and unit blocks`, () => {
      const rng = new Rng(kind === 'js' ? 43 : 44);
      for (let trial = 0; trial < 24; trial++) {
        // Some trials large enough that wideGroupProduct cuts blocks (more than 256 KiB of entries).
        const big = trial % 6 === 5;
        const H = big ? 16 * rng.int(12, 16) + rng.int(0, 15) : rng.int(16, 70);
        const K = big ? rng.int(500, 700) : rng.int(1, 41);
        const n = rng.int(1, 11);
        const dense = rng.f32(4 * H * K);
        pruneRowGroups(dense, 1, H, K, big ? 0.5 : rng.uniform(0, 0.9), 0, rng, 16);
        const { ptr, col, val } = csrOf(dense, H, K);
        const g = encodeWideGroups(ptr, col, val, 0, H, K);
        if (!g) continue;
        const unit = kind === 'js' ? 1 : 4;
        const at = 4;
        const w = new Float32Array(wideEnd(g, at));
        const place = placeWideGroups(w, new Int32Array(w.buffer), g, at, unit);
        checkProduct(createMatvecEngine(w, kind), (e) => wideGroupProduct(e, place, H), dense, H, K, n, rng, big ? 1e-3 : 1e-4, `trial ${trial}`);
      }
    });
  }
});

describe('structured-sparse products (gsp1/gsp2/gsp4)', () => {
  for (const kind of ['wasm-simd', 'js'] as const) {
    it(`${kind}: match a float64 reference for 1..11 vectors, odd H and K, partial groups, unit blocks`, () => {
      const rng = new Rng(kind === 'js' ? 41 : 42);
      for (let trial = 0; trial < 30; trial++) {
        // Some trials large enough that groupProduct cuts unit blocks (more than 64 KiB of entries).
        const big = trial % 6 === 5;
        const H = big ? rng.int(120, 200) : rng.int(1, 37);
        const K = big ? rng.int(200, 300) : rng.int(1, 41);
        const n = rng.int(1, 11);
        const dense = rng.f32(4 * H * K);
        pruneRowGroups(dense, 1, H, K, rng.uniform(0, 0.9), rng.uniform(0, 0.4), rng);
        const { ptr, col, val } = csrOf(dense, H, K);
        const g = encodeGroups(ptr, col, val, 0, H, K);
        const unit = kind === 'js' ? 1 : 4;
        const gptrOff = 3;
        const colsOff = gptrOff + g.gptr.length;
        const valsOff = Math.ceil((colsOff + g.cols.length) / 4) * 4;
        const w = new Float32Array(valsOff + g.vals.length);
        new Int32Array(w.buffer).set(g.gptr, gptrOff);
        new Int32Array(w.buffer).set(g.cols.map((k) => k * unit), colsOff);
        w.set(g.vals, valsOff);
        checkProduct(createMatvecEngine(w, kind), (e) => groupProduct(e, { gptrOff, colsOff, valsOff, gptr: g.gptr }, H), dense, H, K, n, rng, 1e-4, `trial ${trial}`);
      }
    });
  }
});

const CASES = 60;
const TOL = 1e-5;

describe('lstm.sparse.f32 on row-group structured weights against onnxruntime-node', () => {
  it(`matches ${CASES} random configurations (batch up to 40) within ${TOL}, on the group kernels`, async () => {
    let grouped = 0;
    const { failures, degenerate } = await runLstmDifferential(CASES, 0x96a0, TOL, (rng) => {
      const cfg = widenLstmConfig(randomLstmConfig(rng), rng);
      const data = randomLstmData(cfg, rng);
      const D = numDirections(cfg);
      pruneRowGroups(data.W, D, cfg.H, cfg.I, rng.uniform(0.5, 0.97), rng.uniform(0, 0.2), rng);
      pruneRowGroups(data.R, D, cfg.H, cfg.H, rng.uniform(0.5, 0.97), rng.uniform(0, 0.2), rng);
      const choice = randomSparseChoice(rng);
      const sp = packLstmSparse({ W: data.W, R: data.R, B: data.B, P: data.P, numDirections: D, hiddenSize: cfg.H, inputSize: cfg.I }, choice);
      const S = (choice.sparseW ? 1 : 0) + (choice.sparseR ? 1 : 0);
      for (let s = 0; s < D * S; s++) if (rowGroupsPay(sp.ptr, sp.col, s * (4 * cfg.H + 1), cfg.H, choice.sparseW && s % S === 0 ? cfg.I : cfg.H)) grouped++;
      return { cfg, data, extra: choice, build: () => lstmSparseRuntimeModel(cfg, data, choice) };
    });
    expect(failures).toEqual([]);
    expect(degenerate, 'too many blown-up configurations skipped').toBeLessThan(CASES / 10);
    // Most matrices must really run on the group kernels (not those with H < 4 or no non-zeros left).
    expect(grouped).toBeGreaterThan(CASES / 2);
  });

  it(`matches ${CASES} random configurations within ${TOL} on 16-unit groups (gsw, H >= 16)`, async () => {
    let wide = 0;
    const { failures, degenerate } = await runLstmDifferential(CASES, 0x96a1, TOL, (rng) => {
      const base = widenLstmConfig(randomLstmConfig(rng), rng);
      const cfg = { ...base, H: Math.max(base.H, 16 + rng.int(0, 40)) };
      const data = randomLstmData(cfg, rng);
      const D = numDirections(cfg);
      pruneRowGroups(data.W, D, cfg.H, cfg.I, rng.uniform(0.5, 0.97), 0, rng, 16);
      pruneRowGroups(data.R, D, cfg.H, cfg.H, rng.uniform(0.5, 0.97), 0, rng, 16);
      const choice = randomSparseChoice(rng);
      const sp = packLstmSparse({ W: data.W, R: data.R, B: data.B, P: data.P, numDirections: D, hiddenSize: cfg.H, inputSize: cfg.I }, choice);
      const S = (choice.sparseW ? 1 : 0) + (choice.sparseR ? 1 : 0);
      for (let s = 0; s < D * S; s++) {
        const K = choice.sparseW && s % S === 0 ? cfg.I : cfg.H;
        const base0 = s * (4 * cfg.H + 1);
        if (rowGroupsPay(sp.ptr, sp.col, base0, cfg.H, K) && encodeWideGroups(sp.ptr, sp.col, sp.val, base0, cfg.H, K)) wide++;
      }
      return { cfg, data, extra: choice, build: () => lstmSparseRuntimeModel(cfg, data, choice) };
    });
    expect(failures).toEqual([]);
    expect(degenerate, 'too many blown-up configurations skipped').toBeLessThan(CASES / 10);
    expect(wide).toBeGreaterThan(CASES / 2);
  });
});
