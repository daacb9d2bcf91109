import { fail } from '@lstmc/ir';
import type { LayerGlueOp } from '@lstmc/passes';

/**
 * The data-movement ops between LSTM layers and around graph outputs
 * (`LAYER_GLUE_OPS` of @lstmc/passes, which the quantize pass shares), run by
 * the host on dense tensors. Codegen also runs them on index tensors to prove
 * that a chain feeding an LSTM is a plain re-view of the previous layer's Y.
 */
export type GlueOp = LayerGlueOp;

export interface GlueStep {
  readonly op: GlueOp;
  readonly node: string;
  /** Squeeze / Unsqueeze axes, Transpose perm, Reshape target shape (ONNX 0 / -1 rules). */
  readonly ints: readonly number[] | null;
}

export interface HostTensor {
  readonly dims: readonly number[];
  readonly data: Float64Array;
}

const size = (d: readonly number[]) => d.reduce((a, b) => a * b, 1);
const norm = (a: number, r: number) => (a < 0 ? a + r : a);

export function applyGlue(x: HostTensor, s: GlueStep): HostTensor {
  const r = x.dims.length;
  switch (s.op) {
    case 'Identity':
      return x;
    case 'Squeeze': {
      const axes = s.ints ? s.ints.map((a) => norm(a, r)) : x.dims.flatMap((d, i) => (d === 1 ? [i] : []));
      for (const a of axes) if (x.dims[a] !== 1) fail('E-ACCEL-GLUE', `Squeeze of axis ${a} of size ${x.dims[a]}`, { node: s.node });
      return { dims: x.dims.filter((_, i) => !axes.includes(i)), data: x.data };
    }
    case 'Unsqueeze': {
      const out = r + (s.ints?.length ?? 0);
      const axes = (s.ints ?? []).map((a) => norm(a, out));
      const dims: number[] = [];
      let k = 0;
      for (let i = 0; i < out; i++) dims.push(axes.includes(i) ? 1 : x.dims[k++]);
      return { dims, data: x.data };
    }
    case 'Reshape': {
      const shape = (s.ints ?? []).map((v, i) => (v === 0 ? x.dims[i] : v));
      const known = shape.filter((v) => v !== -1).reduce((a, b) => a * b, 1);
      const dims = shape.map((v) => (v === -1 ? size(x.dims) / known : v));
      if (size(dims) !== size(x.dims)) fail('E-ACCEL-GLUE', `Reshape of [${x.dims}] to [${shape}]`, { node: s.node });
      return { dims, data: x.data };
    }
    case 'Transpose': {
      const perm = s.ints ?? x.dims.map((_, i) => r - 1 - i);
      const dims = perm.map((p) => x.dims[p]);
      const inStride = x.dims.map((_, i) => size(x.dims.slice(i + 1)));
      const out = new Float64Array(x.data.length);
      const idx = new Array<number>(r).fill(0);
      for (let o = 0; o < out.length; o++) {
        let src = 0;
        for (let i = 0; i < r; i++) src += idx[i] * inStride[perm[i]];
        out[o] = x.data[src];
        for (let i = r - 1; i >= 0; i--) {
          if (++idx[i] < dims[i]) break;
          idx[i] = 0;
        }
      }
      return { dims, data: out };
    }
  }
}
