// `npm run bench:vad`: Silero VAD as its users run it, on the lstmc JS runtime and on onnxruntime-node
// (one intra-op thread) in this one process: the test utterance (tools/test/corpus/silero/
// utterance-16k.wav, 16 kHz) streamed in 512-sample frames with the state fed back, for each model
// the npm packages ship (tools/test/corpus/silero: v4, v5 and the 16 kHz opset-15 export). v5 and the
// opset-15 export take 64 samples of the previous frame before each frame (as their packages feed
// them), v4 none. Each round streams the whole utterance through lstmc and then through onnxruntime;
// rounds go on for at least LSTMC_BENCH_REPS (default 15) and LSTMC_BENCH_MIN_MS (default 3000) ms
// after LSTMC_BENCH_WARMUP (default 3) warm-up rounds. Prints, per model, the median time per frame of
// each, their ratio, and the largest difference of the speech probabilities (the state, fed back,
// carries any difference from frame to frame).
//
// The compiler and runtime are TypeScript sources, bundled on the fly with esbuild (no build step).
import { readFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import * as ort from 'onnxruntime-node';
import { onnxOnRuntime } from './onnx-on-runtime.mjs';
import { sileroStreamer } from './silero-streamer.mjs';
import { readWav } from '../../examples/silero-vad/wav.mjs';

const REPS = Number(process.env.LSTMC_BENCH_REPS ?? 15);
const WARMUP = Number(process.env.LSTMC_BENCH_WARMUP ?? 3);
const MIN_MS = Number(process.env.LSTMC_BENCH_MIN_MS ?? 3000);
const CORPUS = new URL('../test/corpus/silero/', import.meta.url);
const MODELS = (process.env.LSTMC_BENCH_MODELS ?? 'v4-legacy,v5,16k-op15').split(',');
const FRAME = 512;

const { samples, rate } = readWav(readFileSync(new URL('utterance-16k.wav', CORPUS)), 'utterance-16k.wav');
if (rate !== 16000) throw new Error(`utterance-16k.wav: ${rate} Hz`);
const frames = Math.floor(samples.length / FRAME);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];


console.log(`Silero VAD, lstmc JS runtime vs onnxruntime-node ${ort.env.versions?.common ?? ''} (1 thread) on ${cpus().length} core(s) (${cpus()[0]?.model.trim()}), node ${process.version}`);
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${frames} frames of ${FRAME} samples, ms per frame: median over rounds of the whole utterance`);
console.log(`${'model'.padEnd(10)} ${'lstmc ms'.padStart(9)} ${'ORT-1t ms'.padStart(10)} ${'lstmc/ORT'.padStart(10)} ${'max|dp|'.padStart(9)}  rounds`);
for (const name of MODELS) {
  const bytes = readFileSync(new URL(`${name}/model.onnx`, CORPUS));
  const model = await onnxOnRuntime(bytes, `${name}/model.onnx`);
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const { shapes, stream } = sileroStreamer(model.inputs.map((i) => i.name), samples);
  const sr = { dtype: 'i64', shape: [], data: BigInt64Array.of(16000n) };
  const srOrt = new ort.Tensor('int64', BigInt64Array.of(16000n), []);
  const dataOf = (out) => Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data]));
  const lstmc = () => stream((f) => dataOf(model.run({ sr, ...Object.fromEntries(Object.entries(f).map(([k, v]) => [k, { dtype: 'f32', shape: shapes[k], data: v }])) })));
  const onnx = () => stream(async (f) => dataOf(await session.run({ sr: srOrt, ...Object.fromEntries(Object.entries(f).map(([k, v]) => [k, new ort.Tensor('float32', v, shapes[k])])) })));
  const t = { lstmc: [], ort: [] };
  let dp = 0;
  const start = performance.now();
  for (let r = 0; r < WARMUP + REPS || performance.now() - start < MIN_MS; r++) {
    const t0 = performance.now();
    const a = await lstmc();
    const t1 = performance.now();
    const b = await onnx();
    const t2 = performance.now();
    if (r < WARMUP) continue;
    t.lstmc.push((t1 - t0) / frames);
    t.ort.push((t2 - t1) / frames);
    for (let k = 0; k < frames; k++) dp = Math.max(dp, Math.abs(a[k] - b[k]));
  }
  const [ml, mo] = [median(t.lstmc), median(t.ort)];
  console.log(`${name.padEnd(10)} ${ml.toFixed(3).padStart(9)} ${mo.toFixed(3).padStart(10)} ${(ml / mo).toFixed(2).padStart(10)} ${dp.toExponential(1).padStart(9)}  ${t.lstmc.length}`);
  model.close();
  await session.release();
}
