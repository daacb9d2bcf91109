import { describe, expect, it } from 'vitest';
import { rowToPe, rowsOfPes } from '@lstmc/target';
import { builtinRegistry, lstmParams, nnzPerPe, parsePipeline, pruneBalanced, pruneBalancedEntries, pruneBalancedGroups, pruneBlocks, pruneMagnitude, pruneRows, readMatrix, runPipeline } from '../src/index.js';
import { lstmGraph, randomTensor } from './helpers/graphs.js';

const zeros = (a: ArrayLike<number>) => Array.from(a).filter((v) => v === 0).length;

describe('pruning methods', () => {
  it('magnitude pruning hits the requested sparsity exactly and removes the smallest weights', () => {
    for (const [n, s] of [[1000, 0.9], [777, 0.33], [64, 0.5], [10, 0.04], [5000, 0.999]] as const) {
      const a = randomTensor([n], n).data as Float32Array;
      const p = pruneMagnitude(a, s);
      expect(Math.abs(zeros(p) - s * n)).toBeLessThanOrEqual(0.5);
      const kept = Array.from(p).filter((v) => v !== 0).map(Math.abs);
      const dropped = Array.from(a).filter((_, i) => p[i] === 0).map(Math.abs);
      if (kept.length && dropped.length) expect(Math.min(...kept)).toBeGreaterThanOrEqual(Math.max(...dropped));
      p.forEach((v, i) => v !== 0 && expect(v).toBe(a[i]));
    }
  });

  it('magnitude pruning with ties still zeroes exactly round(s*n)', () => {
    const a = new Float32Array(100).fill(1);
    expect(zeros(pruneMagnitude(a, 0.37))).toBe(37);
  });

  it('row pruning zeroes whole rows with the smallest norms', () => {
    const a = randomTensor([40, 7], 3).data as Float32Array;
    for (let c = 0; c < 7; c++) a[5 * 7 + c] = 1e-4;
    const p = pruneRows(a, 40, 7, 0.25);
    const zeroRows = [...Array(40).keys()].filter((r) => p.slice(r * 7, r * 7 + 7).every((v) => v === 0));
    expect(zeroRows).toHaveLength(10);
    expect(zeroRows).toContain(5);
    expect(zeros(p)).toBe(70);
  });

  it('block pruning zeroes whole blocks to at least the requested sparsity', () => {
    const a = randomTensor([16, 12], 4).data as Float32Array;
    const p = pruneBlocks(a, 16, 12, 0.5, 4, 4);
    expect(zeros(p)).toBe(96);
    for (let br = 0; br < 4; br++)
      for (let bc = 0; bc < 3; bc++) {
        const vals = [];
        for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) vals.push(p[(br * 4 + r) * 12 + bc * 4 + c]);
        const z = zeros(vals);
        expect(z === 0 || z === 16).toBe(true);
      }
  });

  it('balanced pruning: every PE keeps the same number of non-zeros (several shapes and PE counts)', () => {
    for (const [rows, cols, pes, s] of [
      [64, 32, 32, 0.9],
      [128, 48, 8, 0.75],
      [96, 17, 5, 0.5],
      [256, 64, 32, 0.95],
      [40, 20, 7, 0.8],
      [8, 30, 32, 0.6],
    ] as const) {
      const a = randomTensor([rows, cols], rows + cols + pes).data as Float32Array;
      const p = pruneBalanced(a, rows, cols, s, pes);
      const per = nnzPerPe(p, rows, cols, pes).slice(0, Math.min(pes, rows));
      const mean = per.reduce((x, y) => x + y, 0) / per.length;
      const rowsPerPe = rowsOfPes(rowToPe(rows, pes)).map((r) => r.length).filter((n) => n > 0);
      // Every PE's share is large enough here, so counts are exactly equal.
      expect(Math.min(...rowsPerPe) * cols).toBeGreaterThan(per[0]);
      expect(Math.max(...per) / mean).toBe(1);
      expect(Math.abs(zeros(p) / (rows * cols) - s)).toBeLessThan(pes / (rows * cols));
    }
  });
});

describe('balanced pruning in row groups', () => {
  it('every row keeps the same count, 4 units of one gate share their columns, every PE the same non-zeros', () => {
    for (const [hidden, cols, s] of [[16, 24, 0.9], [10, 7, 0.5], [32, 64, 0.95]] as const) {
      const rows = 4 * hidden;
      const a = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1 || 0.5);
      const p = pruneBalancedGroups(a, rows, cols, s, hidden, 4);
      const keep = Math.round((1 - s) * cols);
      const colsOf = (r: number) => Array.from({ length: cols }, (_, c) => c).filter((c) => p[r * cols + c] !== 0);
      for (let r = 0; r < rows; r++) {
        expect(colsOf(r), `row ${r}`).toHaveLength(keep);
        for (const c of colsOf(r)) expect(p[r * cols + c]).toBe(a[r * cols + c]);
      }
      // Groups: rows gate*H + 4m .. 4m+3 (fewer at a gate's end) keep one column set, the largest by sum of squares.
      for (let g0 = 0; g0 < rows; g0 += hidden)
        for (let u = 0; u < hidden; u += 4) {
          const group = Array.from({ length: Math.min(4, hidden - u) }, (_, l) => g0 + u + l);
          for (const r of group) expect(colsOf(r)).toEqual(colsOf(group[0]!));
          const score = (c: number) => group.reduce((x, r) => x + a[r * cols + c]! ** 2, 0);
          const kept = new Set(colsOf(group[0]!));
          const minKept = Math.min(...[...kept].map(score));
          for (let c = 0; c < cols; c++) if (!kept.has(c)) expect(score(c)).toBeLessThanOrEqual(minKept);
        }
      // 4H rows over 16 PEs (4H divisible by 16 here for H=16, 32): equal non-zeros per PE.
      if (rows % 16 === 0) expect(new Set(nnzPerPe(p, rows, cols, 16)).size).toBe(1);
    }
  });

  it('group applies to balanced pruning by non-zeros only', async () => {
    const g = lstmGraph({ input: 8, hidden: 8 });
    for (const pipe of ['prune{method=magnitude,group=4}', 'prune{method=balanced,balance=entries,group=4}', 'prune{method=balanced,max-gap=auto,group=4}'])
      await expect(runPipeline(g, parsePipeline(pipe, builtinRegistry())), pipe).rejects.toThrow(/E-PRUNE-OPTION.*group applies to method=balanced/);
  });
});

