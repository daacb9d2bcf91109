// Sweep of the accelerator's modes (a script, not a timed test): one LSTM layer I=256/H=512 on the
// default target (or LSTMC_TARGET=file.json), load-balanced pruning to each weight sparsity, inputs
// with each input sparsity. For every point it compiles and simulates the layer in each mode and
// prints the steady-state simulated cycles per time step (cycles(T=2) - cycles(T=1)), the mode
// select-mode{...=auto} picks (weight threshold from the cost model, input test at run time), and
// PE utilization. Run: node tools/scripts/sweep.mjs [--quick]  (env LSTMC_TARGET, LSTMC_SWEEP_WS, LSTMC_SWEEP_IS)
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const quick = process.argv.includes('--quick');
const I = 256;
const H = 512;
const list = (v) => v.split(',').map(Number);
// LSTMC_SWEEP_WS / LSTMC_SWEEP_IS: comma-separated sparsities to sweep instead of the defaults.
const WS = process.env.LSTMC_SWEEP_WS ? list(process.env.LSTMC_SWEEP_WS) : quick ? [0, 0.5, 0.9] : [0, 0.25, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
const IS = process.env.LSTMC_SWEEP_IS ? list(process.env.LSTMC_SWEEP_IS) : quick ? [0, 0.5] : [0, 0.3, 0.5, 0.7, 0.9];
const MODES = ['dense', 'sparse-weight', 'sparse-input', 'sparse-both'];

async function load() {
  const dir = mkdtempSync(join(tmpdir(), 'lstmc-sweep-'));
  const out = join(dir, 'lstmc.mjs');
  await build({
    stdin: {
      contents: [
        "export { makeTensor } from '@lstmc/ir';",
        "export { builtinRegistry, parsePipeline, runPipeline, withAttrs, stringsAttr, ANN, patchNodes } from '@lstmc/passes';",
        "export { defaultTarget, parseTarget, breakEvenSparsity, layerBreakEvenSparsity } from '@lstmc/target';",
        "export { compileAccel, simulateProgram, simReport } from '@lstmc/backend-accel';",
        "export { randomModel } from './packages/backend-accel/test/random-model.ts';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    conditions: ['source'],
    external: ['onnxruntime-node'],
    logLevel: 'warning',
  });
  const mod = await import(pathToFileURL(out).href);
  rmSync(dir, { recursive: true, force: true });
  return mod;
}

const L = await load();
const target = process.env.LSTMC_TARGET ? L.parseTarget(readFileSync(process.env.LSTMC_TARGET, 'utf8'), process.env.LSTMC_TARGET) : L.defaultTarget;
const reg = L.builtinRegistry();

async function pipeline(g, text) {
  return (await L.runPipeline(g, L.parsePipeline(text, reg), { target })).graph;
}

function withMode(g, mode) {
  const n = g.nodes.find((x) => x.op === 'LSTM');
  const patch = { [L.ANN.modeW]: L.stringsAttr([mode]), [L.ANN.modeR]: L.stringsAttr([mode]), [L.ANN.modeWRuntime]: undefined, [L.ANN.modeRRuntime]: undefined };
  return L.patchNodes(g, new Map([[n, patch]]));
}

function simulate(g, x, T) {
  const p = L.compileAccel(g, target);
  const data = x.slice(0, T * I);
  const r = L.simulateProgram(p, new Map([['X', { dims: [T, 1, I], data }]]));
  return { cycles: r.stats.cycles, report: L.simReport(p, r), stats: r.stats };
}

function perStep(g, x) {
  const one = simulate(g, x, 1);
  const two = simulate(g, x, 2);
  return { cycles: two.cycles - one.cycles, two };
}

console.log(`target: ${JSON.stringify(target)}`);
console.log(
  `I=${I} H=${H}; break-even weight sparsity from the cost model: per matrix (select-mode auto) W ${L.breakEvenSparsity({ rows: 4 * H, cols: I }, target)}, ` +
    `R ${L.breakEvenSparsity({ rows: 4 * H, cols: H }, target)}; per layer (W and R sharing the weight SRAM) ${L.layerBreakEvenSparsity(I, H, target)}`,
);
console.log('cycles per time step (simulated, steady state); auto = select-mode defaults with the run-time input test');
console.log(['w.sp', 'in.sp', ...MODES, 'auto', 'auto W/R modes taken', 'best', 'util(sp-both)', 'balance'].map((s, i) => (i < 2 ? s.padStart(5) : s.padStart(i === 7 ? 24 : 13))).join(' '));
for (const ws of WS) {
  const { graph } = L.randomModel({ input: I, T: 1, B: 1, seed: 7, sparsity: 0, layers: [{ hidden: H, direction: 'forward' }] });
  const pruned = ws > 0 ? await pipeline(graph, `prune{method=balanced,sparsity=${ws}},sparsity`) : await pipeline(graph, 'sparsity');
  const auto = await pipeline(pruned, 'select-mode,quantize{x-max=2,c-max=4}');
  const fixed = await pipeline(pruned, 'select-mode{weight-threshold=1,input-test=off},quantize{x-max=2,c-max=4}');
  for (const is of IS) {
    // inputs: uniform in [-2, 2) with a fraction `is` of exact zeros (deterministic)
    let s = 12345;
    const x = Float32Array.from({ length: 2 * I }, () => {
      s = (s * 1103515245 + 12345) >>> 0;
      const u = s / 4294967296;
      s = (s * 1103515245 + 12345) >>> 0;
      return u < is ? 0 : (s / 4294967296) * 4 - 2;
    });
    const row = [];
    const res = {};
    for (const m of MODES) {
      res[m] = perStep(withMode(fixed, m), x);
      row.push(res[m].cycles);
    }
    const a = perStep(auto, x);
    const taken = Object.keys(a.two.stats.cyclesByMode).join('+');
    const best = MODES.reduce((b, m) => (res[m].cycles < res[b].cycles ? m : b), 'dense');
    const util = res['sparse-both'].two.report.peUtilization;
    const balance = res['sparse-both'].two.report.peBalance;
    console.log(
      [ws.toFixed(2).padStart(5), is.toFixed(1).padStart(5), ...row.map((c) => String(c).padStart(13)), String(a.cycles).padStart(13), taken.padStart(24), best.padStart(13), `${(100 * util).toFixed(1)}%`.padStart(13), `${(100 * balance).toFixed(1)}%`.padStart(13)].join(' '),
    );
  }
}
