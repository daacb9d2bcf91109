// Measures the CPU cost table of `select-mode{cost=cpu}` on this machine: for every weight kernel of
// the JS runtime (@lstmc/runtime/timing PRODUCT_KERNELS: dense f32/int8, row-group f32/int8, CSR f32/int8),
// the time of one matrix product with one vector (a batch-1 recurrent step) on matrices of several
// shapes, fitted as ns = nsPerCall + nsPerRow * rows + nsPerUnit * units (rows: 4H; units:
// multiply-adds for dense, row-group entries, non-zeros for CSR; non-negative least squares of the
// relative error). Sparse kernels run 50%- and 90%-sparse matrices: row groups 4x1-block-pruned ones
// (four units of a gate share their columns), CSR unstructured ones. Each point is the fastest of
// LSTMC_COST_ROUNDS rounds (default 4) of timeProduct (a low quantile of short batches over
// LSTMC_COST_MS ms, default 100), the kernels of a shape timed in turn.
//
//   node tools/scripts/measure-cpu-costs.mjs           prints the table and the fit
//   node tools/scripts/measure-cpu-costs.mjs --write   also writes packages/target/src/cpu-kernel-costs.ts
//   ... --only K1,K2                                  measures only those kernels (with --write, the
//                                                      others keep their entries of the current table),
//                                                      and dense-f32 beside them as the reference: the
//                                                      new entries are scaled by the table's dense-f32
//                                                      cost per multiply-add over the one measured now,
//                                                      so a machine that runs slower or faster than when
//                                                      the table was made does not skew the comparison
// Row groups run 4x1-block-pruned matrices, wide-f32 and wide-int8 16x1-block-pruned ones.
//
// Measure on a quiet machine: the table is what the compiler's CPU decisions are made from.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { loadSources, ROOT } from './load-sources.mjs';
import { randomF32 } from './random-f32.mjs';

const SHAPES = [[64, 128], [64, 256], [128, 256], [256, 256], [256, 512], [512, 512], [1024, 1024]]; // [H, K]: matrices of 4H x K
const SPARSITIES = [0.5, 0.9];
const MS = Number(process.env.LSTMC_COST_MS ?? 100);
const ROUNDS = Number(process.env.LSTMC_COST_ROUNDS ?? 4);
const OUT = join(ROOT, 'packages/target/src/cpu-kernel-costs.ts');

const L = await loadSources([
  "export { timeProduct, matrixStructure, productUnits, PRODUCT_KERNELS, PRODUCT_UNITS } from '@lstmc/runtime/timing';",
  "export { CPU_KERNEL_COSTS, cpuWeightThreshold } from '@lstmc/target';",
]);
const onlyAt = process.argv.indexOf('--only');
const ONLY = onlyAt > 0 ? process.argv[onlyAt + 1].split(',') : null;
const KERNELS = ONLY ? [...new Set(['dense-f32', ...ONLY])] : L.PRODUCT_KERNELS;
for (const k of KERNELS) if (!L.PRODUCT_KERNELS.includes(k)) throw new Error(`unknown kernel ${k} (kernels: ${L.PRODUCT_KERNELS.join(', ')})`);

/** [4H][K] (ONNX gate order) with a fraction `sp` of zeros: per (gate, `blocks` units, column) block when `blocks` > 1, else per weight. */
function matrix(H, K, sp, blocks, seed) {
  const m = randomF32(4 * H * K, 1, seed);
  const keep = randomF32(4 * H * K, 1, seed + 1);
  for (let g = 0; g < 4; g++)
    for (let j = 0; j < H; j++)
      for (let k = 0; k < K; k++) {
        const i = (g * H + j) * K + k;
        const decide = blocks > 1 ? (g * H + j - (j % blocks)) * K + k : i;
        if ((keep[decide] + 1) / 2 < sp) m[i] = 0;
      }
  return m;
}

if (process.argv.includes('--check')) process.exit(checkBreakEven());

