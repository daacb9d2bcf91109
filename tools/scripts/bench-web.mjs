// `npm run bench:web`: the lstmc runtime against onnxruntime-web in headless Chromium (Debian's
// `chromium`, driven by playwright-core), in one page, as a web app embeds them: lstmc's browser
// bundle (packages/runtime/scripts/bundle.mjs) with matvec 'auto' (relaxed SIMD where the browser has
// it), and onnxruntime-web's WebAssembly backend (SIMD, one thread: a page that is not cross-origin
// isolated has no threads; LSTMC_BENCH_ORT_THREADS sets its numThreads for pages that are).
//
// Models: the three Silero VAD models of tools/test/corpus/silero, streamed as bench-vad.mjs streams
// them (silero-streamer.mjs: the test utterance in 512-sample frames, the state fed back; v5 and the
// opset-15 export with 64 samples of context), and the two keyword-spotting examples run on their test input. Each round runs
// lstmc, then onnxruntime-web; rounds go on for at least LSTMC_BENCH_REPS (default 15) rounds and
// LSTMC_BENCH_MIN_MS (default 3000) ms per model, after LSTMC_BENCH_WARMUP (default 3). Prints the
// medians (ms per frame, or per run: a round repeats a run for about 20 ms, the page's clock ticking in
// 0.1 ms), their ratio, and the largest difference of the outputs (speech
// probabilities, keyword probabilities). LSTMC_BENCH_MODELS: a comma-separated subset.
//
// The compiler and runtime are bundled from the TypeScript sources (no build step); the runtime graphs
// are compiled with -O js in Node and fetched by the page with the ONNX files.
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { bundleRuntime } from '../../packages/runtime/scripts/bundle.mjs';
import { readWav } from '../../examples/silero-vad/wav.mjs';
import { sileroStreamer } from './silero-streamer.mjs';
import { loadSources, ROOT } from './load-sources.mjs';

const L = await loadSources([
  "export { importOnnx, decodeTensorProto } from '@lstmc/ir';",
  "export { lowerToRuntime, makeRuntimeEvaluator } from '@lstmc/backend-js';",
  "export { writeRuntimeGraph } from '@lstmc/runtime/writer';",
  "export { runPipeline, parsePipeline, presetPipeline, builtinRegistry } from '@lstmc/passes';",
  "export { hasChromium, withChromium } from '@lstmc/testing';",
], { external: ['onnxruntime-node', 'playwright-core'] });
const { hasChromium, withChromium } = L;

const env = (k, d) => Number(process.env[k] ?? d);
const OPTS = { warmup: env('LSTMC_BENCH_WARMUP', 3), reps: env('LSTMC_BENCH_REPS', 15), minMs: env('LSTMC_BENCH_MIN_MS', 3000), ortThreads: env('LSTMC_BENCH_ORT_THREADS', 1) };
const SILERO = ['v4-legacy', 'v5', '16k-op15'];
const KWS = ['kws-lstm', 'kws-lstm-sparse'];
const MODELS = (process.env.LSTMC_BENCH_MODELS ?? [...SILERO, ...KWS].join(',')).split(',');
const dirOf = (name) => (SILERO.includes(name) ? join(ROOT, 'tools/test/corpus/silero', name) : join(ROOT, 'examples', name));

/** An ONNX file compiled with -O js into runtime graph bytes. */
async function compile(onnx, file) {
  const g = L.importOnnx(onnx, { file });
  const c = (await L.runPipeline(g, L.parsePipeline(L.presetPipeline('js'), L.builtinRegistry()), { evaluate: L.makeRuntimeEvaluator() })).graph;
  return L.writeRuntimeGraph(L.lowerToRuntime(c));
}

/** A test set's input_N.pb tensors, as { name: { dtype, shape, data: number[] } } for the page (i64 as numbers). */
function testInputs(dir) {
  const set = join(dir, 'test_data_set_0');
  const out = {};
  for (const f of readdirSync(set).filter((f) => /^input_\d+\.pb$/.test(f))) {
    const { name, tensor } = L.decodeTensorProto(readFileSync(join(set, f)), join(set, f));
    out[name] = { dtype: tensor.dtype, shape: [...tensor.dims], data: Array.from(tensor.data, Number) };
  }
  return out;
}

/**
 * Runs in the page: for one model, lstmc and onnxruntime-web timed in interleaved rounds. A Silero
 * model streams `samples` frame by frame; another runs once per round on `inputs`.
 */
