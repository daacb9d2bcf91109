/**
 * A float64 LSTM written straight from the ONNX operator definition, used only
 * as the accuracy yardstick for the fixed-point semantics (which must stay
 * within quantization error of it).
 */
export interface FloatDir {
  hidden: number;
  input: number;
  W: Float64Array;
  R: Float64Array;
  Wb: Float64Array | null;
  Rb: Float64Array | null;
  P: Float64Array | null;
  clip: number | null;
  inputForget: boolean;
}

const sig = (x: number) => 1 / (1 + Math.exp(-x));

export function floatLstm(d: FloatDir, x: Float64Array, T: number, reverse: boolean, len = T): { y: Float64Array; h: Float64Array; c: Float64Array } {
  const H = d.hidden;
  const I = d.input;
  let h = new Float64Array(H);
  const c = new Float64Array(H);
  const y = new Float64Array(T * H);
  const cl = (v: number) => (d.clip === null ? v : Math.max(-d.clip, Math.min(d.clip, v)));
  for (let k = 0; k < len; k++) {
    const t = reverse ? len - 1 - k : k;
    const z = new Float64Array(4 * H);
    for (let r = 0; r < 4 * H; r++) {
      let s = (d.Wb?.[r] ?? 0) + (d.Rb?.[r] ?? 0);
      for (let j = 0; j < I; j++) s += d.W[r * I + j] * x[t * I + j];
      for (let j = 0; j < H; j++) s += d.R[r * H + j] * h[j];
      z[r] = s;
    }
    const hn = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      const pi = d.P ? d.P[j] : 0;
      const po = d.P ? d.P[H + j] : 0;
      const pf = d.P ? d.P[2 * H + j] : 0;
      const i = sig(cl(z[j] + pi * c[j]));
      const f = d.inputForget ? 1 - i : sig(cl(z[2 * H + j] + pf * c[j]));
      const g = Math.tanh(cl(z[3 * H + j]));
      c[j] = f * c[j] + i * g;
      const o = sig(cl(z[H + j] + po * c[j]));
      hn[j] = o * Math.tanh(c[j]);
    }
    h = hn;
    y.set(h, t * H);
  }
  return { y, h, c };
}