/**
 * --check: the table's predicted break-even sparsity against the measured one, per structure. Each
 * sweep point is the fastest of ROUNDS interleaved rounds of both kernels (a busy machine slows both).
 * Returns the exit code.
 */
function checkBreakEven() {
  const [H, K] = [64, 256];
  let bad = 0;
  console.log(`break-even weight sparsity on 4x${H} x ${K}, table (${L.CPU_KERNEL_COSTS.machine}) against this machine (${cpus()[0]?.model ?? '?'})`);
  for (const [kernel, blocks] of [['csr-f32', 1], ['groups-f32', 4], ['wide-f32', 16]]) {
    const at = (sp, seed) => {
      const m = matrix(H, K, sp, blocks, seed);
      return { m, matrix: { rows: 4 * H, cols: K, ...L.matrixStructure(m, H, K) } };
    };
    const t = L.cpuWeightThreshold(at(0.9, 3).matrix, 'f32');
    const sweep = [-0.12, -0.08, -0.04, 0, 0.04, 0.08, 0.12].map((d) => t + d).filter((v) => v > 0 && v < 1);
    const faster = sweep.map((sp) => {
      const { m } = at(sp, 17);
      let [sparse, dense] = [Infinity, Infinity];
      for (let r = 0; r < ROUNDS; r++) {
        sparse = Math.min(sparse, L.timeProduct(m, H, K, kernel, { ms: MS / 2 }));
        dense = Math.min(dense, L.timeProduct(m, H, K, 'dense-f32', { ms: MS / 2 }));
      }
      return sparse < dense;
    });
    const crossing = sweep.find((_v, i) => faster.slice(i).every(Boolean)) ?? 1;
    const off = Math.abs(crossing - t) > 0.12;
    if (off) bad++;
    console.log(`${kernel.padEnd(11)} predicted ${t.toFixed(3)}, measured ${crossing.toFixed(3)}${off ? '  OFF by more than 0.12' : ''}  (${sweep.map((v, i) => `${v.toFixed(2)}:${faster[i] ? 'sparse' : 'dense'}`).join(' ')})`);
  }
  return bad ? 1 : 0;
}

