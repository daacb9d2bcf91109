import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTensor } from '@lstmc/ir';
import { compileAccelBinary, readLxb, simReport, simulateProgram } from '@lstmc/backend-accel';
import { defaultTarget, layerBreakEvenSparsity } from '@lstmc/target';
import { collectDecisions, collectFromModel, collectQuantization, collectSim, graphOfProgram, matrixData, matricesOfGraph, matricesOfProgram, measureCpu, packMask, whatIfCurve } from '../src/report/index.js';
import { readSimInputs } from '../src/sim-inputs.js';
import { loadModelLenient } from '../src/load-model.js';
import { inspectGraph } from '../src/inspect-report.js';
import { REPO, cli } from './helpers.js';
import { KNOWN, knownLstmGraph, knownNonZero, maskBits } from './report-fixtures.js';
import { runPasses } from './run-fixed-support.js';

const t = defaultTarget;
const SPARSE = join(REPO, 'examples/kws-lstm-sparse');

/** Non-zeros of each PE for a pattern, rows mapped by `peOf`. */
function nnzPerPe(rows: number, cols: number, nz: (r: number, c: number) => boolean, peOf: (r: number) => number, pes: number): number[] {
  const out = new Array<number>(pes).fill(0);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (nz(r, c)) out[peOf(r)]++;
  return out;
}

describe('report data: masks and per-PE counts', () => {
  it('packs a zero pattern row-major, least significant bit first', () => {
    // 2 x 5: non-zeros at (0,0), (0,3), (1,2) -> bits 0, 3, 7
    expect([...packMask(2, 5, (r, c) => (r === 0 && (c === 0 || c === 3)) || (r === 1 && c === 2))]).toEqual([0b10001001, 0]);
  });

  it('counts non-zeros per gate and per PE of a known 8 x 3 matrix', () => {
    // Row r has r % 4 non-zeros (columns 0..r%4-1); gates are row pairs; 2 PEs take rows r % 2.
    const m = matrixData({ label: 'm', node: 'n', matrix: 'W', dir: 0, rows: 8, cols: 3, nonZero: (r, c) => c < r % 4, peOfRow: [0, 1, 0, 1, 0, 1, 0, 1], pes: 2, assignment: 'modulo', layout: null, source: 'ir' });
    // rows 0..7 hold 0,1,2,3,0,1,2,3 non-zeros
    expect(m.nnz).toBe(12);
    expect(m.sparsity).toBeCloseTo(1 - 12 / 24, 12);
    expect(m.gates.map((g) => [g.gate, g.rowStart, g.nnz])).toEqual([['i', 0, 1], ['o', 2, 5], ['f', 4, 1], ['c', 6, 5]]);
    expect(m.nnzPerPe).toEqual([0 + 2 + 0 + 2, 1 + 3 + 1 + 3]);
    expect(m.imbalance).toBeCloseTo(8 / 6, 12);
  });
});

