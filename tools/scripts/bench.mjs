// `npm run bench`: the lstmc JS runtime against onnxruntime-node on single-layer forward LSTMs
// (I=256/H=512 and I=H=1024, T=100, batch 1, 8 and 32), for the rows of issue 10's "Done when" with
// the goal beside each. Each model is built as an ONNX file, optionally pruned by lstmc's own `prune`
// pass, compiled with `-O js` and lowered by the JS backend, and run by lstmc and by onnxruntime with
// one intra-op thread (ORT-1t) and with its default threading (ORT-def), all in this one process.
// ORT has no sparse LSTM: it runs every pruned model densely. Times are medians of repeated runs after
// warm-up, interleaved (lstmc, ORT-1t, ORT-def per repetition) so machine noise hits all three alike.
//
// Cases (LSTMC_BENCH_CASES=comma list to pick; LSTMC_BENCH_BATCHES=1,8 and LSTMC_BENCH_SIZES=256x512
// likewise): dense, dense2t / dense2tF (dense with the load option threads: 2, plain / FMA, judged against ORT-def), block90/block95 (`prune{method=block,block=4x1}`: four rows of one gate share
// their columns), bal90/bal95 (`prune{method=balanced}`), balg90/balg95 (`prune{method=balanced,group=4}`:
// PE-balanced, and four units of one gate keep the same columns), balw90/balw95 (group=16: sixteen units
// of a gate share their columns, the wide row-group kernels gsw), int8, int8sp90 / int8balw90 / int8bal90
// (the block90 / balw90 / bal90 models on the load option lstmWeights: 'int8': four-unit and wide row
// groups int8 (gsq, gswq), while bal90's compressed rows stay f32, which is faster there; goal that of
// 90% f32), zero90 (dense weights, 90% of
// every input vector zero; its goal is against the same model on dense inputs). The int8 rows run with
// the load option lstmWeights: 'int8'; their max|dY| column is the error against onnxruntime's float32
// result.
// Every row runs the plain WebAssembly SIMD module (load option matvec: 'wasm-simd', what Node 20 runs
// by default) except the "FMA" rows, which run its relaxed-SIMD variant (matvec: 'wasm-relaxed', fused
// multiply-adds: what 'auto' picks in Chrome 114+ and Node 22). This script enables relaxed SIMD in its
// own process (v8.setFlagsFromString, as `node --experimental-wasm-relaxed-simd` would) so both run in
// one process; the FMA rows print "no relaxed SIMD" where the host still lacks it.
// Env: LSTMC_BENCH_REPS (default 7), LSTMC_BENCH_WARMUP (3), LSTMC_BENCH_MIN_MS (1000). Warm-up and
// timed rounds are both interleaved and both time-based as well: warm-up rounds go on until every
// runner has run WARMUP times and for MIN_MS / 2 in all (lstmc's first runs on this VM are up to 2x
// its steady time while the wasm tiers up, the caches fill and onnxruntime's new sessions settle),
// and timed rounds until there are REPS of them and the round total reaches MIN_MS (at most 200).
//
// The compiler and runtime are TypeScript sources: they are bundled on the fly with esbuild into a
// temporary .mjs (no build step needed).
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import * as ort from 'onnxruntime-node';
import { randomF32 } from './random-f32.mjs';
import { loadSources } from './load-sources.mjs';

const REPS = Number(process.env.LSTMC_BENCH_REPS ?? 7);
const WARMUP = Number(process.env.LSTMC_BENCH_WARMUP ?? 3);
const MIN_MS = Number(process.env.LSTMC_BENCH_MIN_MS ?? 1000);
const MAX_ROUNDS = 200;
const T = 100;
const list = (name, def) => (process.env[name] ? process.env[name].split(',') : def);
const SIZES = list('LSTMC_BENCH_SIZES', ['256x512', '1024x1024']).map((s) => {
  const [I, H] = s.split('x').map(Number);
  return { I, H };
});
const BATCHES = list('LSTMC_BENCH_BATCHES', ['1', '8', '32']).map(Number);

