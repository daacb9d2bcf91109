/**
 * Reference evaluations take their output data from the context's allocator (EvalContext.alloc, the
 * runtime's run arena), and the element-wise ops' own loops (UnaryLoop, BinaryLoop) compute what the
 * op's formula says on every broadcast form and on integer types (where a store wraps), checked
 * against the formulas written out here element by element.
 */
import { describe, expect, it } from 'vitest';
import { OPS, fromNumbers, type EvalContext, type OpAttrs, type OpKind, type OpTensor } from '../src/index.js';
import { alloc as plainAlloc, type Allocator } from '../src/tensor.js';
import { evalOp } from './helpers/eval.js';

const evaluate = evalOp;

const f32 = (shape: number[], values: number[]) => fromNumbers('f32', shape, values);
const ramp = (shape: number[], scale = 0.37, shift = -1.1) => f32(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * scale) * 3 + shift));

describe('EvalContext.alloc', () => {
  const x = ramp([2, 3, 4]);
  const cases: [OpKind, OpTensor[], OpAttrs?][] = [
    ['Relu', [x]],
    ['Sqrt', [ramp([2, 3, 4], 0.2, 3.5)]],
    ['Add', [x, ramp([4])]],
    ['Pow', [x, f32([], [2])]],
    ['Equal', [x, x]],
    ['Clip', [x, f32([], [-1]), f32([], [1])]],
    ['Slice', [x, fromNumbers('i64', [1], [1]), fromNumbers('i64', [1], [3]), fromNumbers('i64', [1], [2])]],
    ['Transpose', [x], { perm: [2, 0, 1] }],
    ['Concat', [x, x], { axis: 1 }],
    ['Gather', [x, fromNumbers('i64', [2], [1, 0])]],
    ['Pad', [x, fromNumbers('i64', [6], [0, 1, 0, 0, 1, 0])]],
    ['Softmax', [x]],
    ['MatMul', [x, ramp([4, 5])]],
    ['ReduceMean', [x, fromNumbers('i64', [1], [2])]],
    ['Cast', [x], { to: 11 }],
    ['Where', [fromNumbers('bool', [4], [1, 0, 1, 0]), x, f32([], [0])]],
  ];
  for (const [op, inputs, attrs] of cases) {
    it(`${op} takes its output from it`, () => {
      const pool = new ArrayBuffer(1 << 16);
      let used = 0;
      const allocate: Allocator = (dtype, n) => {
        const d = plainAlloc(dtype, n) as Float32Array;
        const at = used;
        used += ((d.byteLength + 15) & ~15) || 16;
        return new (d.constructor as Float32ArrayConstructor)(pool, at, n);
      };
      const plain = evaluate(op, inputs, attrs);
      const viaPool = evaluate(op, inputs, attrs, allocate);
      expect(viaPool.map((t) => (t.data as Float32Array).buffer === pool)).toEqual(viaPool.map(() => true));
      expect(viaPool.map((t) => Array.from(t.data as ArrayLike<number>))).toEqual(plain.map((t) => Array.from(t.data as ArrayLike<number>)));
    });
  }
});

