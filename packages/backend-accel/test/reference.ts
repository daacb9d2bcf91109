import type { Graph, Tensor } from '@lstmc/ir';
import { lstmLayerFixed, quantizeArray, type FixedLstmLayer } from '@lstmc/runtime/fixed';
import type { Target } from '@lstmc/target';
import { planLstm } from '../src/codegen/lstm-plan.js';

/**
 * The fixed-point reference of a chain of LSTM layers: runtime/src/fixed's
 * lstmLayerFixed per node, x quantized at the first layer's format, deeper
 * layers fed the previous layer's integer outputs (at actBits - 1), in
 * layout 0. Returns integer Y, Y_h, Y_c per node.
 */
export function referenceFixed(g: Graph, t: Target, inputs: Map<string, Tensor>): Map<string, Int32Array> {
  const out = new Map<string, Int32Array>();
  let prev: { Y: Int32Array; T: number; B: number; D: number; H: number } | null = null;
  for (const n of g.nodes.filter((x) => x.op === 'LSTM')) {
    // the runtime's fixed-point layer takes W and R as int32
    let dirs: FixedLstmLayer[] = planLstm(g, n, t).map(({ layer: l }) => ({ ...l, W: Int32Array.from(l.W), R: Int32Array.from(l.R) }));
    const direction = (n.attrs.direction?.value ?? 'forward') as 'forward' | 'reverse' | 'bidirectional';
    const layout = (n.attrs.layout?.value ?? 0) as number;
    let x: Int32Array;
    let T: number;
    let B: number;
    if (!prev) {
      const X = inputs.get(n.inputs[0])!;
      const xd = X.data as Float32Array;
      if (layout === 0) {
        [T, B] = X.dims as number[];
        x = quantizeArray(xd, dirs[0].fmt.x, t.actBits);
      } else {
        [B, T] = X.dims as number[];
        const I = X.dims[2];
        const tm = new Float64Array(xd.length);
        for (let b = 0; b < B; b++) for (let s = 0; s < T; s++) for (let k = 0; k < I; k++) tm[(s * B + b) * I + k] = xd[(b * T + s) * I + k];
        x = quantizeArray(tm, dirs[0].fmt.x, t.actBits);
      }
    } else {
      ({ T, B } = prev);
      const { D, H, Y } = prev;
      x = new Int32Array(T * B * D * H);
      for (let s = 0; s < T; s++) for (let d = 0; d < D; d++) for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) x[(s * B + b) * D * H + d * H + j] = Y[((s * D + d) * B + b) * H + j];
      dirs = dirs.map((l) => ({ ...l, fmt: { ...l.fmt, x: t.actBits - 1 } }));
    }
    const H = dirs[0].hidden;
    const D = dirs.length;
    const q = (name: string | undefined, frac: (d: number) => number) => {
      if (!name) return null;
      const v = inputs.get(name) ?? g.initializers.get(name);
      if (!v) return null;
      const data = v.data as ArrayLike<number>;
      const r = new Int32Array(data.length);
      for (let d = 0; d < D; d++)
        for (let b = 0; b < B; b++) {
          const src = layout === 0 ? (d * B + b) * H : (b * D + d) * H;
          r.set(quantizeArray(Array.from(data).slice(src, src + H), frac(d), t.actBits), (d * B + b) * H);
        }
      return r;
    };
    const h0 = q(n.inputs[5], () => t.actBits - 1);
    const c0 = q(n.inputs[6], (d) => dirs[d].fmt.c);
    const sl = n.inputs[4] ? (inputs.get(n.inputs[4]) ?? g.initializers.get(n.inputs[4])) : undefined;
    const lens = sl ? Array.from(sl.data as ArrayLike<number | bigint>, Number) : null;
    const r = lstmLayerFixed(dirs, direction, x, T, B, lens, h0, c0);
    out.set(`${n.name}:Y`, r.Y);
    out.set(`${n.name}:Y_h`, r.Yh);
    out.set(`${n.name}:Y_c`, r.Yc);
    prev = { Y: r.Y, T, B, D, H };
  }
  return out;
}