/**
 * The rows. prune: the pipeline run before `-O js` (none: dense weights); goal: the target ratio;
 * against: 'ort' (lstmc / ORT-1t), 'ort-def' (lstmc / ORT with its default threads) or 'dense-input'
 * (lstmc on this case / lstmc on dense inputs); load: the runtime's load options;
 * relaxed: run the relaxed-SIMD module (fused multiply-adds) instead of the plain one;
 * built: false for a row whose kernel does not exist yet (printed as such, not measured).
 */
const CASES = {
  dense: { label: 'dense f32', prune: null, goal: 1.25, against: 'ort', built: true },
  denseF: { label: 'dense f32 FMA', prune: null, relaxed: true, goal: 1.25, against: 'ort', built: true },
  dense2t: { label: 'dense f32 2 thr.', prune: null, load: { threads: 2 }, goal: 1.25, against: 'ort-def', built: true },
  dense2tF: { label: 'dense 2 thr. FMA', prune: null, load: { threads: 2 }, relaxed: true, goal: 1.25, against: 'ort-def', built: true },
  block90: { label: '90% block4x1 f32', prune: 'prune{method=block,block=4x1,sparsity=0.9}', goal: 0.25, against: 'ort', built: true },
  block95: { label: '95% block4x1 f32', prune: 'prune{method=block,block=4x1,sparsity=0.95}', goal: 0.15, against: 'ort', built: true },
  bal90: { label: '90% balanced f32', prune: 'prune{method=balanced,sparsity=0.9}', goal: 0.25, against: 'ort', built: true },
  bal95: { label: '95% balanced f32', prune: 'prune{method=balanced,sparsity=0.95}', goal: 0.15, against: 'ort', built: true },
  balg90: { label: '90% bal. g4 f32', prune: 'prune{method=balanced,group=4,sparsity=0.9}', goal: 0.25, against: 'ort', built: true },
  balg95: { label: '95% bal. g4 f32', prune: 'prune{method=balanced,group=4,sparsity=0.95}', goal: 0.15, against: 'ort', built: true },
  balw90: { label: '90% bal. g16 f32', prune: 'prune{method=balanced,group=16,sparsity=0.9}', goal: 0.25, against: 'ort', built: true },
  balw95: { label: '95% bal. g16 f32', prune: 'prune{method=balanced,group=16,sparsity=0.95}', goal: 0.15, against: 'ort', built: true },
  balw90F: { label: '90% bal. g16 FMA', prune: 'prune{method=balanced,group=16,sparsity=0.9}', relaxed: true, goal: 0.25, against: 'ort', built: true },
  balw95F: { label: '95% bal. g16 FMA', prune: 'prune{method=balanced,group=16,sparsity=0.95}', relaxed: true, goal: 0.15, against: 'ort', built: true },
  int8: { label: 'int8 dense', prune: null, load: { lstmWeights: 'int8' }, goal: 0.5, against: 'ort', built: true },
  int8sp90: { label: 'int8 90% block4x1', prune: 'prune{method=block,block=4x1,sparsity=0.9}', load: { lstmWeights: 'int8' }, goal: 0.25, against: 'ort', built: true },
  int8balw90: { label: 'int8 90% bal. g16', prune: 'prune{method=balanced,group=16,sparsity=0.9}', load: { lstmWeights: 'int8' }, goal: 0.25, against: 'ort', built: true },
  int8bal90: { label: 'int8 90% balanced', prune: 'prune{method=balanced,sparsity=0.9}', load: { lstmWeights: 'int8' }, goal: 0.25, against: 'ort', built: true },
  zero90: { label: '90%-zero inputs', prune: null, zeroInputs: 0.9, goal: 1 / 1.5, against: 'dense-input', built: true },
  zero90F: { label: '90%-zero inp. FMA', prune: null, zeroInputs: 0.9, relaxed: true, goal: 1 / 1.5, against: 'dense-input', built: true },
};
const CASE_NAMES = list('LSTMC_BENCH_CASES', Object.keys(CASES));

async function loadLstmc() {
  return loadSources([
    "export { makeGraph, makeNode, makeTensor, tensorType, inferTypes, exportOnnx, importOnnx } from '@lstmc/ir';",
    "export { lowerToRuntime, makeRuntimeEvaluator } from '@lstmc/backend-js';",
    "export { createModel, hasRelaxedSimd } from '@lstmc/runtime';",
    "export { runPipeline, parsePipeline, presetPipeline, builtinRegistry } from '@lstmc/passes';",
  ]);
}

