// `node tools/scripts/simd-roofline.mjs`: the ceiling the dense f32 goal of issue 10 meets on this
// machine. It measures, in one process, medians of LSTMC_BENCH_REPS runs (default 7):
//   wasm simd128 peak: a register-blocked WebAssembly loop (each f32x4 weight load serves 4 input
//     vectors, 8 accumulators) over L1-resident weights: about the most multiply-adds per second a
//     WebAssembly SIMD product (no FMA in Node 20 without flags) can do on one thread;
//   onnxruntime MatMul: onnxruntime-node on one thread multiplying [32, 1024] x [1024, 4096] (the
//     batch-32 recurrent product of the I=H=1024 bench model), multiply-adds per second;
// and prints their ratio: the best lstmc / ORT-1t a single-threaded simd128 kernel can reach where
// onnxruntime runs at its compute peak (batched dense products), whatever the kernel's blocking.
// The same loop with f32x4.relaxed_madd (the relaxed module's fused multiply-add, enabled for this
// process by the V8 flag) is measured beside it.
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { loadSources } from './load-sources.mjs';

setFlagsFromString('--experimental-wasm-relaxed-simd');
const REPS = Number(process.env.LSTMC_BENCH_REPS ?? 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const W = await loadSources(["export { encodeModule, op } from './packages/runtime/src/kernels/lstm/wasm/wasm-encoder.ts';"]);
const { op } = W;

// peak(n): n passes over a 4 KiB (L1-resident) buffer of weights, register-blocked as a batched
// product is: each f32x4 weight load serves 4 vectors (4 splatted inputs held in registers), 2 weight
// vectors per step, 8 accumulators: acc[i][j] += w_i * x_j. Per 32 bytes of weights 2 loads, 8 muls
// and 8 adds (32 multiply-adds; an FMA unit would fuse each mul and add).
const BUF = 4096;
const ACC = (i, j) => 3 + 4 * i + j; // params 0 n; i32 locals 1 p, 2 spare; v128 3..10 accumulators
const X = (j) => 11 + j; // v128 11..14 inputs; 15, 16 weights
const RELAXED_MADD = [0xfd, 0x85, 0x02];
/** acc[i][j] += w_i * x_j, as mul + add or as one relaxed_madd. */
const mac = (i, j, fused) => fused
  ? [...op.get(15 + i), ...op.get(X(j)), ...op.get(ACC(i, j)), ...RELAXED_MADD, ...op.set(ACC(i, j))]
  : [...op.get(ACC(i, j)), ...op.get(15 + i), ...op.get(X(j)), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(ACC(i, j))];
const peakFunc = (fused) => ({
  name: 'peak',
  params: 1,
  locals: [[2, 0x7f], [14, 0x7b]],
  body: [
    ...[0, 1, 2, 3].map((j) => [...op.f32x4Const(1 - j / 1000), ...op.set(X(j))]),
    op.block, op.loop,
    op.i32(0), op.set(1),
    op.loop,
    op.get(1), op.v128Load(0), op.set(15),
    op.get(1), op.v128Load(16), op.set(16),
    ...[0, 1].flatMap((i) => [0, 1, 2, 3].map((j) => mac(i, j, fused))),
    op.get(1), op.i32(32), op.add, op.tee(1), op.i32(BUF), op.ltU, op.brIf(0),
    op.end,
    op.get(0), op.i32(-1), op.add, op.tee(0), op.brIf(0),
    op.end, op.end,
    // keep the accumulators alive: store their sum after the buffer
    op.i32(BUF), ...Array.from({ length: 8 }, (_, k) => [...op.get(3 + k), ...(k > 0 ? op.f32x4Add : [])]), op.v128Store(0),
  ],
});
/** GMAC/s of the peak loop, or null where the host cannot compile it. */
async function peakGmacs(fused) {
  const bytes = W.encodeModule([peakFunc(fused)], 1);
  if (!WebAssembly.validate(bytes)) return null;
  const run = (await WebAssembly.instantiate(bytes)).instance.exports.peak;
  const N = 2e5;
  run(1e3); // warm up (tier-up)
  return median(Array.from({ length: REPS }, () => {
    const t0 = performance.now();
    run(N);
    return (N * (BUF / 32) * 32) / ((performance.now() - t0) * 1e6);
  }));
}
const wasmGmacs = await peakGmacs(false);
const fusedGmacs = await peakGmacs(true);

const ort = await import('onnxruntime-node');
const [M, K, Nn] = [32, 1024, 4096];
// A one-node MatMul model, serialized by hand (ONNX field numbers): the oracle's own kernel.
const L = await loadSources(["export { makeGraph, makeNode, makeTensor, tensorType, exportOnnx } from '@lstmc/ir';"]);
const b = new Float32Array(K * Nn).map((_, i) => Math.sin(i) * 0.01);
const g = L.makeGraph({
  name: 'mm',
  inputs: ['A'],
  outputs: ['Y'],
  initializers: [['B', L.makeTensor('f32', [K, Nn], b)]],
  values: [['A', { name: 'A', type: L.tensorType('f32', [M, K]) }]],
  nodes: [L.makeNode({ op: 'MatMul', name: 'mm', inputs: ['A', 'B'], outputs: ['Y'] })],
  opsets: { '': 14 },
});
const sess = await ort.InferenceSession.create(L.exportOnnx(g), { intraOpNumThreads: 1, interOpNumThreads: 1 });
const feeds = { A: new ort.Tensor('float32', new Float32Array(M * K).fill(0.5), [M, K]) };
for (let i = 0; i < 5; i++) await sess.run(feeds);
const ortGmacs = median(await (async () => {
  const out = [];
  for (let r = 0; r < REPS; r++) {
    const iters = 50;
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) await sess.run(feeds);
    out.push((iters * M * K * Nn) / ((performance.now() - t0) * 1e6));
  }
  return out;
})());

console.log(`wasm simd128 mul+add peak, 1 thread:        ${wasmGmacs.toFixed(1)} GMAC/s`);
console.log(`wasm relaxed_madd (FMA) peak, 1 thread:    ${fusedGmacs === null ? 'no relaxed SIMD on this host' : `${fusedGmacs.toFixed(1)} GMAC/s`}`);
console.log(`onnxruntime MatMul [${M},${K}]x[${K},${Nn}], 1 thread: ${ortGmacs.toFixed(1)} GMAC/s`);
console.log(`best lstmc / ORT-1t for a compute-bound dense product: ${(ortGmacs / wasmGmacs).toFixed(2)}${fusedGmacs === null ? '' : `, ${(ortGmacs / fusedGmacs).toFixed(2)} with FMA`} (goal of issue 10: <= 1.25)`);
