// Expected data for the Silero VAD models of the corpus, computed by
// onnxruntime-node (the workspace's devDependency), the oracle for models
// that were not exported here.
//
//   node tools/scripts/corpus/make_silero_expected.mjs [--out DIR]
//
// (--out: write into DIR/<name>/ instead of the corpus, which the corpus test
// does to check that regenerating changes nothing)
// then rerun make_torch_corpus.py, which writes manifest.json. For each model
// in tools/test/corpus/silero/<name>/ this writes
//   test_data_set_0/input_N.pb, output_N.pb  one frame of seeded noise, zero
//       state, sr 16000, fed as the package that ships the model feeds its
//       first frame (zero context); every output, in graph-output order
//   stream-expected.json  the speech probability of every frame of
//       ../utterance-16k.wav (make_utterance.sh), state fed back, and the
//       final state; per frame size
// The feeding (context, state feedback) is tools/test/silero-stream.ts, the
// same code the corpus test feeds lstmc with. Deterministic: the noise comes
// from @lstmc/testing's seeded generator and ORT runs single-threaded.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import { ROOT, loadSources } from '../load-sources.mjs';

const { encodeRtTensorProto, Rng, randn, frameFeeds, readWav16, runStream, zeroState } = await loadSources([
  "export { encodeRtTensorProto } from '@lstmc/backend-js';",
  "export { Rng, randn } from '@lstmc/testing';",
  "export { frameFeeds, readWav16, runStream, zeroState } from './tools/test/silero-stream.ts';",
]);

const SILERO = join(ROOT, 'tools/test/corpus/silero');
const outAt = process.argv.indexOf('--out');
const OUT = outAt > 0 && process.argv[outAt + 1] ? resolve(process.argv[outAt + 1]) : SILERO;
const AUDIO = 'utterance-16k.wav';
const SR = 16000;
const SEED = 20261206;

/**
 * How each model is fed, as the package that ships it does (its SOURCE.md):
 * state inputs, the outputs fed back into them and their shapes at batch 1;
 * context samples; the frame sizes to stream with (v4 takes 512, 1024 or 1536
 * samples at 16 kHz and vad-web feeds it 1536; v5 and the op-15 export 512).
 */
const MODELS = [
  { name: 'v4-legacy', state: [{ input: 'h', output: 'hn', shape: [2, 1, 64] }, { input: 'c', output: 'cn', shape: [2, 1, 64] }], context: 0, frames: [512, 1536] },
  { name: 'v5', state: [{ input: 'state', output: 'stateN', shape: [2, 1, 128] }], context: 64, frames: [512] },
  { name: '16k-op15', state: [{ input: 'state', output: 'stateN', shape: [2, 1, 128] }], context: 64, frames: [512] },
];

const toOrt = (t) => new ort.Tensor(t.dtype === 'i64' ? 'int64' : 'float32', t.data, t.shape);
const fromOrt = (t) => ({ dtype: t.type === 'int64' ? 'i64' : 'f32', shape: [...t.dims], data: t.data });

/** One ORT call on runtime-style tensors, inputs in the session's (graph) order. */
const runner = (session) => async (feeds) => {
  const f = {};
  for (const n of session.inputNames) {
    if (!feeds[n]) throw new Error(`no feed for input '${n}'`);
    f[n] = toOrt(feeds[n]);
  }
  const out = await session.run(f);
  return Object.fromEntries(session.outputNames.map((n) => [n, fromOrt(out[n])]));
};

async function singleFrame(session, spec, dir) {
  const rng = new Rng(SEED);
  const frame = Float32Array.from({ length: 512 }, () => 0.1 * randn(rng.next));
  const feeds = frameFeeds(spec, new Float32Array(spec.context), frame, zeroState(spec));
  const out = await runner(session)(feeds);
  const ds = join(dir, 'test_data_set_0');
  mkdirSync(ds, { recursive: true });
  session.inputNames.forEach((n, k) => writeFileSync(join(ds, `input_${k}.pb`), encodeRtTensorProto(n, feeds[n])));
  session.outputNames.forEach((n, k) => writeFileSync(join(ds, `output_${k}.pb`), encodeRtTensorProto(n, out[n])));
  return out.output.data[0];
}

/** Mean probability over the frames that lie wholly in [from, to) seconds. */
function meanOver(probabilities, frame, from, to) {
  const ps = probabilities.filter((_, k) => k * frame >= from * SR && (k + 1) * frame <= to * SR);
  return ps.reduce((a, b) => a + b, 0) / ps.length;
}

const wav = readFileSync(join(SILERO, AUDIO));
const { rate, samples } = readWav16(wav);
if (rate !== SR) throw new Error(`${AUDIO} is ${rate} Hz, want ${SR}`);
const seconds = samples.length / SR;
for (const m of MODELS) {
  const dir = join(OUT, m.name);
  const session = await ort.InferenceSession.create(join(SILERO, m.name, 'model.onnx'), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const p0 = await singleFrame(session, { frame: 512, context: m.context, sr: SR, state: m.state }, dir);
  const streams = [];
  for (const frame of m.frames) {
    const spec = { frame, context: m.context, sr: SR, state: m.state };
    const { probabilities, finalState } = await runStream(spec, samples, runner(session));
    streams.push({
      frame,
      context: m.context,
      frames: probabilities.length,
      probabilities,
      final_state: Object.fromEntries(Object.entries(finalState).map(([n, t]) => [n, { shape: t.shape, data: Array.from(t.data) }])),
    });
    const [silence, speech, noise, tail] = [meanOver(probabilities, frame, 0, 1), meanOver(probabilities, frame, 1.1, seconds - 1.1), meanOver(probabilities, frame, seconds - 1, seconds), meanOver(probabilities, frame, seconds - 0.5, seconds)];
    console.log(`${m.name} frame ${frame}: ${probabilities.length} frames; mean p(speech) silence ${silence.toFixed(3)}, speech ${speech.toFixed(3)}, noise ${noise.toFixed(3)} (last 0.5 s ${tail.toFixed(3)}); single frame ${p0.toFixed(4)}`);
    console.log(`  ${probabilities.map((p) => (p > 0.5 ? '#' : p > 0.1 ? '+' : '.')).join('')}`);
  }
  const expected = {
    generator: 'tools/scripts/corpus/make_silero_expected.mjs',
    oracle: `onnxruntime-node ${ort.env.versions?.common ?? ''}`.trim(),
    audio: `../${AUDIO}`,
    audio_sha256: createHash('sha256').update(wav).digest('hex'),
    sr: SR,
    state: m.state,
    streams,
  };
  writeFileSync(join(dir, 'stream-expected.json'), `${JSON.stringify(expected, null, 1)}\n`);
}
