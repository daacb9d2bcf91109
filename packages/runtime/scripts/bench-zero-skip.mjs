// Break-even input density of zero-input skipping (src/kernels/lstm/zero-skip.ts) on this machine: the
// input projection of T*B = 100 rows over a dense packed W, once through the blocked dense product and
// once over W's columns (every row skipped), at input densities 0.05..0.9. Prints the ratio
// columns / dense per density and the highest density at which the columns are faster (the
// ZERO_SKIP_MAX_DENSITY to pick). `node packages/runtime/scripts/bench-zero-skip.mjs`. Env: LSTMC_BENCH_REPS (default 9).
import { loadSources } from '../../../tools/scripts/load-sources.mjs';

const R = await loadSources([
  "export { createMatvecEngine, packLstmWeights, lstmPackedSections } from './packages/runtime/src/index.ts';",
  "export { denseProduct, projectRows } from './packages/runtime/src/kernels/lstm/row-products.ts';",
  "export { projectSkipping, reserveColumns, skipScratch } from './packages/runtime/src/kernels/lstm/zero-skip.ts';",
]);
const REPS = Number(process.env.LSTMC_BENCH_REPS ?? 9);
const ROWS = 100;
const min = (xs) => Math.min(...xs);

for (const [I, H] of [[256, 512], [1024, 1024]]) {
  const W = Float32Array.from({ length: 4 * H * I }, () => Math.random() - 0.5);
  const packed = R.packLstmWeights({ W, R: new Float32Array(4 * H * H), numDirections: 1, hiddenSize: H, inputSize: I });
  const sec = R.lstmPackedSections(H, I);
  const e = R.createMatvecEngine(packed);
  const cols = R.reserveColumns(e, sec.w, H, I);
  const xOff = e.scratchOff;
  const xpOff = xOff + ROWS * I;
  const tmpOff = xpOff + ROWS * 4 * H;
  e.scratch(tmpOff + R.skipScratch(I) - e.scratchOff);
  const dense = R.denseProduct(e, sec.w, H, I);
  const rowOff = (r) => xOff + r * I;
  let best = 0;
  const line = [];
  for (const density of [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.9]) {
    for (let i = 0; i < ROWS * I; i++) e.mem[xOff + i] = Math.random() < density ? Math.random() - 0.5 : 0;
    const t = { dense: [], cols: [] };
    for (let r = 0; r < REPS + 2; r++) {
      let t0 = performance.now();
      R.projectRows(e, dense, ROWS, rowOff, sec.bias, H, xpOff);
      if (r >= 2) t.dense.push(performance.now() - t0);
      t0 = performance.now();
      R.projectSkipping(e, dense, cols, ROWS, rowOff, sec.bias, H, I, xpOff, tmpOff, 1);
      if (r >= 2) t.cols.push(performance.now() - t0);
    }
    const ratio = min(t.cols) / min(t.dense);
    if (ratio < 1) best = density;
    line.push(`${density}: ${ratio.toFixed(2)}`);
  }
  console.log(`I=${I} H=${H}  columns/dense by input density  ${line.join('  ')}  -> skip up to density ${best}`);
}
