// Voice activity detection with a Silero VAD model compiled by lstmc:
//   npx lstmc compile tools/test/corpus/silero/v5/model.onnx --target js -o vad.lrg
//   node examples/silero-vad/vad.mjs vad.lrg speech.wav
// speech.wav: 16 kHz, mono, 16-bit PCM (e.g. `sox in.wav -r 16000 -c 1 -b 16 speech.wav`).
// Prints the speech probability of every 32 ms frame and the speech segments.
import { readFileSync } from 'node:fs';
import { loadModel } from '@lstmc/runtime';

const [lrg, wav, threshold = '0.5'] = process.argv.slice(2);
if (!lrg || !wav) {
  console.error('usage: node vad.mjs MODEL.lrg AUDIO.wav [THRESHOLD]');
  process.exit(2);
}

/** 16-bit PCM mono WAV -> samples in [-1, 1) and the sample rate. */
function readWav(bytes) {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o) => String.fromCharCode(...bytes.subarray(o, o + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error(`${wav}: not a WAV file`);
  let fmt;
  for (let o = 12; o + 8 <= bytes.length; o += 8 + v.getUint32(o + 4, true) + (v.getUint32(o + 4, true) & 1)) {
    if (tag(o) === 'fmt ') fmt = { format: v.getUint16(o + 8, true), channels: v.getUint16(o + 10, true), rate: v.getUint32(o + 12, true), bits: v.getUint16(o + 22, true) };
    if (tag(o) === 'data') {
      if (!fmt || fmt.format !== 1 || fmt.channels !== 1 || fmt.bits !== 16) throw new Error(`${wav}: want 16-bit PCM mono`);
      const n = Math.min(v.getUint32(o + 4, true), bytes.length - o - 8) >> 1;
      const samples = new Float32Array(n);
      for (let i = 0; i < n; i++) samples[i] = v.getInt16(o + 8 + 2 * i, true) / 32768;
      return { rate: fmt.rate, samples };
    }
  }
  throw new Error(`${wav}: no data chunk`);
}

const model = loadModel(readFileSync(lrg));
const names = model.inputs.map((i) => i.name);
// v5 and later: one `state` [2, 1, 128] and 64 samples of context before each 512-sample frame;
// v4 ("legacy"): `h` and `c` [2, 1, 64], no context.
const v5 = names.includes('state');
const stateIo = v5 ? [['state', 'stateN', [2, 1, 128]]] : [['h', 'hn', [2, 1, 64]], ['c', 'cn', [2, 1, 64]]];
const frame = 512;
const context = v5 ? 64 : 0;
const { rate, samples } = readWav(readFileSync(wav));
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
