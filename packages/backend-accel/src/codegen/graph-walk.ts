import { fail, type Graph, type Node } from '@lstmc/ir';
import { isLayerGlueOp } from '@lstmc/passes';
import { applyGlue, type GlueOp, type GlueStep, type HostTensor } from '../host/glue.js';

/** Where a value comes from, as codegen sees it. */
export type Source =
  | { readonly kind: 'input'; readonly name: string }
  | { readonly kind: 'lstm'; readonly node: Node; readonly which: 'Y' | 'Y_h' | 'Y_c' }
  | { readonly kind: 'glue'; readonly step: GlueStep; readonly from: string }
  /** Produced by an op the accelerator lacks: it runs in the host section. */
  | { readonly kind: 'host'; readonly node: Node };

function constInts(g: Graph, name: string | undefined): number[] | null {
  if (!name) return null;
  const t = g.initializers.get(name);
  return t ? Array.from(t.data as ArrayLike<number | bigint>, Number) : null;
}

function glueStep(g: Graph, n: Node, op: GlueOp): GlueStep {
  const attr = (k: string) => {
    const a = n.attrs[k];
    return a && a.kind === 'ints' ? [...a.value] : null;
  };
  let ints: number[] | null = null;
  if (op === 'Squeeze' || op === 'Unsqueeze') ints = attr('axes') ?? constInts(g, n.inputs[1]);
  else if (op === 'Transpose') ints = attr('perm');
  else if (op === 'Reshape') {
    ints = constInts(g, n.inputs[1]);
    if (!ints) fail('E-ACCEL-UNSUPPORTED', 'Reshape with a computed shape (run the fold pass first)', { node: n.name });
  }
  return { op, node: n.name, ints };
}

/**
 * Classify every value: graph inputs, LSTM outputs, outputs of glue ops, and
 * outputs of other ops (host ops: they run in the host section, or are refused
 * by name where the accelerator needs their result).
 */
export function sourcesOf(g: Graph): Map<string, Source> {
  const m = new Map<string, Source>();
  for (const i of g.inputs) if (!g.initializers.has(i)) m.set(i, { kind: 'input', name: i });
  for (const n of g.nodes) {
    if (n.op === 'LSTM') {
      (['Y', 'Y_h', 'Y_c'] as const).forEach((which, k) => n.outputs[k] && m.set(n.outputs[k], { kind: 'lstm', node: n, which }));
    } else if (isLayerGlueOp(n.op)) {
      m.set(n.outputs[0], { kind: 'glue', step: glueStep(g, n, n.op), from: n.inputs[0] });
    } else {
      for (const o of n.outputs) if (o) m.set(o, { kind: 'host', node: n });
    }
  }
  return m;
}

/** Follow glue back to an LSTM output or a graph input; returns it and the glue steps in application order. */
export function traceBack(m: Map<string, Source>, value: string): { root: Source; glue: GlueStep[] } {
  const glue: GlueStep[] = [];
  let s = m.get(value);
  while (s && s.kind === 'glue') {
    glue.unshift(s.step);
    s = m.get(s.from);
  }
  if (!s) fail('E-ACCEL-UNSUPPORTED', `value '${value}' is not produced by an LSTM or a graph input (constants are not supported here)`, { field: value });
  return { root: s, glue };
}

/** The refusal for an accelerator operand computed by a host op. */
export function refuseHost(s: Source, what: string, node: string): never {
  const n = s.kind === 'host' ? s.node : undefined;
  return fail(
    'E-ACCEL-UNSUPPORTED',
    n
      ? `op '${n.op}' (node '${n.name}') has no accelerator lowering and computes ${what}; compile with --target js`
      : `${what} must be a graph input or the output of another LSTM`,
    { node: n?.name ?? node },
  );
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