/** Solves the n x n system A x = y (Gaussian elimination with partial pivoting); null when singular. */
function solve(A, y) {
  const n = y.length;
  const M = A.map((r, i) => [...r, y[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (Math.abs(M[p][c]) < 1e-12) return null;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((r, i) => r[n] / r[i]);
}

/**
 * Least squares ns = nsPerCall + nsPerRow * rows + nsPerUnit * units with every coefficient >= 0: of
 * the feature subsets whose fit has no negative coefficient, the one with the smallest residual; in
 * relative terms (weights 1/ns^2).
 */
function fit(points) {
  const features = [(p) => 1, (p) => p.rows, (p) => p.units];
  let best = null;
  for (let mask = 1; mask < 8; mask++) {
    const use = [0, 1, 2].filter((i) => mask & (1 << i));
    // Weighted by 1/ns^2: relative errors, so small matrices count as much as large ones.
    const A = use.map((i) => use.map((j) => points.reduce((s, p) => s + (features[i](p) * features[j](p)) / p.ns ** 2, 0)));
    const y = use.map((i) => points.reduce((s, p) => s + (features[i](p) * p.ns) / p.ns ** 2, 0));
    const x = solve(A, y);
    if (!x || x.some((v) => v < 0)) continue;
    const c = [0, 0, 0];
    use.forEach((i, k) => (c[i] = x[k]));
    const res = points.reduce((s, p) => s + ((c[0] + c[1] * p.rows + c[2] * p.units - p.ns) / p.ns) ** 2, 0);
    if (!best || res < best.res) best = { res, c };
  }
  return { nsPerCall: best.c[0], nsPerRow: best.c[1], nsPerUnit: best.c[2] };
}

const sig = (v) => Number(v.toPrecision(4));
const table = {};
console.log(`CPU kernel costs on ${cpus()[0]?.model ?? '?'} (${cpus().length} cores), node ${process.version}; sparse kernels at sparsity ${SPARSITIES.join(' and ')}`);
console.log('kernel        H     K   sp.    units         ns  ns/unit');
// Per shape, the kernels are timed in turn, ROUNDS times over, and each keeps its fastest round: the
// kernels of one shape see the same machine load, so their ratios (what the decisions depend on) hold.
const points = Object.fromEntries(KERNELS.map((k) => [k, []]));
for (const [H, K] of SHAPES) {
  const mats = KERNELS.flatMap((kernel) => (kernel.startsWith('dense') ? [0] : SPARSITIES).map((sp) => {
    const m = matrix(H, K, sp, kernel.startsWith('wide') ? 16 : kernel.startsWith('groups') ? 4 : 1, 7 + H + K);
    return { kernel, sp, m, units: L.productUnits(L.matrixStructure(m, H, K), H, K, kernel), ns: Infinity };
  }));
  for (let r = 0; r < ROUNDS; r++) for (const x of mats) x.ns = Math.min(x.ns, L.timeProduct(x.m, H, K, x.kernel, { ms: MS }));
  for (const { kernel, sp, units, ns } of mats) {
    points[kernel].push({ H, K, rows: 4 * H, units, ns: sig(ns) });
    console.log(`${kernel.padEnd(11)} ${String(H).padStart(5)} ${String(K).padStart(5)} ${sp.toFixed(2).padStart(5)} ${String(units).padStart(8)} ${ns.toFixed(0).padStart(10)}  ${(ns / units).toFixed(4)}`);
  }
}
const fits = Object.fromEntries(KERNELS.map((k) => [k, fit(points[k])]));
// With --only: the reference scale (table's dense-f32 per multiply-add over this run's)
const scale = ONLY ? L.CPU_KERNEL_COSTS.kernels['dense-f32'].nsPerUnit / fits['dense-f32'].nsPerUnit : 1;
if (ONLY) console.log(`dense-f32 now ${fits['dense-f32'].nsPerUnit.toFixed(4)} ns per mac, table ${L.CPU_KERNEL_COSTS.kernels['dense-f32'].nsPerUnit}: new entries scaled by ${scale.toFixed(3)}`);
for (const kernel of L.PRODUCT_KERNELS) {
  if (!KERNELS.includes(kernel) || (ONLY && !ONLY.includes(kernel))) {
    table[kernel] = L.CPU_KERNEL_COSTS.kernels[kernel];
    continue;
  }
  const f = fits[kernel];
  table[kernel] = {
    unit: L.PRODUCT_UNITS[kernel], nsPerCall: sig(scale * f.nsPerCall), nsPerRow: sig(scale * f.nsPerRow), nsPerUnit: sig(scale * f.nsPerUnit),
    points: points[kernel].map((p) => ({ ...p, ns: sig(scale * p.ns) })),
  };
  console.log(`${kernel.padEnd(11)} fit: ${f.nsPerCall.toFixed(0)} ns per call + ${f.nsPerRow.toFixed(3)} ns per row + ${f.nsPerUnit.toFixed(4)} ns per ${L.PRODUCT_UNITS[kernel]}${scale !== 1 ? ` (x ${scale.toFixed(3)} in the table)` : ''}`);
}

if (process.argv.includes('--write')) {
  const machine = `${cpus()[0]?.model ?? '?'}, ${cpus().length} cores, node ${process.version}`;
  const text = `// Generated by tools/scripts/measure-cpu-costs.mjs --write (measured on ${machine}, ${new Date().toISOString().slice(0, 10)}).
// Do not edit: regenerate on a quiet machine. Measured data, so regenerating gives other numbers.
import type { CpuCostTable } from './cpu-cost.js';

export const CPU_KERNEL_COSTS = {
  machine: ${JSON.stringify(machine)},
  sparsities: ${JSON.stringify(SPARSITIES)},
  kernels: {
${Object.entries(table).map(([k, v]) => `    '${k}': ${JSON.stringify(v)},`).join('\n')}
  },
} as const satisfies CpuCostTable;
`;
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}`);
}