describe('report data of a known LSTM', () => {
  const { I, H } = KNOWN;
  const rows = 4 * H;

  it('records the zero pattern and PE loads of the IR weights and of the binary, sparse and dense', async () => {
    for (const pipeline of ['fold,sparsity,select-mode,quantize,encode', 'fold,sparsity,select-mode{weight-threshold=1},quantize']) {
      const g = (await runPasses(knownLstmGraph(), pipeline, t, [])).graph;
      const { bytes } = compileAccelBinary(g, t);
      const program = readLxb(bytes).program;
      const fromIr = matricesOfGraph(g, program, t.pes);
      const fromBinary = matricesOfProgram(program);
      for (const list of [fromIr, fromBinary]) {
        expect(list.map((m) => [m.node, m.matrix, m.rows, m.cols])).toEqual([['known_lstm', 'W', rows, I], ['known_lstm', 'R', rows, H]]);
        for (const m of list) {
          const nz = knownNonZero[m.matrix];
          const bits = maskBits(m.mask, m.rows, m.cols);
          for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) expect(bits[r][c], `${m.label} (${r}, ${c})`).toBe(nz(r, c));
          const desc = program.matrices.find((d) => d.name.endsWith(`/${m.matrix}`))!;
          const peOf = (r: number) => (desc.peOfRow ? desc.peOfRow[r] : r % t.pes);
          expect(m.nnzPerPe).toEqual(nnzPerPe(m.rows, m.cols, nz, peOf, t.pes));
          expect(m.layout).toBe(pipeline.includes('weight-threshold=1') ? 'dense' : 'csc');
        }
      }
    }
  });

  it('reads the mode decisions and their cost-model numbers as select-mode reported them', async () => {
    const run = await runPasses(knownLstmGraph(), 'fold,sparsity,select-mode,quantize,encode', t, []);
    const [d] = collectDecisions(run.graph, t);
    const zeros = (m: 'W' | 'R', cols: number) => {
      let z = 0;
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (!knownNonZero[m](r, c)) z++;
      return z / (rows * cols);
    };
    expect(d.node).toBe('known_lstm');
    expect(d.matrices.map((m) => m.weightSparsity)).toEqual([zeros('W', I), zeros('R', H)].map((x) => expect.closeTo(x, 6)));
    // The pass's own table: matrix, shape, weight sp., w. threshold, input sp., i. threshold, mode, run-time mode, zero count, dense cycles, chosen cycles.
    const table = run.results.find((r) => r.pass === 'select-mode')!.reports[0];
    d.matrices.forEach((m, i) => {
      const row = table.rows[i];
      expect(m.weightThreshold).toBeCloseTo(row[3] as number, 9);
      expect(m.mode).toBe(row[6]);
      expect(m.runtimeMode ?? '-').toBe(row[7]);
      expect(m.zeroCount ?? '-').toBe(row[8]);
      expect(m.denseCycles).toBe(row[9]);
      expect(m.chosenCycles).toBe(row[10]);
    });
    expect(d.matrices.every((m) => m.mode === 'sparse-weight')).toBe(true);
    const layouts = run.results.find((r) => r.pass === 'select-mode')!.reports[1];
    expect(d.layouts[0].costs.map((c) => c.cycles)).toEqual(layouts.rows[0].slice(3, 7));
    expect(d.layouts[0].cheapest).toBe(layouts.rows[0][7]);
  });

  it('reads the quantization formats, with the error only when calibration data measured it', async () => {
    const g = knownLstmGraph();
    const x = makeTensor('f32', [KNOWN.T, 1, I], Float32Array.from({ length: KNOWN.T * I }, (_, k) => Math.sin(k)));
    const plain = collectQuantization((await runPasses(g, 'fold,quantize', t, [])).graph);
    const calibrated = collectQuantization((await runPasses(g, 'fold,quantize', t, [new Map([['X', x]])])).graph);
    expect(plain).toHaveLength(1);
    expect(plain[0].weightBits).toBe(t.weightBits);
    expect(plain[0].maxAbsError).toBeNull();
    expect(calibrated[0].maxAbsError).toBeGreaterThan(0);
    expect(calibrated[0].maxAbsError).toBeLessThan(0.01);
    expect(calibrated[0].formats[0].h).toBe(t.actBits - 1);
  });
});

describe('report data: what-if curve', () => {
  it('takes the cheapest layouts at every sparsity and switches to sparse where the layer break-even says', () => {
    const w = whatIfCurve({ node: 'n', input: 40, hidden: 64, current: 0.92, inputSparsityW: 0, inputSparsityR: 0 }, t, null);
    expect(w.points).toHaveLength(101);
    for (const p of w.points) expect(p.auto).toBeLessThanOrEqual(Math.min(p.dense, p.sparse));
    expect(w.points[0].autoLayouts).toBe('dense/dense');
    expect(w.points[100].autoLayouts).toBe('sparse/sparse');
    for (const s of w.switches) {
      const k = w.points.findIndex((p) => p.sparsity === s.sparsity);
      expect([w.points[k - 1].autoLayouts, w.points[k].autoLayouts]).toEqual([s.from, s.to]);
    }
    // Both matrices sparse beat both dense from the target's layer break-even on (0.001 grid vs the curve's 0.01).
    const be = layerBreakEvenSparsity(40, 64, t);
    for (const p of w.points) if (p.sparsity >= be + 0.01) expect(p.sparse).toBeLessThan(p.dense);
    for (const p of w.points) if (p.sparsity < be - 0.01) expect(p.sparse).toBeGreaterThanOrEqual(p.dense);
  });

  it('measures the JS runtime at each sparsity, dense and compressed', () => {
    const cpu = measureCpu(8, 8, { steps: 4, repeats: 3, sparsities: [0, 0.9] });
    expect(cpu.map((p) => p.sparsity)).toEqual([0, 0.9]);
    for (const p of cpu) for (const v of [p.denseUs, p.sparseUs]) expect(v > 0 && Number.isFinite(v)).toBe(true);
  });
});

