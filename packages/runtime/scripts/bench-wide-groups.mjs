// Wide row groups (16 units of a gate sharing their columns, gsw1/gsw2) against the four-unit row
// groups (gsp1/gsp2/gsp4) on the same 16-unit-structured 90%-sparse matrix [4H][K], for 1 to 32
// vectors: medians of 25 interleaved batches, multiply-adds per second. Env H, K (default 512), D
// (density, default 0.1). `node packages/runtime/scripts/bench-wide-groups.mjs`.
import { loadSources } from '../../../tools/scripts/load-sources.mjs';

const R = await loadSources([
  "export { createMatvecEngine } from './packages/runtime/src/kernels/lstm/matvec-engine.ts';",
  "export { groupProduct, wideGroupProduct } from './packages/runtime/src/kernels/lstm/row-products.ts';",
  "export * from './packages/runtime/src/kernels/lstm/group-sparse.ts';",
]);
const H = Number(process.env.H ?? 512), K = Number(process.env.K ?? 512), dens = Number(process.env.D ?? 0.1);
let s = 7; const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
const sets = [];
for (let b = 0; b < H / 16; b++) for (let g = 0; g < 4; g++) { const c = []; for (let k = 0; k < K; k++) if (rnd() < dens) c.push(k); sets[b * 4 + g] = c; }
const ptr = [0], col = [], val = [];
for (let j = 0; j < H; j++) for (let g = 0; g < 4; g++) { for (const k of sets[(j >> 4) * 4 + g]) { col.push(k); val.push(rnd() - 0.5); } ptr.push(col.length); }
const nar = R.encodeGroups(ptr, col, val, 0, H, K), wid = R.encodeWideGroups(ptr, col, val, 0, H, K);
const end = Math.max(R.groupsEnd(nar, 0), R.wideEnd(wid, 0));
const f1 = new Float32Array(end), f2 = new Float32Array(end);
const p1 = R.placeGroups(f1, new Int32Array(f1.buffer), nar, 0, 4), p2 = R.placeWideGroups(f2, new Int32Array(f2.buffer), wid, 0, 4);
const e1 = R.createMatvecEngine(f1, 'wasm-simd'), e2 = R.createMatvecEngine(f2, 'wasm-simd');
const prods = [[e1, R.groupProduct(e1, p1, H)], [e2, R.wideGroupProduct(e2, p2, H)]];
for (const n of [1, 2, 4, 8, 32]) {
  const times = prods.map(([e, prod]) => {
    e.scratch(n * (K + 4 * H));
    const xs = Int32Array.from({ length: n }, (_, i) => e.scratchOff + i * K), outs = Int32Array.from({ length: n }, (_, i) => e.scratchOff + n * K + i * 4 * H);
    for (let i = 0; i < n * K; i++) e.mem[e.scratchOff + i] = rnd() - 0.5;
    return { run: () => prod(n, xs, outs), t: [] };
  });
  const reps = Math.max(5, Math.round(400 / n));
  for (let r = 0; r < 25; r++) for (const x of times) { const t0 = performance.now(); for (let k = 0; k < reps; k++) x.run(); x.t.push((performance.now() - t0) / reps); }
  const med = times.map((x) => x.t.sort((a, b) => a - b)[12]);
  const macs = col.length * n;
  console.log(`n=${n}: four-unit ${(med[0] * 1e3).toFixed(1)} us (${(macs / med[0] / 1e6).toFixed(1)} GMAC/s)  wide ${(med[1] * 1e3).toFixed(1)} us (${(macs / med[1] / 1e6).toFixed(1)} GMAC/s)  ratio ${(med[1] / med[0]).toFixed(2)}`);
}
