import { type RtDim, type RtTensor, type RtValue } from '@lstmc/runtime';
import type { NodeSpec } from './builder.js';

/**
 * Known elements of small integer tensors of rank 0 or 1 (shape vectors): a number where the
 * element is a static dim or constant, a dim name where it is a symbolic dim. Keyed by value index.
 */
export type ShapeValues = Map<number, { readonly rank: 0 | 1; readonly elems: readonly RtDim[] }>;

type Known = { readonly rank: 0 | 1; readonly elems: readonly RtDim[] };

function ints(t: RtTensor): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}

function knownOf(v: number, values: readonly RtValue[], sv: ShapeValues, constantOf: (v: number) => RtTensor | undefined): Known | undefined {
  const c = constantOf(v);
  if (c) {
    if ((c.dtype !== 'i64' && c.dtype !== 'i32') || c.shape.length > 1) return undefined;
    return { rank: c.shape.length as 0 | 1, elems: ints(c) };
  }
  return sv.get(v);
}

function slice1d(elems: readonly RtDim[], start: number, end: number, step: number): RtDim[] | undefined {
  const n = elems.length;
  if (step === 0) return undefined;
  let s = start < 0 ? start + n : start;
  let e = end < 0 ? end + n : end;
  const out: RtDim[] = [];
  if (step > 0) {
    s = Math.min(Math.max(s, 0), n);
    e = Math.min(Math.max(e, 0), n);
    for (let i = s; i < e; i += step) out.push(elems[i]!);
  } else {
    s = Math.min(Math.max(s, -1), n - 1);
    e = Math.min(Math.max(e, -1), n - 1);
    for (let i = s; i > e; i += step) out.push(elems[i]!);
  }
  return out;
}

/** What a shape-computation node yields, when its inputs' known elements determine it. */
function evaluate(n: NodeSpec, attrs: Readonly<Record<string, unknown>>, values: readonly RtValue[], known: (i: number) => Known | undefined, constantOf: (v: number) => RtTensor | undefined): Known | undefined {
  const inp = n.inputs;
  switch (n.kernel) {
    case 'Shape': {
      const shape = values[inp[0]!]!.shape;
      if (!shape) return undefined;
      const r = shape.length;
      const clamp = (x: number) => Math.min(Math.max(x < 0 ? x + r : x, 0), r);
      const start = clamp((attrs.start as number | undefined) ?? 0);
      const end = clamp((attrs.end as number | undefined) ?? r);
      return { rank: 1, elems: shape.slice(start, Math.max(start, end)) };
    }
    case 'Gather': {
      const data = known(0);
      const idx = inp[1]! >= 0 ? constantOf(inp[1]!) : undefined;
      if (!data || data.rank !== 1 || !idx || idx.shape.length > 1 || ((attrs.axis as number | undefined) ?? 0) !== 0) return undefined;
      const n0 = data.elems.length;
      const picked: RtDim[] = [];
      for (const i of ints(idx)) {
        if (i < -n0 || i >= n0) return undefined;
        picked.push(data.elems[i < 0 ? i + n0 : i]!);
      }
      return { rank: idx.shape.length as 0 | 1, elems: picked };
    }
    case 'Unsqueeze': {
      const x = known(0);
      const axes = (attrs.axes as readonly number[] | undefined) ?? (inp[1] !== undefined && inp[1] >= 0 && constantOf(inp[1]) ? ints(constantOf(inp[1])!) : undefined);
      if (!x || x.rank !== 0 || !axes || axes.length !== 1 || (axes[0] !== 0 && axes[0] !== -1)) return undefined;
      return { rank: 1, elems: x.elems };
    }
    case 'Squeeze': {
      const x = known(0);
      if (!x || x.rank !== 1 || x.elems.length !== 1) return undefined;
      return { rank: 0, elems: x.elems };
    }
    case 'Concat': {
      const parts = inp.map((_, k) => known(k));
      if (parts.some((p) => !p || p.rank !== 1)) return undefined;
      return { rank: 1, elems: parts.flatMap((p) => [...p!.elems]) };
    }
    case 'Cast': {
      const x = known(0);
      return x && (attrs.to === 'i64' || attrs.to === 'i32') ? x : undefined;
    }
    case 'Identity':
      return known(0);
    case 'Slice': {
      const x = known(0);
      const c = inp.slice(1).map((v) => (v >= 0 ? constantOf(v) : undefined));
      if (!x || x.rank !== 1 || !c[0] || !c[1] || (inp[3] !== undefined && inp[3] >= 0 && !c[2]) || (inp[4] !== undefined && inp[4] >= 0 && !c[3])) return undefined;
      const [starts, ends] = [ints(c[0]), ints(c[1])];
      const axes = c[2] ? ints(c[2]) : [0];
      const steps = c[3] ? ints(c[3]) : [1];
      if (starts.length !== 1 || ends.length !== 1 || axes.length !== 1 || steps.length !== 1 || (axes[0] !== 0 && axes[0] !== -1)) return undefined;
      const out = slice1d(x.elems, starts[0]!, ends[0]!, steps[0]!);
      return out && { rank: 1, elems: out };
    }
    default:
      return undefined;
  }
}

/**
 * Records the known elements of `n`'s first output and returns it as a constant when every element
 * is a number (the node then need not run).
 */
export function propagateShapeValue(
  n: NodeSpec,
  attrs: Readonly<Record<string, unknown>>,
  values: readonly RtValue[],
  sv: ShapeValues,
  constantOf: (v: number) => RtTensor | undefined,
): RtTensor | undefined {
  const out = n.outputs[0];
  if (out === undefined || out < 0 || n.outputs.length !== 1) return undefined;
  const dtype = values[out]!.dtype;
  if (dtype !== 'i64' && dtype !== 'i32') return undefined;
  const k = evaluate(n, attrs, values, (i) => (n.inputs[i] !== undefined && n.inputs[i]! >= 0 ? knownOf(n.inputs[i]!, values, sv, constantOf) : undefined), constantOf);
  if (!k) return undefined;
  if (k.elems.every((d) => typeof d === 'number')) {
    const nums = k.elems as number[];
    const shape = k.rank === 0 ? [] : [nums.length];
    return dtype === 'i64' ? { dtype, shape, data: BigInt64Array.from(nums, (d) => BigInt(d)) } : { dtype, shape, data: Int32Array.from(nums) };
  }
  sv.set(out, k);
  return undefined;
}
