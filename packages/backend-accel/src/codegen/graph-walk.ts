import { constantValue, type Graph, type Node } from '@lstmc/ir';
import { isLayerGlueOp } from '@lstmc/passes';
import { applyGlue, type GlueStep, type HostTensor } from '../host/glue.js';

/** The integers of a constant value: an initializer or a Constant node's output; null otherwise. */
function constInts(g: Graph, prod: ReadonlyMap<string, Node>, name: string | undefined): number[] | null {
  if (!name) return null;
  const t = g.initializers.get(name) ?? (prod.get(name)?.op === 'Constant' ? constantValue(prod.get(name)!.attrs) : undefined);
  return t && t.dtype !== 'string' ? Array.from(t.data as ArrayLike<number | bigint>, Number) : null;
}

/** A glue op as a host step, or null when it is not glue or its operands are not constants. */
export function glueStepOf(g: Graph, prod: ReadonlyMap<string, Node>, n: Node): GlueStep | null {
  if (!isLayerGlueOp(n.op) || (n.domain !== '' && n.domain !== 'ai.onnx')) return null;
  const op = n.op;
  const attr = (k: string) => {
    const a = n.attrs[k];
    return a && a.kind === 'ints' ? [...a.value] : null;
  };
  let ints: number[] | null = null;
  if (op === 'Squeeze' || op === 'Unsqueeze') {
    ints = attr('axes') ?? constInts(g, prod, n.inputs[1]);
    if (!ints && n.inputs[1]) return null;
    if (op === 'Unsqueeze' && !ints) return null;
  } else if (op === 'Transpose') ints = attr('perm');
  else if (op === 'Reshape') {
    ints = constInts(g, prod, n.inputs[1]);
    if (!ints || n.attrs.allowzero?.value === 1) return null;
  }
  return { op, node: n.name, ints };
}

/** Ops whose output holds only elements of their first input (zeros stay zeros). */
const ZERO_PRESERVING = new Set(['Slice', 'Squeeze', 'Unsqueeze', 'Reshape', 'Identity', 'Gather', 'Expand', 'Transpose', 'Cast']);

/**
 * True when `v` is all zeros whatever the inputs: a zero initializer or
 * Constant, a ConstantOfShape of 0, or a slice/reshape/expansion of one (torch.onnx.export builds
 * zero initial states that way from the input's shape).
 */
export function isZeros(g: Graph, prod: ReadonlyMap<string, Node>, v: string): boolean {
  const init = g.initializers.get(v);
  if (init) return Array.from(init.data as ArrayLike<number | bigint>, Number).every((x) => x === 0);
  const p = prod.get(v);
  if (!p) return false;
  if (ZERO_PRESERVING.has(p.op)) return isZeros(g, prod, p.inputs[0]);
  if (p.op === 'Constant') {
    const t = constantValue(p.attrs);
    return !!t && t.dtype !== 'string' && Array.from(t.data as ArrayLike<number | bigint>, Number).every((x) => x === 0);
  }
  if (p.op !== 'ConstantOfShape') return false;
  const a = p.attrs.value;
  if (!a) return true;
  return a.kind === 'tensor' && Array.from(a.value.data as ArrayLike<number | bigint>, Number).every((x) => x === 0);
}

/**
 * True when `glue` turns an LSTM's Y (dims [T, D, B, H] for layout 0,
 * [B, T, D, H] for layout 1) into a next-layer input whose (t, b) vector is
 * the concatenation over directions of Y[t, d, b, :] (dims [T, B, D*H] or
 * [B, T, D*H] for the consumer's layout). Checked by running the glue on an
 * index tensor.
 */
export function isConcatView(glue: readonly GlueStep[], D: number, H: number, yLayout: number, xLayout: number): boolean {
  const T = 3;
  const B = 2;
  const ydims = yLayout === 0 ? [T, D, B, H] : [B, T, D, H];
  const data = new Float64Array(T * D * B * H);
  for (let t = 0; t < T; t++)
    for (let d = 0; d < D; d++)
      for (let b = 0; b < B; b++)
        for (let j = 0; j < H; j++) {
          const at = yLayout === 0 ? ((t * D + d) * B + b) * H + j : ((b * T + t) * D + d) * H + j;
          data[at] = ((t * D + d) * B + b) * H + j;
        }
  let x: HostTensor = { dims: ydims, data };
  try {
    for (const s of glue) x = applyGlue(x, s.op === 'Reshape' ? { ...s, ints: s.ints!.map((v, i) => (v > 0 && i < 2 ? ydims[i] : v)) } : s);
  } catch {
    return false;
  }
  const want = xLayout === 0 ? [T, B, D * H] : [B, T, D * H];
  if (x.dims.length !== 3 || x.dims.some((v, i) => v !== want[i])) return false;
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++)
      for (let k = 0; k < D * H; k++) {
        const at = xLayout === 0 ? (t * B + b) * D * H + k : (b * T + t) * D * H + k;
        const d = Math.floor(k / H);
        if (x.data[at] !== ((t * D + d) * B + b) * H + (k % H)) return false;
      }
  return true;
}