/** Zeroes a deterministic fraction `z` of the entries of every input vector (ReLU-like features). */
function zeroInputs(x, I, z) {
  const out = x.slice();
  const keep = randomF32(x.length, 1, 99);
  for (let i = 0; i < out.length; i++) if (Math.abs(keep[i]) < z) out[i] = 0;
  return out;
}

function lstmGraph(L, I, H, B, w) {
  const s = 1 / Math.sqrt(H);
  return L.inferTypes(L.makeGraph({
    name: `lstm_${I}_${H}`,
    inputs: ['X'],
    outputs: ['Y', 'Y_h', 'Y_c'],
    initializers: [
      ['W', L.makeTensor('f32', [1, 4 * H, I], w?.W ?? randomF32(4 * H * I, s, 1))],
      ['R', L.makeTensor('f32', [1, 4 * H, H], w?.R ?? randomF32(4 * H * H, s, 2))],
      ['B', L.makeTensor('f32', [1, 8 * H], randomF32(8 * H, s, 3))],
    ],
    values: [['X', { name: 'X', type: L.tensorType('f32', [T, B, I]) }]],
    nodes: [L.makeNode({ op: 'LSTM', name: 'lstm', inputs: ['X', 'W', 'R', 'B'], outputs: ['Y', 'Y_h', 'Y_c'], attrs: { hidden_size: { kind: 'int', value: H } } })],
    opsets: { '': 14 },
  }));
}

const runPipe = async (L, g, text) => (await L.runPipeline(g, L.parsePipeline(text, L.builtinRegistry()), { evaluate: L.makeRuntimeEvaluator() })).graph;

