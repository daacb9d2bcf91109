// Sweep of the accelerator's modes (a script, not a timed test): one LSTM layer I=256/H=512 on the
// default target (or LSTMC_TARGET=file.json), load-balanced pruning to each weight sparsity, inputs
// with each input sparsity. For every point it compiles and simulates the layer in each mode and
// prints the steady-state simulated cycles per time step (cycles(T=2) - cycles(T=1)), the weight
// layouts select-mode{weight-threshold=auto} picks for W and R (from the layer step cost, input test
// at run time), the modes the run-time branch executed, and PE utilization.
//   node tools/scripts/sweep.mjs [--quick]       the mode table (env LSTMC_TARGET, LSTMC_SWEEP_WS,
//                                                LSTMC_SWEEP_IS, LSTMC_SWEEP_PRUNE = extra prune options)
//   node tools/scripts/sweep.mjs --utilization   sparse-weight PE utilization at 90% and 95% with plain
//                                                and padding-aware (the default; = max-gap=auto) balanced pruning, on the
//                                                target and on it with columnOverheadCycles=0
import { readFileSync } from 'node:fs';
import { loadSources } from './load-sources.mjs';

const quick = process.argv.includes('--quick');
const utilization = process.argv.includes('--utilization');
const extraPrune = process.env.LSTMC_SWEEP_PRUNE ? `,${process.env.LSTMC_SWEEP_PRUNE}` : '';
const I = 256;
const H = 512;
const list = (v) => v.split(',').map(Number);
// LSTMC_SWEEP_WS / LSTMC_SWEEP_IS: comma-separated sparsities to sweep instead of the defaults.
const WS = process.env.LSTMC_SWEEP_WS ? list(process.env.LSTMC_SWEEP_WS) : quick ? [0, 0.5, 0.9] : [0, 0.1, 0.25, 0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
const IS = process.env.LSTMC_SWEEP_IS ? list(process.env.LSTMC_SWEEP_IS) : quick ? [0, 0.5] : [0, 0.3, 0.5, 0.7, 0.9];
const MODES = ['dense', 'sparse-weight', 'sparse-input', 'sparse-both'];

async function load() {
  return loadSources([
    "export { makeTensor } from '@lstmc/ir';",
    "export { builtinRegistry, parsePipeline, runPipeline, withAttrs, stringsAttr, getStrings, ANN, patchNodes } from '@lstmc/passes';",
    "export { defaultTarget, parseTarget, withParams, layerBreakEvenSparsity } from '@lstmc/target';",
    "export { compileAccel, simulateProgram, simReport } from '@lstmc/backend-accel';",
    "export { makeRuntimeEvaluator } from '@lstmc/backend-js';",
    "export { randomModel } from './packages/backend-accel/test/random-model.ts';",
  ]);
}

const L = await load();
const target = process.env.LSTMC_TARGET ? L.parseTarget(readFileSync(process.env.LSTMC_TARGET, 'utf8'), process.env.LSTMC_TARGET) : L.defaultTarget;
const reg = L.builtinRegistry();

async function pipeline(g, text, t = target) {
  return (await L.runPipeline(g, L.parsePipeline(text, reg), { target: t, evaluate: L.makeRuntimeEvaluator() })).graph;
}

async function pipelineRun(g, text, t = target) {
  return L.runPipeline(g, L.parsePipeline(text, reg), { target: t, evaluate: L.makeRuntimeEvaluator() });
}

function withMode(g, mode) {
  const n = g.nodes.find((x) => x.op === 'LSTM');
  const patch = { [L.ANN.modeW]: L.stringsAttr([mode]), [L.ANN.modeR]: L.stringsAttr([mode]), [L.ANN.modeWRuntime]: undefined, [L.ANN.modeRRuntime]: undefined };
  return L.patchNodes(g, new Map([[n, patch]]));
}

function simulate(g, x, T, t = target) {
  const p = L.compileAccel(g, t);
  const data = x.slice(0, T * I);
  const r = L.simulateProgram(p, new Map([['X', { dims: [T, 1, I], data }]]));
  return { cycles: r.stats.cycles, report: L.simReport(p, r), stats: r.stats };
}

function perStep(g, x, t = target) {
  const one = simulate(g, x, 1, t);
  const two = simulate(g, x, 2, t);
  return { cycles: two.cycles - one.cycles, two };
}

/** Inputs uniform in [-2, 2) with a fraction `is` of exact zeros (deterministic). */
function inputs(is) {
  let s = 12345;
  return Float32Array.from({ length: 2 * I }, () => {
    s = (s * 1103515245 + 12345) >>> 0;
    const u = s / 4294967296;
    s = (s * 1103515245 + 12345) >>> 0;
    return u < is ? 0 : (s / 4294967296) * 4 - 2;
  });
}

function layerModel() {
  return L.randomModel({ input: I, T: 1, B: 1, seed: 7, sparsity: 0, layers: [{ hidden: H, direction: 'forward' }] }).graph;
}

if (utilization) {
  // Sparse-both W and R (the zero h_0 of the first step is skipped, not multiplied), inputs without zeros: utilization = useful MACs / (pes x sparseEntriesPerCycle x matvec cycles).
  // With equal entries per PE every column costs columnOverheadCycles + e, so the bound is
  // nnz/(entries + columnOverheadCycles * columns) per PE = e_nnz / (e + columnOverheadCycles).
  console.log(`target: ${JSON.stringify(target)}`);
  console.log('weight sp. | pruning | columnOverheadCycles | padding entries | e (entries/col/PE) | bound e_nnz/(e+overhead) | simulated PE util. | PE balance | cycles/step');
  const x = inputs(0);
  for (const ws of [0.9, 0.95]) {
    for (const [name, opts] of [['balanced, gap-repair=false', ',gap-repair=false'], ['balanced (default: padding-aware)', '']]) {
      const pruned = await pipeline(layerModel(), `prune{method=balanced,sparsity=${ws}${opts}},sparsity`);
      const g = withMode(await pipeline(pruned, 'select-mode{weight-threshold=0,input-test=off},quantize{x-max=2,c-max=4}'), 'sparse-both');
      for (const overhead of [target.columnOverheadCycles, 0]) {
        const t = L.withParams(target, { columnOverheadCycles: overhead });
        const r = perStep(g, x, t);
        const rep = r.two.report;
        const n = g.nodes.find((m) => m.op === 'LSTM');
        let nnz = 0;
        for (const k of [1, 2]) for (const v of g.initializers.get(n.inputs[k]).data) if (v !== 0) nnz++;
        const slots = t.pes * (I + H);
        const e = (nnz + rep.paddingEntries) / slots;
        const bound = nnz / slots / (e + overhead);
        console.log(
          `${ws.toFixed(2)} | ${name} | ${overhead} | ${rep.paddingEntries} | ${e.toFixed(2)} | ${(100 * bound).toFixed(1)}% | ${(100 * rep.peUtilization).toFixed(1)}% | ${(100 * rep.peBalance).toFixed(1)}% | ${r.cycles}`,
        );
      }
    }
  }
  process.exit(0);
}

console.log(`target: ${JSON.stringify(target)}`);
console.log(`I=${I} H=${H}; layer break-even with W and R both sparse: ${L.layerBreakEvenSparsity(I, H, target)}`);
console.log('cycles per time step (simulated, steady state); auto = select-mode defaults (weight layouts from the layer step cost, run-time input test)');
console.log('| weight sp. | input sp. | dense | sparse-weight | sparse-input | sparse-both | auto (select-mode) | auto weights W/R | auto thresholds W/R | auto ran | fastest | PE util. (sparse-both) | PE balance |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const ws of WS) {
  const graph = layerModel();
  const pruned = ws > 0 ? await pipeline(graph, `prune{method=balanced,sparsity=${ws}${extraPrune}},sparsity`) : await pipeline(graph, 'sparsity');
  const autoRun = await pipelineRun(pruned, 'select-mode,quantize{x-max=2,c-max=4}');
  const auto = autoRun.graph;
  const node = auto.nodes.find((m) => m.op === 'LSTM');
  const layout = (k) => (['sparse-weight', 'sparse-both'].includes(L.getStrings(node, k)[0]) ? 'sparse' : 'dense');
  const weights = `${layout(L.ANN.modeW)}/${layout(L.ANN.modeR)}`;
  const layerRow = autoRun.results[0].reports[1].rows[0];
  const thresholds = `${layerRow.at(-2)}/${layerRow.at(-1)}`;
  const fixed = await pipeline(pruned, 'select-mode{weight-threshold=1,input-test=off},quantize{x-max=2,c-max=4}');
  for (const is of IS) {
    const x = inputs(is);
    const row = [];
    const res = {};
    for (const m of MODES) {
      res[m] = perStep(withMode(fixed, m), x);
      row.push(res[m].cycles);
    }
    const a = perStep(auto, x);
    const taken = Object.keys(a.two.stats.cyclesByMode).join('+');
    const best = MODES.reduce((b, m) => (res[m].cycles < res[b].cycles ? m : b), 'dense');
    const fastest = a.cycles < res[best].cycles ? `auto (${weights})` : best;
    const util = res['sparse-both'].two.report.peUtilization;
    const balance = res['sparse-both'].two.report.peBalance;
    console.log(
      `| ${ws.toFixed(2)} | ${is.toFixed(1)} | ${row.join(' | ')} | ${a.cycles} | ${weights} | ${thresholds} | ${taken} | ${fastest} | ${(100 * util).toFixed(1)}% | ${(100 * balance).toFixed(1)}% |`,
    );
  }
}
