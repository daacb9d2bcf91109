// How a Silero VAD app streams audio, shared by bench-vad.mjs (in Node) and bench-web.mjs (whose page
// gets this function's source: it reads nothing but its arguments).

/**
 * A streamer over one Silero model (its graph-input names) and 16 kHz `samples` (Float32Array): v5 and
 * the opset-15 export take 64 samples of the previous frame before each 512-sample frame, v4 none.
 * `stream(run)` feeds every frame to `run(feeds)` (feeds and results as { name: Float32Array }, awaited:
 * onnxruntime's run is asynchronous, and an app streaming audio awaits each frame) with the state fed
 * back, and returns the speech probabilities. `shapes` are the feeds' shapes; `frames` how many.
 */
export function sileroStreamer(inputNames, samples) {
  const FRAME = 512;
  const v5 = inputNames.includes('state');
  const context = v5 ? 64 : 0;
  const states = v5 ? [['state', 'stateN', [2, 1, 128]]] : [['h', 'hn', [2, 1, 64]], ['c', 'cn', [2, 1, 64]]];
  const shapes = { input: [1, context + FRAME], ...Object.fromEntries(states.map(([i, , shape]) => [i, shape])) };
  const frames = Math.floor(samples.length / FRAME);
  return {
    shapes,
    frames,
    async stream(run) {
      let state = Object.fromEntries(states.map(([i, , shape]) => [i, new Float32Array(shape.reduce((a, b) => a * b))]));
      const probs = new Float32Array(frames);
      for (let k = 0; k < frames; k++) {
        const x = new Float32Array(context + FRAME);
        if (context && k > 0) x.set(samples.subarray(k * FRAME - context, k * FRAME));
        x.set(samples.subarray(k * FRAME, (k + 1) * FRAME), context);
        const out = await run({ input: x, ...state });
        state = Object.fromEntries(states.map(([i, o]) => [i, out[o]]));
        probs[k] = out.output[0];
      }
      return probs;
    },
  };
}
