import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { decodeTensorProto, onnxOnRuntime } from './onnx-on-runtime.mjs';
const dir = process.env.DIR;
const N = Number(process.env.N ?? 5000);
const bytes = readFileSync(join(dir, 'model.onnx'));
const model = await onnxOnRuntime(bytes, 'm.onnx', { matvec: process.env.FMA ? 'wasm-relaxed' : 'wasm-simd' });
const feeds = {};
model.inputs.forEach((input, i) => {
  const f = join(dir, 'test_data_set_0', `input_${i}.pb`);
  if (!existsSync(f)) return;
  const t = decodeTensorProto(readFileSync(f), f).tensor;
  feeds[input.name] = { dtype: t.dtype, shape: t.dims, data: t.data };
});
console.log(Object.entries(feeds).map(([k, v]) => `${k} [${v.shape}]`).join(' '));
for (let i = 0; i < 500; i++) model.run(feeds);
const ts = [];
for (let i = 0; i < N; i++) { const t0 = performance.now(); model.run(feeds); ts.push(performance.now() - t0); }
ts.sort((a, b) => a - b);
console.log(`median ${ts[N >> 1].toFixed(4)} ms, p10 ${ts[Math.floor(N / 10)].toFixed(4)}`);
