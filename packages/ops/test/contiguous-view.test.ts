/**
 * Slice, Transpose and Split return a subarray of their input (no copy) when the result is one
 * contiguous run of it, and a copy otherwise; both hold the same elements as the strided copy.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { contiguousView, stridedView, stridesOf, type OpTensor } from '../src/tensor.js';
import { evalOp } from './helpers/eval.js';

const t = (shape: number[]): OpTensor => ({ dtype: 'f32', shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i + 1) });
const i64 = (v: number[]): OpTensor => ({ dtype: 'i64', shape: [v.length], data: BigInt64Array.from(v.map(BigInt)) });

describe('contiguous views', () => {
  it('Slice of leading rows, Transpose moving only size-1 axes and a first-axis Split share the input buffer; other forms copy', () => {
    const x = t([4, 2, 3]);
    const share = (o: OpTensor) => (o.data as Float32Array).buffer === (x.data as Float32Array).buffer;
    const rows = evalOp('Slice', [x, i64([1]), i64([3]), i64([0])])[0]!;
    expect(share(rows)).toBe(true);
    expect(Array.from(rows.data as Float32Array)).toEqual(Array.from({ length: 12 }, (_, i) => i + 7));
    const cols = evalOp('Slice', [x, i64([1]), i64([3]), i64([2])])[0]!; // a column range: strided
    expect(share(cols)).toBe(false);
    const b1 = t([3, 1, 5]);
    const moved = evalOp('Transpose', [b1], { perm: [1, 0, 2] })[0]!;
    expect((moved.data as Float32Array).buffer).toBe((b1.data as Float32Array).buffer);
    expect(moved.shape).toEqual([1, 3, 5]);
    expect(share(evalOp('Transpose', [x], { perm: [1, 0, 2] })[0]!)).toBe(false);
    const parts = evalOp('Split', [x], { axis: 0, split: [1, 3] }, undefined, 2);
    expect(parts.map(share)).toEqual([true, true]);
    expect(evalOp('Split', [x], { axis: 2, split: [1, 2] }, undefined, 2).map(share)).toEqual([false, false]);
  });

  it('is the strided copy wherever it applies (random shapes, offsets and strides)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 1 << 20 }), (shape, seed) => {
        const x = t(shape.map((d) => d + 1));
        // a sub-box of x: each dim either whole or a range of it
        const xs = stridesOf(x.shape);
        const sub = shape.map((d, i) => ((seed >> i) & 1 ? d : x.shape[i]!));
        const start = shape.map((_, i) => x.shape[i]! - sub[i]!);
        const offset = start.reduce((a, b, i) => a + b * xs[i]!, 0);
        const copy = stridedView(x, sub, offset, xs);
        const view = contiguousView(x, sub, offset, xs);
        if (view) expect(Array.from(view.data as Float32Array)).toEqual(Array.from(copy.data as Float32Array));
        // contiguous exactly when every dim after the first that is not 1 is whole
        const first = sub.findIndex((d) => d !== 1);
        const contiguous = first < 0 || sub.every((d, i) => i <= first || d === x.shape[i]);
        expect(view !== undefined, `${x.shape} -> ${sub}`).toBe(contiguous);
      }),
      { numRuns: 300, seed: 41 },
    );
  });
});
