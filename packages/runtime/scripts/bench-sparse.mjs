// Break-even weight sparsity of lstm.sparse.f32 (W and R compressed) against lstm.dense.f32 on this
// machine: single-layer forward LSTMs, I = H (512 and 1024), T = 100, batch 1, weights magnitude-
// pruned to each sparsity. Prints medians and, per H, the lowest sparsity at which sparse is faster.
// `node packages/runtime/scripts/bench-sparse.mjs` (bundles the TypeScript sources with esbuild).
// Env: LSTMC_BENCH_REPS (default 9).
import { build } from 'esbuild';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'bench', 'bench-sparse.mjs');
await build({
  stdin: { contents: "export * from './src/index.ts';", resolveDir: join(here, '..'), loader: 'ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: out,
  conditions: ['source'],
  logLevel: 'warning',
});
const R = await import(pathToFileURL(out).href);
const REPS = Number(process.env.LSTMC_BENCH_REPS ?? 9);
const T = 100;

function rand(n, s, seed) {
  const a = new Float32Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    a[i] = (x / 4294967296 - 0.5) * 2 * s;
  }
  return a;
}

/** Zeroes the fraction `sp` of smallest magnitudes (threshold from a sorted copy). */
function prune(m, sp) {
  if (sp <= 0) return m;
  const abs = Float32Array.from(m, Math.abs).sort();
  const th = abs[Math.min(abs.length - 1, Math.floor(sp * abs.length))];
  return m.map((v) => (Math.abs(v) < th ? 0 : v));
}

function model(H, I, W, Rw, sparse) {
  const attrs = { hidden_size: { type: 'int', value: H }, input_size: { type: 'int', value: I } };
  const wts = { W, R: Rw, B: null, P: null, numDirections: 1, hiddenSize: H, inputSize: I };
  const values = [{ name: 'X', dtype: 'f32', shape: [T, 1, I] }, { name: 'Y', dtype: 'f32', shape: [T, 1, 1, H] }];
  const c = (name, dtype, data) => values.push({ name, dtype, shape: [data.length], data: { dtype, shape: [data.length], data } }) - 1;
  if (!sparse) {
    const p = R.packLstmWeights(wts);
    values.push({ name: 'packed', dtype: 'f32', shape: [1, p.length], data: { dtype: 'f32', shape: [1, p.length], data: p } });
    return { values, inputs: [0], outputs: [1], nodes: [{ kernel: 'lstm.dense.f32', name: 'l', inputs: [0, 2], outputs: [1], attrs }] };
  }
  const s = R.packLstmSparse(wts, { sparseW: true, sparseR: true });
  values.push({ name: 'packed', dtype: 'f32', shape: [1, s.dense.length], data: { dtype: 'f32', shape: [1, s.dense.length], data: s.dense } });
  const ins = [0, 2, -1, -1, -1, c('ptr', 'i32', s.ptr), c('col', 'i32', s.col), c('val', 'f32', s.val)];
  return { values, inputs: [0], outputs: [1], nodes: [{ kernel: 'lstm.sparse.f32', name: 'l', inputs: ins, outputs: [1], attrs: { ...attrs, sparse_w: { type: 'int', value: 1 }, sparse_r: { type: 'int', value: 1 } } }] };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(m, feed) {
  for (let i = 0; i < 2; i++) m.run(feed);
  const ts = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    m.run(feed);
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

console.log(`lstm.sparse.f32 vs lstm.dense.f32, I = H, T=${T}, batch 1, median of ${REPS}`);
console.log('    H  sparsity  dense ms  sparse ms  sparse/dense');
for (const H of [512, 1024]) {
  const I = H;
  const W0 = rand(4 * H * I, 1 / Math.sqrt(H), 1);
  const R0 = rand(4 * H * H, 1 / Math.sqrt(H), 2);
  const feed = { X: { dtype: 'f32', shape: [T, 1, I], data: rand(T * I, 1, 3) } };
  const dense = time(R.createModel(model(H, I, W0, R0, false)), feed);
  let breakEven = null;
  for (const sp of [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]) {
    const ms = time(R.createModel(model(H, I, prune(W0, sp), prune(R0, sp), true)), feed);
    if (breakEven === null && ms < dense) breakEven = sp;
    console.log(`${String(H).padStart(5)} ${sp.toFixed(2).padStart(9)} ${dense.toFixed(2).padStart(9)} ${ms.toFixed(2).padStart(10)} ${(ms / dense).toFixed(2).padStart(13)}`);
  }
  console.log(`  H=${H}: sparse is faster from sparsity ${breakEven ?? '> 0.95'}`);
}
