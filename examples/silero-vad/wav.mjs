// The 16-bit PCM mono WAV reader of the Silero VAD example (vad.mjs) and tools/scripts/bench-vad.mjs.

/** 16-bit PCM mono WAV bytes (from `file`, named in errors) -> samples in [-1, 1) and the sample rate. */
export function readWav(bytes, file) {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o) => String.fromCharCode(...bytes.subarray(o, o + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error(`${file}: not a WAV file`);
  let fmt;
  for (let o = 12; o + 8 <= bytes.length; o += 8 + v.getUint32(o + 4, true) + (v.getUint32(o + 4, true) & 1)) {
    if (tag(o) === 'fmt ') fmt = { format: v.getUint16(o + 8, true), channels: v.getUint16(o + 10, true), rate: v.getUint32(o + 12, true), bits: v.getUint16(o + 22, true) };
    if (tag(o) === 'data') {
      if (!fmt || fmt.format !== 1 || fmt.channels !== 1 || fmt.bits !== 16) throw new Error(`${file}: want 16-bit PCM mono`);
      const n = Math.min(v.getUint32(o + 4, true), bytes.length - o - 8) >> 1;
      const samples = new Float32Array(n);
      for (let i = 0; i < n; i++) samples[i] = v.getInt16(o + 8 + 2 * i, true) / 32768;
      return { rate: fmt.rate, samples };
    }
  }
  throw new Error(`${file}: no data chunk`);
}