describe('element-wise loops', () => {
  it('binary ops on every broadcast form equal the formula on the broadcast indices', () => {
    const forms: [number[], number[]][] = [[[2, 3, 4], [2, 3, 4]], [[2, 3, 4], []], [[], [2, 3, 4]], [[2, 3, 4], [4]], [[2, 1, 4], [3, 1]], [[1], [2, 3, 4]]];
    const formulas: Partial<Record<OpKind, (a: number, b: number) => number>> = { Add: (a, b) => a + b, Sub: (a, b) => a - b, Mul: (a, b) => a * b, Div: (a, b) => a / b, Pow: (a, b) => Math.abs(a) ** b };
    for (const [as, bs] of forms) {
      const a = ramp(as, 0.41, 0.3);
      const b = ramp(bs, 0.23, 0.9);
      const rank = Math.max(as.length, bs.length);
      const shape = Array.from({ length: rank }, (_, d) => Math.max(as[d - rank + as.length] ?? 1, bs[d - rank + bs.length] ?? 1));
      const at = (s: number[], idx: number[]) => s.reduce((o, len, d) => o * len + (len === 1 ? 0 : idx[d + rank - s.length]!), 0);
      for (const [op, fn] of Object.entries(formulas)) {
        const base = op === 'Pow' ? f32(as, Array.from(a.data as Float32Array, Math.abs)) : a;
        const got = evaluate(op as OpKind, [base, b])[0]!;
        expect(got.shape, `${op} ${as} ${bs}`).toEqual(shape);
        const want: number[] = [];
        const idx = shape.map(() => 0);
        for (let i = 0; i < got.data.length; i++) {
          want.push(Math.fround(fn(Number(a.data[at(as, idx)]), Number(b.data[at(bs, idx)]))));
          for (let d = rank - 1; d >= 0 && ++idx[d]! === shape[d]; d--) idx[d] = 0;
        }
        expect(Array.from(got.data as Float32Array), `${op} [${as}] [${bs}]`).toEqual(want);
      }
    }
  });

  it('unary ops wrap on integer types as the element type does', () => {
    const i8 = fromNumbers('i8', [4], [-128, 127, -5, 0]);
    const i32 = fromNumbers('i32', [3], [-2147483648, 2147483647, -7]);
    expect(Array.from(evaluate('Neg', [i8])[0]!.data as Int8Array)).toEqual([-128, -127, 5, 0]);
    expect(Array.from(evaluate('Abs', [i8])[0]!.data as Int8Array)).toEqual([-128, 127, 5, 0]);
    expect(Array.from(evaluate('Relu', [i8])[0]!.data as Int8Array)).toEqual([0, 127, 0, 0]);
    expect(Array.from(evaluate('Neg', [i32])[0]!.data as Int32Array)).toEqual([-2147483648, -2147483647, 7]);
    expect(Array.from(evaluate('Abs', [i32])[0]!.data as Int32Array)).toEqual([-2147483648, 2147483647, 7]);
    expect(Array.from(evaluate('Sign', [i32])[0]!.data as Int32Array)).toEqual([-1, 1, -1]);
    const u8 = fromNumbers('u8', [3], [0, 200, 255]);
    expect(Array.from(evaluate('Abs', [u8])[0]!.data as Uint8Array)).toEqual([0, 200, 255]);
  });

  it('unary float ops equal their formulas', () => {
    const x = ramp([37]);
    const formulas: Partial<Record<OpKind, (v: number) => number>> = {
      Relu: (v) => Math.max(v, 0), Sigmoid: (v) => 1 / (1 + Math.exp(-v)), Tanh: Math.tanh, Exp: Math.exp, Neg: (v) => -v, Abs: Math.abs,
      Floor: Math.floor, Ceil: Math.ceil, Sin: Math.sin, Cos: Math.cos, Softsign: (v) => v / (1 + Math.abs(v)), Reciprocal: (v) => 1 / v, Sign: Math.sign,
    };
    for (const [op, fn] of Object.entries(formulas)) expect(Array.from(evaluate(op as OpKind, [x])[0]!.data as Float32Array), op).toEqual(Array.from(x.data as Float32Array, (v) => Math.fround(fn(v))));
    const pos = ramp([37], 0.3, 3.2);
    for (const [op, fn] of [['Sqrt', Math.sqrt], ['Log', Math.log]] as const) expect(Array.from(evaluate(op, [pos])[0]!.data as Float32Array), op).toEqual(Array.from(pos.data as Float32Array, (v) => Math.fround(fn(v))));
    expect(Array.from(evaluate('Round', [f32([6], [0.5, 1.5, 2.5, -0.5, -1.5, 2.4])])[0]!.data as Float32Array)).toEqual([0, 2, 2, -0, -2, 2]);
  });
});