describe('report data: simulated run', () => {
  it('derives each branch outcome from the trace as the simulator counted it', async () => {
    const d = mkdtempSync(join(tmpdir(), 'lstmc-report-'));
    const lxb = join(d, 'kws.lxb');
    expect((await cli('compile', join(SPARSE, 'model.onnx'), '--target', 'accel', '-o', lxb)).code).toBe(0);
    const p = readLxb(readFileSync(lxb)).program;
    const inputs = readSimInputs(p, join(SPARSE, 'test_data_set_0'), REPO, () => {});
    const sim = collectSim(p, inputs, lxb);
    const report = simReport(p, simulateProgram(p, inputs));
    expect(sim.events.start).toHaveLength(report.instructions);
    expect(sim.cycles).toBe(report.cycles);
    const counted = report.branches.map((b) => ({ pc: b.pc, taken: b.taken, notTaken: b.notTaken }));
    const derived = counted.map((b) => ({ pc: b.pc, taken: sim.branches.filter((x) => x.pc === b.pc && x.taken).length, notTaken: sim.branches.filter((x) => x.pc === b.pc && !x.taken).length }));
    expect(derived).toEqual(counted);
    // The example takes its run-time branches both ways (noise-gated features, zero initial state).
    expect(counted.some((b) => b.taken > 0) && counted.some((b) => b.notTaken > 0)).toBe(true);
    // A taken branch runs the sparse-both product, a branch not taken the low mode.
    for (const b of sim.branches) expect(b.next).toContain(b.taken ? 'sparse-both' : 'sparse-weight');
    // The binary's graph: its two layers on the accelerator, the head's runtime graph on the host, joined by value names.
    const graph = graphOfProgram(p);
    expect(graph.nodes.map((n) => [n.name, n.where, n.kernels.join()])).toEqual([
      ['/lstm/LSTM', 'accel', ''],
      ['/lstm/LSTM_1', 'accel', ''],
      ['/lstm/Squeeze_1', 'host', 'Squeeze'],
      ['/Gather', 'host', 'Gather'],
      ['/head/Gemm', 'host', 'Gemm'],
      ['/Softmax', 'host', 'Softmax'],
    ]);
    expect(graph.nodes[0].inputs).toEqual(['features']);
    expect(graph.nodes[2].inputs).toContain(graph.nodes[1].outputs[0]);
    expect(graph.nodes[5].outputs).toEqual(['probs']);
  });
});

describe('report data of a whole model', () => {
  it('shows the decided modes and the pass reports of the pipeline that ran', async () => {
    const g = knownLstmGraph();
    const run = await runPasses(g, 'fold,sparsity,select-mode,quantize,encode', t, []);
    const data = collectFromModel('known.onnx', run.graph, 'fold,sparsity,select-mode,quantize,encode', run.results, t, { cpu: null });
    expect(data.graph.nodes.map((n) => [n.name, n.where, n.kernels])).toEqual([['known_lstm', 'accel', ['lstm.sparse.f32']]]);
    expect(data.passReports.map((r) => r.step)).toEqual(['sparsity', 'select-mode', 'quantize', 'encode']);
    expect(data.whatIf[0].cpu).toEqual([]);
    expect(data.sim).toBeNull();
    expect(data.notes).toContain('quantization error not measured: give --calibration DIR');
  });
});

describe('report data of a model with LSTMs inside If branches', () => {
  it('shows the weights and decisions of the branch LSTMs, with the sparsity inspect measures', async () => {
    const file = join(REPO, 'tools/test/corpus/silero/16k-op15/model.onnx');
    // fold makes the branches' Constant weights initializers, as the report's default pipeline does.
    const graph = (await runPasses(loadModelLenient(file, REPO).graph, 'fold', t, [])).graph;
    const mats = matricesOfGraph(graph, undefined, t.pes);
    const lstms = inspectGraph(graph).lstms;
    expect(lstms.length).toBeGreaterThan(0);
    expect(mats).toHaveLength(2 * lstms.length);
    for (const l of lstms)
      for (const m of ['W', 'R'] as const) {
        const found = mats.filter((x) => x.node === l.node && x.matrix === m);
        expect(found, `${l.node}.${m}`).toHaveLength(1);
        expect(found[0].sparsity).toBeCloseTo(l.weightSparsity[m]!, 9);
      }
    // select-mode decides the branch LSTMs too: one decision per LSTM, wherever it is.
    const decided = collectDecisions((await runPasses(graph, 'sparsity,select-mode', t, [])).graph, t);
    expect(decided.map((d) => d.node).sort()).toEqual(lstms.map((l) => l.node).sort());
  });
});

describe('lstmc report: bad input', () => {
  it('names the problem in one line and exits 1', async () => {
    const d = mkdtempSync(join(tmpdir(), 'lstmc-report-'));
    writeFileSync(join(d, 'bad.lxb'), 'not a binary');
    const cases: [string[], string][] = [
      [['report', join(d, 'missing.onnx'), '-o', join(d, 'r.html')], 'E-IO-NOT-FOUND'],
      [['report', join(SPARSE, 'model.onnx'), '--sim', join(d, 'nope'), '-o', join(d, 'r.html')], 'E-REPORT-SIM-DATA'],
      [['report', join(d, 'bad.lxb'), '-o', join(d, 'r.html')], 'E-LXB-'],
      [['report', join(SPARSE, 'model.onnx'), '--sim', d, '--no-measure', '-o', join(d, 'r.html')], 'E-SIM-INPUT'],
      [['report', join(SPARSE, 'model.onnx'), '--no-measure', '-o', join(d, 'no-such-dir', 'r.html')], 'E-IO'],
    ];
    for (const [argv, code] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^error\\[${code}[A-Z-]*\\]: [^\\n]+\\n$`));
    }
  });
});
