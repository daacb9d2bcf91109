// The accuracy cost of padding-aware pruning: the output error of a model pruned by
// prune{method=balanced,sparsity=S,gap-repair=false} (each PE's largest weights) and by the default
// prune{method=balanced,sparsity=S} (padding-aware, what max-gap=auto keeps) against the unpruned model
// (float32, on the JS runtime), over N random inputs (uniform in [-1, 1]); and the kept |w| (L1) and
// sum of squares (L2^2) of each against the first.
//   node tools/scripts/max-gap-accuracy.mjs MODEL.onnx INPUT OUTPUT TxBxI S N
// e.g. the accel benchmark's 2x1024 model written to big.onnx: ... big.onnx X Y 100x1x1024 0.9 5
import { readFileSync } from 'node:fs';
import { randomF32 } from './random-f32.mjs';
import { loadSources } from './load-sources.mjs';
const L = await loadSources([
  "export { importOnnx, decodeTensorProto } from '@lstmc/ir';",
  "export { runPipeline, parsePipeline, builtinRegistry } from '@lstmc/passes';",
  "export { lowerToRuntime } from '@lstmc/backend-js';",
  "export { createModel } from '@lstmc/runtime';",
  "export { defaultTarget } from '@lstmc/target';",
]);
const reg = L.builtinRegistry();
const [file, input, output, dimsText, sparsity, samples] = process.argv.slice(2);
const dims = dimsText.split('x').map(Number);
const g0 = L.importOnnx(new Uint8Array(readFileSync(file)), { file });
const run = (g) => L.createModel(L.lowerToRuntime(g));
const models = { unpruned: run(g0) };
const kept = {};
for (const [name, p] of [['balanced, gap-repair=false', `prune{method=balanced,sparsity=${sparsity},gap-repair=false}`], ['balanced (default: gap repair)', `prune{method=balanced,sparsity=${sparsity}}`]]) {
  const t0 = performance.now();
  const r = await L.runPipeline(g0, L.parsePipeline(p, reg), { target: L.defaultTarget });
  const ms = performance.now() - t0;
  models[name] = run(r.graph);
  let l1 = 0;
  let l2 = 0;
  for (const n of r.graph.nodes.filter((x) => x.op === 'LSTM'))
    for (const w of [n.inputs[1], n.inputs[2]]) for (const v of r.graph.initializers.get(w).data) { l1 += Math.abs(v); l2 += v * v; }
  kept[name] = { l1, l2 };
  const base = Object.values(kept)[0];
  console.log(`${name}: prune ${ms.toFixed(0)} ms; kept L1 ${l1.toFixed(2)} (${((100 * l1) / base.l1).toFixed(3)}%), L2^2 ${l2.toFixed(3)} (${((100 * l2) / base.l2).toFixed(3)}%)`);
}
const n = dims.reduce((a, b) => a * b, 1);
const stats = {};
for (let s = 0; s < Number(samples); s++) {
  const x = randomF32(n, 1, 1000 + s);
  const feed = { [input]: { dtype: 'f32', shape: dims, data: x } };
  const ref = models.unpruned.run(feed)[output].data;
  for (const name of Object.keys(models).slice(1)) {
    const y = models[name].run(feed)[output].data;
    let max = 0, sum = 0, sq = 0, rsq = 0;
    for (let i = 0; i < y.length; i++) { const e = Math.abs(y[i] - ref[i]); max = Math.max(max, e); sum += e; sq += e * e; rsq += ref[i] * ref[i]; }
    const st = (stats[name] ??= { max: 0, mean: 0, rel: 0 });
    st.max = Math.max(st.max, max); st.mean += sum / y.length / Number(samples); st.rel += Math.sqrt(sq / rsq) / Number(samples);
  }
}
for (const [k, v] of Object.entries(stats)) console.log(`${k}: max abs err ${v.max.toFixed(4)}, mean abs err ${v.mean.toFixed(5)}, relative RMS err ${(100 * v.rel).toFixed(2)}%`);
