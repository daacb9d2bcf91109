import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SET_MIN, stridedView, type OpTensor } from '../src/tensor.js';

// stridedView merges dims and copies long runs as blocks; against its definition element by element:
// output element at multi-index i is source element offset + sum_d i[d] * strides[d].
function definition(src: ArrayLike<number>, shape: readonly number[], offset: number, strides: readonly number[]): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let flat = 0; flat < n; flat++) {
    let rest = flat;
    let k = offset;
    for (let d = shape.length - 1; d >= 0; d--) {
      k += (rest % shape[d]!) * strides[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    out.push(src[k]!);
  }
  return out;
}

/**
 * A source tensor and a view of it: per dim a size and either a random stride (negative, zero or
 * positive) or the stride that continues the dims inside it (so dims merge: a Slice keeping whole
 * rows), with the offset that keeps every index inside the source.
 */
const views = fc
  .array(fc.record({ size: fc.integer({ min: 0, max: 6 }), stride: fc.integer({ min: -40, max: 40 }), follows: fc.boolean() }), { minLength: 0, maxLength: 4 })
  .chain((dims) => fc.boolean().map((long) => (long ? [...dims, { size: SET_MIN + 6, stride: 1, follows: false }] : dims)))
  .map((dims) => {
    const strides = new Array<number>(dims.length);
    for (let d = dims.length - 1; d >= 0; d--) {
      const inner = dims[d + 1];
      strides[d] = dims[d]!.follows && inner ? strides[d + 1]! * inner.size : dims[d]!.stride;
    }
    const lo = dims.reduce((a, d, i) => a + Math.min(0, (d.size - 1) * strides[i]!), 0);
    const hi = dims.reduce((a, d, i) => a + Math.max(0, (d.size - 1) * strides[i]!), 0);
    return { shape: dims.map((d) => d.size), strides, offset: -lo, length: hi - lo + 1 };
  });

describe('stridedView', () => {
  for (const dtype of ['f32', 'i64'] as const)
    it(`equals its definition on random shapes, strides and offsets (${dtype})`, () => {
      fc.assert(
        fc.property(views, ({ shape, strides, offset, length }) => {
          const values = Array.from({ length }, (_, i) => i * 3 - 7);
          const t: OpTensor = dtype === 'f32'
            ? { dtype, shape: [length], data: Float32Array.from(values) }
            : { dtype, shape: [length], data: BigInt64Array.from(values, BigInt) };
          const got = stridedView(t, shape, offset, strides);
          expect(got.shape).toEqual(shape);
          expect(Array.from(got.data as ArrayLike<number | bigint>, Number)).toEqual(definition(values, shape, offset, strides));
        }),
        { numRuns: 400 },
      );
    });
});
