// `npm run bench:corpus`: every real model of the corpus (the torch exports of tools/test/corpus/torch and torch2,
// tools/test/corpus/README.md) and the two bundled examples, on the lstmc JS runtime (compiled with
// -O js) and on onnxruntime-node (one intra-op thread), on each model's test_data_set_0 input,
// interleaved in this one process: after warm-up rounds (at least LSTMC_BENCH_WARMUP, default 5, and
// LSTMC_BENCH_MIN_MS / 2 ms in all: the JIT optimizes the runtime's JS after some hundred runs, and a
// model's first runs are up to 4x its steady time), the median of timed rounds (at least
// LSTMC_BENCH_REPS, default 30, and LSTMC_BENCH_MIN_MS, default 600 ms). Prints one row per model, slowest ratio first: lstmc
// ms, ORT-1t ms, their ratio and the largest difference of the outputs; then the ratios' median and
// range. LSTMC_BENCH_FMA=1 runs the relaxed-SIMD module (fused multiply-adds, as the `lstmc` bin
// and Node 22 do) instead of the plain one; LSTMC_BENCH_ONLY=substring picks models by name;
// LSTMC_BENCH_PIPELINE='fold,...' compiles with that pipeline instead of -O js (to compare one pass's
// effect, e.g. without batch-major: 'fold,sparsity,select-mode{cost=cpu}').
//
// These models are small (hidden sizes 16-128, tens of time steps): the numbers are what per-node
// and per-step costs add up to, where `npm run bench` measures the kernels on large layers.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import * as ort from 'onnxruntime-node';
import { ROOT } from './load-sources.mjs';
import { decodeTensorProto, onnxOnRuntime } from './onnx-on-runtime.mjs';

const FMA = process.env.LSTMC_BENCH_FMA === '1';
if (FMA) setFlagsFromString('--experimental-wasm-relaxed-simd');
const REPS = Number(process.env.LSTMC_BENCH_REPS ?? 30);
const WARMUP = Number(process.env.LSTMC_BENCH_WARMUP ?? 5);
const MIN_MS = Number(process.env.LSTMC_BENCH_MIN_MS ?? 600);
const ONLY = process.env.LSTMC_BENCH_ONLY ?? '';
const PIPELINE = process.env.LSTMC_BENCH_PIPELINE || undefined;

const ORT_TYPE = { f32: 'float32', f64: 'float64', i64: 'int64', i32: 'int32', bool: 'bool' };
const exports = (sub) => readdirSync(join(ROOT, 'tools/test/corpus', sub), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(ROOT, 'tools/test/corpus', sub, d.name)).sort();
const dirs = [...exports('torch'), ...exports('torch2'), join(ROOT, 'examples/kws-lstm'), join(ROOT, 'examples/kws-lstm-sparse')]
  .filter((d) => d.split('/').pop().includes(ONLY));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

if (PIPELINE) console.log(`pipeline: ${PIPELINE}`);
console.log(`lstmc JS runtime (${FMA ? 'relaxed SIMD, FMA' : 'plain WebAssembly SIMD'}) vs onnxruntime-node (1 thread), node ${process.version}; median ms of at least ${REPS} interleaved runs and ${MIN_MS} ms, after ${WARMUP} and ${MIN_MS / 2} ms`);
const rows = [];
for (const dir of dirs) {
  const name = dir.split('/').pop();
  const bytes = readFileSync(join(dir, 'model.onnx'));
  const model = await onnxOnRuntime(bytes, `${name}/model.onnx`, { matvec: FMA ? 'wasm-relaxed' : 'wasm-simd' }, PIPELINE, dir);
  // from the file: onnxruntime reads external data (torch's dynamo exports) next to it
  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const feeds = {};
  const ortFeeds = {};
  model.inputs.forEach((input, i) => {
    const file = join(dir, 'test_data_set_0', `input_${i}.pb`);
    if (!existsSync(file)) return; // an optional input the test data leaves out
    const t = decodeTensorProto(readFileSync(file), file).tensor;
    feeds[input.name] = { dtype: t.dtype, shape: t.dims, data: t.data };
    ortFeeds[input.name] = new ort.Tensor(ORT_TYPE[t.dtype], t.data, t.dims);
  });
  const [tl, to] = [[], []];
  let err = 0;
  /** Interleaved rounds until `min` of them and `ms` in all; `keep` records their times. */
  const rounds = async (min, ms, keep) => {
    const start = performance.now();
    for (let r = 0; r < min || performance.now() - start < ms; r++) {
      const t0 = performance.now();
      const a = model.run(feeds);
      const t1 = performance.now();
      const b = await session.run(ortFeeds);
      const t2 = performance.now();
      if (!keep) continue;
      tl.push(t1 - t0);
      to.push(t2 - t1);
      if (r === 0)
        for (const [k, v] of Object.entries(a)) for (let i = 0; i < v.data.length; i++) err = Math.max(err, Math.abs(Number(v.data[i]) - Number(b[k].data[i])));
    }
  };
  await rounds(WARMUP, MIN_MS / 2, false);
  await rounds(Math.max(1, REPS), MIN_MS, true);
  rows.push({ name, lstmc: median(tl), ort: median(to), err });
  model.close();
  await session.release();
}
rows.sort((x, y) => y.lstmc / y.ort - x.lstmc / x.ort);
console.log(`${'lstmc/ORT'.padStart(9)} ${'lstmc ms'.padStart(9)} ${'ORT-1t ms'.padStart(9)} ${'max|dY|'.padStart(8)}  model`);
for (const r of rows) console.log(`${(r.lstmc / r.ort).toFixed(2).padStart(9)} ${r.lstmc.toFixed(3).padStart(9)} ${r.ort.toFixed(3).padStart(9)} ${r.err.toExponential(1).padStart(8)}  ${r.name}`);
const ratios = rows.map((r) => r.lstmc / r.ort);
console.log(`${rows.length} models: lstmc / ORT-1t median ${median(ratios).toFixed(2)}, ${Math.min(...ratios).toFixed(2)} to ${Math.max(...ratios).toFixed(2)}; ${ratios.filter((x) => x < 1).length} faster than onnxruntime`);
