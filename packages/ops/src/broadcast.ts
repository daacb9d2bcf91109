/** Numpy-style broadcasting on concrete shapes, for reference evaluations and kernels. */

/** Broadcast of concrete shapes; returns undefined when they do not broadcast. */
export function broadcastShapesOrUndefined(shapes: readonly (readonly number[])[]): number[] | undefined {
  const r = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(r).fill(1);
  for (const s of shapes)
    for (let i = 0; i < s.length; i++) {
      const k = r - s.length + i;
      const d = s[i]!;
      if (d === out[k] || d === 1) continue;
      if (out[k] !== 1) return undefined;
      out[k] = d;
    }
  return out;
}

/** Strides of `shape` read as if broadcast to `outShape` (0 along broadcast dimensions). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const r = outShape.length;
  const off = r - shape.length;
  const s = new Array<number>(r).fill(0);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i + off] = shape[i] === 1 ? 0 : acc;
    acc *= shape[i]!;
  }
  return s;
}

/**
 * Walks a broadcast iteration over `outShape` for any number of operands with strides `ss`:
 * calls `inner(outOffset, offsets, n, steps)` once per run of the innermost dimension.
 */
export function broadcastRunsN(
  outShape: readonly number[],
  ss: readonly (readonly number[])[],
  inner: (o: number, offs: readonly number[], n: number, steps: readonly number[]) => void,
): void {
  const r = outShape.length;
  const k = ss.length;
  const offs = new Array<number>(k).fill(0);
  if (r === 0) {
    inner(0, offs, 1, offs.map(() => 0));
    return;
  }
  const n = outShape[r - 1]!;
  if (n === 0) return;
  const steps = ss.map((s) => s[r - 1]!);
  let outer = 1;
  for (let i = 0; i < r - 1; i++) outer *= outShape[i]!;
  if (outer === 0) return;
  const idx = new Array<number>(r - 1).fill(0);
  for (let o = 0; o < outer; o++) {
    inner(o * n, offs, n, steps);
    for (let d = r - 2; d >= 0; d--) {
      idx[d]!++;
      for (let j = 0; j < k; j++) offs[j]! += ss[j]![d]!;
      if (idx[d]! < outShape[d]!) break;
      for (let j = 0; j < k; j++) offs[j]! -= ss[j]![d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}
