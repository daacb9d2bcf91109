// `npm run bench`: the lstmc JS runtime against onnxruntime-node on single-layer LSTMs
// (I=256/H=512 and I=H=1024, T=100, batch 1). Each model is built as an ONNX file, compiled by the
// JS backend (import -> lower -> runtime graph) and run by both; ORT runs with one intra-op thread
// and with its default threading. Times are medians of repeated runs after warm-up.
//
// The compiler and runtime are TypeScript sources: they are bundled on the fly with esbuild into a
// temporary .mjs (no build step needed). Env: LSTMC_BENCH_REPS (default 15), LSTMC_BENCH_WARMUP (3).
//
// Pruned rows: the same shapes with W and R magnitude-pruned to 90% and 95%, compiled with `-O js`
// (so lstmc runs them on lstm.sparse.f32); ORT has no sparse LSTM and runs the same pruned model densely.
import { cpus, loadavg } from 'node:os';
import * as ort from 'onnxruntime-node';
import { randomF32 } from './random-f32.mjs';
import { loadSources } from './load-sources.mjs';

const REPS = Number(process.env.LSTMC_BENCH_REPS ?? 15);
const WARMUP = Number(process.env.LSTMC_BENCH_WARMUP ?? 3);
const T = 100;
const CONFIGS = [
  { I: 256, H: 512 },
  { I: 1024, H: 1024 },
];
const SPARSITIES = [0, 0.9, 0.95];

async function loadLstmc() {
  return loadSources([
    "export { makeGraph, makeNode, makeTensor, tensorType, inferTypes, exportOnnx, importOnnx } from '@lstmc/ir';",
    "export { lowerToRuntime, makeRuntimeEvaluator } from '@lstmc/backend-js';",
    "export { createModel } from '@lstmc/runtime';",
    "export { runPipeline, parsePipeline, presetPipeline, builtinRegistry } from '@lstmc/passes';",
  ]);
}

/** Zeroes the fraction `sp` of smallest magnitudes. */
function prune(m, sp) {
  if (sp <= 0) return m;
  const th = Float32Array.from(m, Math.abs).sort()[Math.floor(sp * m.length)];
  return m.map((v) => (Math.abs(v) < th ? 0 : v));
}

function lstmOnnx(L, I, H, sp) {
  const s = 1 / Math.sqrt(H);
  const g = L.makeGraph({
    name: `lstm_${I}_${H}`,
    inputs: ['X'],
    outputs: ['Y', 'Y_h', 'Y_c'],
    initializers: [
      ['W', L.makeTensor('f32', [1, 4 * H, I], prune(randomF32(4 * H * I, s, 1), sp))],
      ['R', L.makeTensor('f32', [1, 4 * H, H], prune(randomF32(4 * H * H, s, 2), sp))],
      ['B', L.makeTensor('f32', [1, 8 * H], randomF32(8 * H, s, 3))],
    ],
    values: [['X', { name: 'X', type: L.tensorType('f32', [T, 1, I]) }]],
    nodes: [L.makeNode({ op: 'LSTM', name: 'lstm', inputs: ['X', 'W', 'R', 'B'], outputs: ['Y', 'Y_h', 'Y_c'], attrs: { hidden_size: { kind: 'int', value: H } } })],
    opsets: { '': 14 },
  });
  return L.exportOnnx(L.inferTypes(g));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function maxAbsDiff(a, b) {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function main() {
  const L = await loadLstmc();
  console.log(`lstmc JS runtime vs onnxruntime-node ${ort.env.versions?.common ?? ''} on ${cpus().length} core(s) (${cpus()[0]?.model ?? '?'}), node ${process.version}`);
  // Timings on a busy machine are not comparable: say how busy it was.
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`single-layer forward LSTM, T=${T}, batch 1, median of ${REPS} runs after ${WARMUP} warm-up runs\n`);
  const rows = [];
  for (const sp of SPARSITIES) for (const { I, H } of CONFIGS) {
    const bytes = lstmOnnx(L, I, H, sp);
    let g = L.importOnnx(bytes, { file: `lstm_${I}_${H}.onnx` });
    // Pruned models go through `-O js`, which picks the sparse kernel for them.
    if (sp > 0) g = (await L.runPipeline(g, L.parsePipeline(L.presetPipeline('js'), L.builtinRegistry()), { evaluate: L.makeRuntimeEvaluator() })).graph;
    const rt = L.lowerToRuntime(g);
    const kernel = rt.nodes.find((n) => n.kernel.startsWith('lstm.')).kernel;
    const model = L.createModel(rt);
    const x = randomF32(T * I, 1, 4);
    const feed = { X: { dtype: 'f32', shape: [T, 1, I], data: x } };
    const ortFeed = { X: new ort.Tensor('float32', x, [T, 1, I]) };
    const single = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const multi = await ort.InferenceSession.create(bytes);
    const runners = {
      lstmc: async () => model.run(feed).Y.data,
      ort1: async () => (await single.run(ortFeed)).Y.data,
      ortN: async () => (await multi.run(ortFeed)).Y.data,
    };
    const ys = {};
    for (const [k, f] of Object.entries(runners)) for (let r = 0; r < WARMUP; r++) ys[k] = await f();
    const times = { lstmc: [], ort1: [], ortN: [] };
    // Interleaved so that machine noise hits all three alike.
    for (let r = 0; r < REPS; r++)
      for (const [k, f] of Object.entries(runners)) {
        const t0 = performance.now();
        await f();
        times[k].push(performance.now() - t0);
      }
    const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
    const err = Math.max(maxAbsDiff(ys.lstmc, ys.ort1), maxAbsDiff(ys.lstmc, ys.ortN));
    rows.push({ I, H, sp, kernel, ...m, err });
    await single.release();
    await multi.release();
  }
  const fmt = (v) => v.toFixed(2).padStart(9);
  console.log('    I     H  pruned  lstmc kernel       lstmc ms  ORT-1t ms  ORT-def ms  lstmc/ORT-1t  lstmc/ORT-def  max|dY|');
  for (const r of rows)
    console.log(
      `${String(r.I).padStart(5)} ${String(r.H).padStart(5)} ${(r.sp ? `${r.sp * 100}%` : '-').padStart(7)}  ${r.kernel.padEnd(16)} ${fmt(r.lstmc)} ${fmt(r.ort1).padStart(10)} ${fmt(r.ortN).padStart(11)} ${r.lstmc / r.ort1 >= 0 ? (r.lstmc / r.ort1).toFixed(2).padStart(13) : ''} ${(r.lstmc / r.ortN).toFixed(2).padStart(14)}  ${r.err.toExponential(1)}`,
    );
  console.log('\ngoal: lstmc/ORT-1t <= 1.25');
}

await main();