describe('prune pass', () => {
  it('prunes W and R to different sparsities and reports per matrix and gate', async () => {
    const g = lstmGraph({ input: 12, hidden: 8, dirs: 2 });
    const reg = builtinRegistry();
    const run = await runPipeline(g, parsePipeline('prune{w-sparsity=0.8,r-sparsity=0.5}', reg));
    const p = lstmParams(run.graph, run.graph.nodes[0])!;
    for (const d of [0, 1]) {
      expect(zeros(readMatrix(p, 'W', d))).toBe(Math.round(0.8 * 32 * 12));
      expect(zeros(readMatrix(p, 'R', d))).toBe(Math.round(0.5 * 32 * 8));
    }
    const r = run.results[0];
    expect(r.changed).toBe(true);
    expect(r.counters['matrices-pruned']).toBe(4);
    expect(r.counters['weights-zeroed']).toBe(2 * Math.round(0.8 * 384) + 2 * Math.round(0.5 * 256));
    expect(r.reports[0].rows.map((row) => row[0])).toEqual(['lstm0.W[fwd]', 'lstm0.W[rev]', 'lstm0.R[fwd]', 'lstm0.R[rev]']);
    // The bias and the graph structure are untouched; unchanged nodes keep identity.
    expect(run.graph.initializers.get('B0')).toBe(g.initializers.get('B0'));
    expect(run.graph.nodes[0]).toBe(g.nodes[0]);
  });

  it('global magnitude pruning pools all W matrices of all layers', async () => {
    const g = lstmGraph({ input: 10, hidden: 6, layers: 2 });
    const run = await runPipeline(g, parsePipeline('prune{scope=global,sparsity=0.7}', builtinRegistry()));
    let z = 0;
    let n = 0;
    for (const node of run.graph.nodes.filter((x) => x.op === 'LSTM')) {
      const a = readMatrix(lstmParams(run.graph, node)!, 'W', 0);
      z += zeros(a);
      n += a.length;
    }
    expect(z).toBe(Math.round(0.7 * n));
  });

  it('sparsity 0 changes nothing and returns the same graph object', async () => {
    const g = lstmGraph({ input: 4, hidden: 3 });
    const run = await runPipeline(g, parsePipeline('prune{sparsity=0}', builtinRegistry()));
    expect(run.results[0].changed).toBe(false);
    expect(run.graph.initializers).toStrictEqual(g.initializers);
  });
});

describe('balanced pruning by encoded entries', () => {
  it('every PE holds the same number of csc-rel entries (non-zeros + padding)', async () => {
    const { countRelCsc } = await import('@lstmc/target');

    for (const [rows, cols, pes, s, bits] of [
      [256, 48, 32, 0.9, 2],
      [128, 40, 8, 0.95, 2],
      [96, 17, 5, 0.7, 3],
      [2048, 256, 32, 0.9, 4],
    ] as const) {
      const a = randomTensor([rows, cols], rows * 7 + pes).data as Float32Array;
      const p = pruneBalancedEntries(a, rows, cols, s, pes, bits);
      const counts = countRelCsc(p, rows, cols, rowToPe(rows, pes), bits);
      const imbalance = (e: number[]) => Math.max(...e) / (e.reduce((x, y) => x + y, 0) / e.length);
      const entries = Array.from(counts.entriesPerPe);
      // Adding a weight after a column's last one can add more than one entry, so equality is up to a few entries.
      expect(imbalance(entries), `${rows}x${cols} on ${pes}`).toBeLessThanOrEqual(1.02);
      const nnzBalanced = Array.from(countRelCsc(pruneBalanced(a, rows, cols, s, pes), rows, cols, rowToPe(rows, pes), bits).entriesPerPe);
      expect(imbalance(entries)).toBeLessThan(imbalance(nnzBalanced));
      expect(Array.from(counts.paddingPerPe).some((x) => x > 0)).toBe(true);
      // The sparsity stays close to the request (padding entries displace some non-zeros).
      expect(Math.abs(zeros(p) / (rows * cols) - s)).toBeLessThan(0.02);
      // Kept weights are the largest of their PE: nothing dropped is bigger than something kept on the same PE.
      for (const peRows of rowsOfPes(rowToPe(rows, pes))) {
        const kept: number[] = [];
        const dropped: number[] = [];
        for (const r of peRows) for (let c = 0; c < cols; c++) (p[r * cols + c] !== 0 ? kept : dropped).push(Math.abs(a[r * cols + c]));
        if (kept.length && dropped.length) expect(Math.min(...kept)).toBeGreaterThanOrEqual(Math.max(...dropped));
      }
    }
  });
});
