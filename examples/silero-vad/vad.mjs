// Voice activity detection with a Silero VAD model compiled by lstmc:
//   npx lstmc compile tools/test/corpus/silero/v5/model.onnx --target js -o vad.lrg
//   node examples/silero-vad/vad.mjs vad.lrg speech.wav
// speech.wav: 16 kHz, mono, 16-bit PCM (e.g. `sox in.wav -r 16000 -c 1 -b 16 speech.wav`).
// Prints the speech probability of every 32 ms frame and the speech segments.
import { readFileSync } from 'node:fs';
import { loadModel } from '@lstmc/runtime';
import { readWav } from './wav.mjs';

const [lrg, wav, threshold = '0.5'] = process.argv.slice(2);
if (!lrg || !wav) {
  console.error('usage: node vad.mjs MODEL.lrg AUDIO.wav [THRESHOLD]');
  process.exit(2);
}

const model = loadModel(readFileSync(lrg));
const names = model.inputs.map((i) => i.name);
// v5 and later: one `state` [2, 1, 128] and 64 samples of context before each 512-sample frame;
// v4 ("legacy"): `h` and `c` [2, 1, 64], no context.
const v5 = names.includes('state');
const stateIo = v5 ? [['state', 'stateN', [2, 1, 128]]] : [['h', 'hn', [2, 1, 64]], ['c', 'cn', [2, 1, 64]]];
const frame = 512;
const context = v5 ? 64 : 0;
const { rate, samples } = readWav(readFileSync(wav), wav);
if (rate !== 16000) throw new Error(`${wav}: ${rate} Hz; this example feeds 16 kHz`);

let state = Object.fromEntries(stateIo.map(([i, , shape]) => [i, { dtype: 'f32', shape, data: new Float32Array(shape.reduce((a, b) => a * b)) }]));
const sr = { dtype: 'i64', shape: [], data: BigInt64Array.of(16000n) };
let prev = new Float32Array(context);
let speechFrom = -1;
const ms = (k) => ((k * frame * 1000) / rate).toFixed(0);
for (let k = 0; (k + 1) * frame <= samples.length; k++) {
  const chunk = samples.subarray(k * frame, (k + 1) * frame);
  const x = new Float32Array(context + frame);
  x.set(prev.subarray(prev.length - context));
  x.set(chunk, context);
  const out = model.run({ input: { dtype: 'f32', shape: [1, x.length], data: x }, sr, ...state });
  state = Object.fromEntries(stateIo.map(([i, o]) => [i, out[o]]));
  prev = chunk;
  const p = out.output.data[0];
  console.log(`${ms(k).padStart(6)} ms  ${p.toFixed(3)}  ${'#'.repeat(Math.round(p * 40))}`);
  if (p >= Number(threshold) && speechFrom < 0) speechFrom = k;
  if (p < Number(threshold) && speechFrom >= 0) {
    console.log(`speech ${ms(speechFrom)}-${ms(k)} ms`);
    speechFrom = -1;
  }
}
if (speechFrom >= 0) console.log(`speech ${ms(speechFrom)} ms to the end`);