const PAGE_SCRIPT = `async ({ name, silero, samples, inputs, opts }) => {
  ${sileroStreamer.toString()}
  const rt = await import('/lstmc-runtime.mjs');
  const ort = await import('/ort/ort.wasm.min.mjs');
  ort.env.wasm.wasmPaths = '/ort/';
  ort.env.wasm.numThreads = opts.ortThreads;
  const [lrg, onnx] = await Promise.all(['model.lrg', 'model.onnx'].map(async (f) => new Uint8Array(await (await fetch('/m/' + name + '/' + f)).arrayBuffer())));
  const model = rt.loadModel(lrg);
  const session = await ort.InferenceSession.create(onnx, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const ortType = { f32: 'float32', i64: 'int64' };
  const typed = (t) => (t.dtype === 'i64' ? BigInt64Array.from(t.data, BigInt) : Float32Array.from(t.data));
  let step, frames = 1, output;
  if (silero) {
    const streamer = sileroStreamer(model.inputs.map((i) => i.name), Float32Array.from(samples));
    const { shapes, stream } = streamer;
    frames = streamer.frames;
    const srL = { dtype: 'i64', shape: [], data: BigInt64Array.of(16000n) };
    const srO = new ort.Tensor('int64', BigInt64Array.of(16000n), []);
    const dataOf = (out) => Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data]));
    step = {
      lstmc: () => stream(async (f) => dataOf(model.run({ sr: srL, ...Object.fromEntries(Object.entries(f).map(([k, v]) => [k, { dtype: 'f32', shape: shapes[k], data: v }])) }))),
      ort: () => stream(async (f) => dataOf(await session.run({ sr: srO, ...Object.fromEntries(Object.entries(f).map(([k, v]) => [k, new ort.Tensor('float32', v, shapes[k])])) }))),
    };
  } else {
    const feedL = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, { dtype: t.dtype, shape: t.shape, data: typed(t) }]));
    const feedO = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, new ort.Tensor(ortType[t.dtype], typed(t), t.shape)]));
    output = model.outputs[0].name;
    // The page's clock ticks in 0.1 ms (no cross-origin isolation): a round runs each \`frames\` times, about 20 ms.
    const once = { lstmc: async () => model.run(feedL)[output].data, ort: async () => (await session.run(feedO))[output].data };
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) await once.ort();
    frames = Math.max(1, Math.ceil(20 / Math.max(0.01, (performance.now() - t0) / 20)));
    const repeat = (f) => async () => {
      let y;
      for (let i = 0; i < frames; i++) y = await f();
      return y;
    };
    step = { lstmc: repeat(once.lstmc), ort: repeat(once.ort) };
  }
  const t = { lstmc: [], ort: [] };
  let diff = 0;
  const start = performance.now();
  for (let r = 0; r < opts.warmup + opts.reps || performance.now() - start < opts.minMs; r++) {
    const t0 = performance.now();
    const a = await step.lstmc();
    const t1 = performance.now();
    const b = await step.ort();
    const t2 = performance.now();
    if (r < opts.warmup) continue;
    t.lstmc.push((t1 - t0) / frames);
    t.ort.push((t2 - t1) / frames);
    for (let k = 0; k < a.length; k++) diff = Math.max(diff, Math.abs(a[k] - b[k]));
  }
  const median = (xs) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
  await session.release();
  return { lstmc: median(t.lstmc), ort: median(t.ort), diff, rounds: t.lstmc.length, frames, relaxed: rt.hasRelaxedSimd(), ua: navigator.userAgent };
}`;

async function main() {
  if (!hasChromium('bench:web')) process.exit(1);
  const tmp = mkdtempSync(join(tmpdir(), 'lstmc-bench-web-'));
  try {
    const bundle = readFileSync(await bundleRuntime(join(tmp, 'lstmc-runtime.mjs')));
    const ortDir = join(createRequire(import.meta.url).resolve('onnxruntime-web'), '..');
    const ortVersion = JSON.parse(readFileSync(join(ortDir, '..', 'package.json'), 'utf8')).version;
    const files = new Map();
    for (const name of MODELS) {
      const onnx = readFileSync(join(dirOf(name), 'model.onnx'));
      files.set(`/m/${name}/model.onnx`, onnx);
      files.set(`/m/${name}/model.lrg`, Buffer.from(await compile(onnx, `${name}/model.onnx`)));
    }
    const { samples, rate } = readWav(readFileSync(join(ROOT, 'tools/test/corpus/silero/utterance-16k.wav')), 'utterance-16k.wav');
    if (rate !== 16000) throw new Error(`utterance-16k.wav: ${rate} Hz`);
    const types = { mjs: 'text/javascript', wasm: 'application/wasm', html: 'text/html' };
    await withChromium(async (context) => {
      await context.route('http://lstmc.test/**', async (route) => {
        const path = new URL(route.request().url()).pathname;
        let body = path === '/' ? Buffer.from('<!doctype html><title>bench:web</title>') : path === '/lstmc-runtime.mjs' ? bundle : files.get(path);
        if (!body && path.startsWith('/ort/') && !path.includes('..')) {
          try {
            body = readFileSync(join(ortDir, path.slice(5)));
          } catch {
            body = undefined;
          }
        }
        if (!body) return route.fulfill({ status: 404, body: 'not found' });
        return route.fulfill({ status: 200, body, contentType: types[path.split('.').at(-1)] ?? 'text/html' });
      });
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
      await page.goto('http://lstmc.test/');
      let header = false;
      for (const name of MODELS) {
        const silero = SILERO.includes(name);
        const r = await page.evaluate(`(${PAGE_SCRIPT})(${JSON.stringify({ name, silero, samples: silero ? Array.from(samples) : [], inputs: silero ? {} : testInputs(dirOf(name)), opts: OPTS })})`);
        if (!header) {
          console.log(`lstmc runtime (matvec 'auto': ${r.relaxed ? 'relaxed SIMD' : 'plain SIMD'}) vs onnxruntime-web ${ortVersion} (WebAssembly, ${OPTS.ortThreads} thread${OPTS.ortThreads > 1 ? 's' : ''}) in headless ${r.ua.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? 'Chromium'}, ${cpus().length} core(s) (${cpus()[0]?.model.trim()})`);
          console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; medians over interleaved rounds (Silero: ms per 512-sample frame of the streamed utterance; kws: ms per run)`);
          console.log(`${'model'.padEnd(16)} ${'lstmc ms'.padStart(9)} ${'ORT-web ms'.padStart(11)} ${'lstmc/ORT'.padStart(10)} ${'max|d|'.padStart(9)}  rounds`);
          header = true;
        }
        console.log(`${name.padEnd(16)} ${r.lstmc.toFixed(3).padStart(9)} ${r.ort.toFixed(3).padStart(11)} ${(r.lstmc / r.ort).toFixed(2).padStart(10)} ${r.diff.toExponential(1).padStart(9)}  ${r.rounds}`);
      }
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
