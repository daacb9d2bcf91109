import type { RtTensor } from '@lstmc/runtime';

/**
 * How a Silero VAD model is fed frame by frame, the way the npm packages that
 * ship it do (tools/test/corpus/silero/<name>/SOURCE.md). Shared by the
 * generator of the expected data (tools/scripts/corpus/make_silero_expected.mjs,
 * on onnxruntime-node) and the corpus test (on lstmc), so both feed the same
 * tensors. Silero's interface: `input` f32 [1, samples], `sr` i64 [],
 * state inputs fed back from their outputs, speech probability in `output`.
 */
export interface StreamSpec {
  /** Samples per frame. */
  readonly frame: number;
  /** Samples of the previous frame prefixed to each frame (zeros before the first). */
  readonly context: number;
  readonly sr: number;
  /** Each state input, the output that replaces it after a frame, and its (zero) initial shape. */
  readonly state: readonly { readonly input: string; readonly output: string; readonly shape: readonly number[] }[];
}

export type Feeds = Record<string, RtTensor>;
export type RunFrame = (feeds: Feeds) => Feeds | Promise<Feeds>;

export interface StreamResult {
  readonly probabilities: number[];
  /** The last state, by output name. */
  readonly finalState: Feeds;
}

/** 16-bit PCM mono WAV -> f32 samples (sample / 32768) and the sample rate. */
export function readWav16(bytes: Uint8Array): { rate: number; samples: Float32Array } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) => String.fromCharCode(...bytes.subarray(o, o + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let fmt: { format: number; channels: number; rate: number; bits: number } | undefined;
  for (let o = 12; o + 8 <= bytes.length; ) {
    const id = tag(o);
    const size = v.getUint32(o + 4, true);
    if (id === 'fmt ') fmt = { format: v.getUint16(o + 8, true), channels: v.getUint16(o + 10, true), rate: v.getUint32(o + 12, true), bits: v.getUint16(o + 22, true) };
    if (id === 'data') {
      if (!fmt || fmt.format !== 1 || fmt.channels !== 1 || fmt.bits !== 16) throw new Error(`want 16-bit PCM mono, got ${JSON.stringify(fmt)}`);
      const samples = new Float32Array(Math.min(size, bytes.length - o - 8) >> 1);
      for (let i = 0; i < samples.length; i++) samples[i] = v.getInt16(o + 8 + 2 * i, true) / 32768;
      return { rate: fmt.rate, samples };
    }
    o += 8 + size + (size & 1);
  }
  throw new Error('no data chunk');
}

export function zeroState(spec: StreamSpec): Feeds {
  const s: Feeds = {};
  for (const { input, shape } of spec.state) s[input] = { dtype: 'f32', shape: [...shape], data: new Float32Array(shape.reduce((a, b) => a * b, 1)) };
  return s;
}

/** The inputs of one call: `frame` with `prev` (the context) in front, sr, and the state. */
export function frameFeeds(spec: StreamSpec, prev: Float32Array, frame: Float32Array, state: Feeds): Feeds {
  const x = new Float32Array(spec.context + frame.length);
  x.set(prev.subarray(prev.length - spec.context), 0);
  x.set(frame, spec.context);
  return { input: { dtype: 'f32', shape: [1, x.length], data: x }, sr: { dtype: 'i64', shape: [], data: BigInt64Array.from([BigInt(spec.sr)]) }, ...state };
}

/** Runs every whole frame of `audio` (a trailing partial frame is dropped), feeding the state back. */
export async function runStream(spec: StreamSpec, audio: Float32Array, run: RunFrame): Promise<StreamResult> {
  let state = zeroState(spec);
  let prev: Float32Array = new Float32Array(spec.context);
  const probabilities: number[] = [];
  for (let k = 0; (k + 1) * spec.frame <= audio.length; k++) {
    const frame = audio.subarray(k * spec.frame, (k + 1) * spec.frame);
    const out = await run(frameFeeds(spec, prev, frame, state));
    const p = out['output'];
    if (!p) throw new Error(`frame ${k}: the model returned no 'output'`);
    probabilities.push(Number(p.data[0]));
    const next: Feeds = {};
    for (const { input, output } of spec.state) {
      const s = out[output];
      if (!s) throw new Error(`frame ${k}: the model returned no state '${output}'`);
      next[input] = s;
    }
    state = next;
    prev = frame;
  }
  const finalState: Feeds = {};
  for (const { input, output } of spec.state) finalState[output] = state[input]!;
  return { probabilities, finalState };
}