/** W and R after the case's pruning (pruned once per size, reused for every batch). */
async function caseWeights(L, I, H, c) {
  if (!c.prune) return null;
  const g = await runPipe(L, lstmGraph(L, I, H, 1, null), c.prune);
  return { W: g.initializers.get('W').data, R: g.initializers.get('R').data };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function maxAbsDiff(a, b) {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/**
 * Medians of lstmc, ORT-1t and ORT-def on one compiled model and one input; with `x0`, also of lstmc on
 * x0 (`lstmcBase`, the same model on dense inputs), interleaved with the others.
 */
async function measure(L, g, bytes, shape, x, x0, load) {
  const rt = L.lowerToRuntime(await runPipe(L, g, L.presetPipeline('js')));
  const model = L.createModel(rt, load);
  // The threads a product runs on once the workers are up (1 where the host has no threads).
  const threads = await model.threadsReady();
  const kernel = rt.nodes.find((n) => n.kernel.startsWith('lstm.')).kernel + (load?.lstmWeights === 'int8' ? '/i8' : '') + (load?.matvec === 'wasm-relaxed' ? '/fma' : '') + (threads > 1 ? `/${threads}t` : '');
  const feed = { X: { dtype: 'f32', shape, data: x } };
  const ortFeed = { X: new ort.Tensor('float32', x, shape) };
  const single = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  // Default threading, with its threads told to stop spinning when a run returns (ORT's
  // session.force_spinning_stop; they still spin within a run): otherwise they spin on for tens of
  // milliseconds and, on 2 cores, take the cores the next runner (lstmc) needs. Measured: ORT-def's own
  // time is unchanged by it, and lstmc with threads: 2 right after it ran 13-14 ms without it, 6.5 with it.
  const multi = await ort.InferenceSession.create(bytes, { extra: { session: { force_spinning_stop: '1' } } });
  const runners = {
    lstmc: async () => model.run(feed).Y.data,
    ort1: async () => (await single.run(ortFeed)).Y.data,
    ortN: async () => (await multi.run(ortFeed)).Y.data,
    ...(x0 ? { lstmcBase: async () => model.run({ X: { dtype: 'f32', shape, data: x0 } }).Y.data } : {}),
  };
  const ys = {};
  // Interleaved rounds (every runner once per round) until `rounds` of them and `ms` in all.
  const rounds = async (min, ms, keep) => {
    const t = Object.fromEntries(Object.keys(runners).map((k) => [k, []]));
    const start = performance.now();
    for (let r = 0; r < MAX_ROUNDS && (r < min || performance.now() - start < ms); r++)
      for (const [k, f] of Object.entries(runners)) {
        const t0 = performance.now();
        const y = await f();
        t[k].push(performance.now() - t0);
        if (keep) ys[k] = y;
      }
    return t;
  };
  await rounds(WARMUP, MIN_MS / 2, true);
  const times = await rounds(REPS, MIN_MS, false);
  await single.release();
  await multi.release();
  model.close();
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  return { kernel, ...m, err: Math.max(maxAbsDiff(ys.lstmc, ys.ort1), maxAbsDiff(ys.lstmc, ys.ortN)) };
}

async function main() {
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  const L = await loadLstmc();
  const relaxed = L.hasRelaxedSimd();
  console.log(`lstmc JS runtime vs onnxruntime-node ${ort.env.versions?.common ?? ''} on ${cpus().length} core(s) (${cpus()[0]?.model ?? '?'}), node ${process.version}`);
  // Timings on a busy machine are not comparable: say how busy it was.
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`single-layer forward LSTM, T=${T}, median of at least ${REPS} interleaved runs and ${MIN_MS} ms, after at least ${WARMUP} warm-up runs and ${MIN_MS / 2} ms\n`);
  const fmt = (v, w) => (v === undefined ? '' : v.toFixed(2)).padStart(w);
  console.log('batch     I     H  case               lstmc kernel         lstmc ms  ORT-1t ms  ORT-def ms  lstmc/ORT-1t  lstmc/ORT-def  max|dY|  ratio  goal     ');
  let met = 0;
  let missed = 0;
  for (const { I, H } of SIZES) {
    const weights = {};
    for (const name of CASE_NAMES) if (CASES[name].built) weights[name] = await caseWeights(L, I, H, CASES[name]);
    for (const B of BATCHES) {
      for (const name of CASE_NAMES) {
        const c = CASES[name];
        const head = `${String(B).padStart(5)} ${String(I).padStart(5)} ${String(H).padStart(5)}  ${c.label.padEnd(18)}`;
        if (!c.built || (c.relaxed && !relaxed)) {
          console.log(`${head} ${c.built ? 'no relaxed SIMD' : 'not built yet  '}${' '.repeat(95)}goal ${c.goal === null ? '-' : `<= ${c.goal}`}`);
          continue;
        }
        const g = lstmGraph(L, I, H, B, weights[name]);
        const bytes = L.exportOnnx(g);
        const x0 = randomF32(T * B * I, 1, 4);
        const x = c.zeroInputs ? zeroInputs(x0, I, c.zeroInputs) : x0;
        // The 90%-zero row is judged against the same model on dense inputs, timed in the same loop.
        const load = { matvec: c.relaxed ? 'wasm-relaxed' : 'wasm-simd', ...c.load };
        const r = await measure(L, g, bytes, [T, B, I], x, c.against === 'dense-input' ? x0 : undefined, load);
        const base = { 'dense-input': r.lstmcBase, ort: r.ort1, 'ort-def': r.ortN }[c.against];
        const ratio = r.lstmc / base;
        const ok = ratio <= c.goal;
        if (ok) met++;
        else missed++;
        const goal = { 'dense-input': `<= ${c.goal.toFixed(2)} of dense input`, ort: `<= ${c.goal}`, 'ort-def': `<= ${c.goal} of ORT-def` }[c.against];
        console.log(
          `${head} ${r.kernel.padEnd(18)} ${fmt(r.lstmc, 9)} ${fmt(r.ort1, 10)} ${fmt(r.ortN, 11)} ${fmt(r.lstmc / r.ort1, 13)} ${fmt(r.lstmc / r.ortN, 14)}  ${r.err.toExponential(1)} ${fmt(ratio, 6)}  ${goal} ${ok ? 'met' : 'MISSED'}`,
        );
      }
    }
  }
  console.log(`\n${met} goals met, ${missed} missed; rows 'not built yet' have no kernel. ratio = lstmc / ORT-1t, except for 2 threads (lstmc / ORT-def) and 90%-zero inputs (lstmc on them / lstmc on the same model with dense inputs).`);
}

await main();
