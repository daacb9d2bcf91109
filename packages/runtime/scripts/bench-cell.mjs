// The vectorized LSTM cell update (src/kernels/lstm/wasm/cell-module.ts cell4) alone: ns per hidden
// unit over 4096 groups of four units (env G for another count), for the flag combinations (no peepholes, a finite clip,
// peepholes, input_forget), medians of 30 batches, with a checksum of the outputs (h and c bits after
// one call) so that a change that must keep the results bit for bit can be checked by running this
// before and after; for the plain module and its relaxed-SIMD variant (fused multiply-adds, V8 flag
// set for this process). `node packages/runtime/scripts/bench-cell.mjs`.
import { setFlagsFromString } from 'node:v8';
import { loadSources } from '../../../tools/scripts/load-sources.mjs';

setFlagsFromString('--experimental-wasm-relaxed-simd');
const M = await loadSources([
  "export { matvecModuleSites } from './packages/runtime/src/kernels/lstm/wasm/matvec-module.ts';",
  "export { withRelaxedMadd } from './packages/runtime/src/kernels/lstm/relaxed-simd.ts';",
]);
const { bytes, fmaSites } = M.matvecModuleSites(256);
for (const [variant, module] of [['plain', bytes], ['relaxed', M.withRelaxedMadd(bytes, fmaSites)]]) {
  if (!WebAssembly.validate(module)) {
    console.log(`${variant}: not supported on this host`);
    continue;
  }
  const { instance } = await WebAssembly.instantiate(module);
  const ex = instance.exports;
  const f = new Float32Array(ex.mem.buffer);
  const G = Number(process.env.G ?? 4096);
  const row = 0, peep = G * 16, c = peep + G * 16, h = c + G * 4;
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 8 - 4;
  for (const [flags, clip] of [[0, Infinity], [0, 3], [1, Infinity], [2, Infinity]]) {
    s = 12345;
    for (let i = 0; i < G * 16; i++) f[row + i] = rnd();
    for (let i = 0; i < G * 4; i++) f[c + i] = rnd();
    for (let i = 0; i < G * 16; i++) f[peep + i] = flags & 1 && i % 4 !== 3 ? rnd() / 4 : 0;
    ex.cell4(row * 4, peep * 4, c * 4, h * 4, G, flags, clip);
    const hv = new Int32Array(ex.mem.buffer, h * 4, G * 4);
    const cv = new Int32Array(ex.mem.buffer, c * 4, G * 4);
    let sum = 0;
    for (let i = 0; i < G * 4; i++) sum = (sum * 31 + hv[i] + cv[i]) | 0;
    const ts = [];
    for (let r = 0; r < 30; r++) {
      const t0 = performance.now();
      for (let k = 0; k < 10; k++) ex.cell4(row * 4, peep * 4, c * 4, h * 4, G, flags, clip);
      ts.push(((performance.now() - t0) * 1e6) / (10 * G * 4));
    }
    ts.sort((a, b) => a - b);
    console.log(`${variant} flags ${flags} (peepholes ${flags & 1}, input_forget ${flags >> 1}), clip ${clip}: ${ts[15].toFixed(2)} ns per unit, checksum ${sum}`);
  }
}
