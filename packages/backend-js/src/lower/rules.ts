import { type OpKind, constantValue, dtypeFromOnnx, fail, makeTensor } from '@lstmc/ir';
import type { RtAttr } from '@lstmc/runtime';
import { rtAttrsOf } from './attrs.js';
import { lowerLstm } from './lstm-rule.js';
import type { LoweringRule, RuleContext } from './rule.js';
import { requireRtDType } from './tensors.js';

type AttrKinds = Readonly<Record<string, RtAttr['type']>>;

/** The op maps one to one onto the runtime kernel of the same semantics; `attrs` lists what it passes on. */
function direct(kernel: string, attrs: AttrKinds = {}): LoweringRule {
  return (c) => {
    c.emit(
      kernel,
      c.node.inputs.map((_, i) => c.input(i)),
      c.node.outputs.map((_, i) => c.output(i)),
      rtAttrsOf(c.attrs, attrs, c.loc),
    );
  };
}

const sliceRule: LoweringRule = (c) => {
  if (c.attrs.starts === undefined) return direct('Slice')(c);
  // Opset < 10 keeps starts/ends/axes in attributes; the runtime kernel takes them as inputs.
  const vec = (base: string, v: readonly number[]) => c.constantValue(base, { dtype: 'i64', shape: [v.length], data: BigInt64Array.from(v, (x) => BigInt(x)) });
  const starts = c.attrs.starts as readonly number[];
  const ins = [c.input(0), vec('starts', starts), vec('ends', (c.attrs.ends as readonly number[] | undefined) ?? [])];
  if (c.attrs.axes !== undefined) ins.push(vec('axes', c.attrs.axes as readonly number[]));
  c.emit('Slice', ins, [c.output(0)]);
};

const softmaxRule: LoweringRule = (c) => {
  // Opsets < 13 normalize over the flattened dims from `axis` on (default axis 1).
  const old = c.opset < 13;
  const axis = (c.attrs.axis as number | undefined) ?? (old ? 1 : -1);
  c.emit('Softmax', [c.input(0)], [c.output(0)], { axis: { type: 'int', value: axis }, flatten: { type: 'int', value: old ? 1 : 0 } });
};

const castRule: LoweringRule = (c) => {
  const to = dtypeFromOnnx(c.attrs.to as number);
  if (!to) fail('E-JS-DTYPE', `Cast to unknown type code ${c.attrs.to as number}`, { ...c.loc, field: 'to' });
  c.emit('Cast', [c.input(0)], [c.output(0)], { to: { type: 'string', value: requireRtDType(to, { ...c.loc, field: 'to' }) } });
};

const constantRule: LoweringRule = (c) => {
  const t = constantValue(c.node.attrs);
  if (!t) fail('E-JS-ATTR', 'Constant has no usable value attribute', c.loc);
  c.setConstant(0, t.dtype === 'string' ? fail('E-JS-DTYPE', 'the JS runtime has no string tensors', c.loc) : makeTensor(t.dtype, t.dims, t.data));
};

const elementwise = (k: string) => direct(k);

/**
 * One lowering rule per op of the IR op table. Adding an op to the table without a rule here is
 * a compile error.
 */
export const LOWERING_RULES = {
  LSTM: lowerLstm,
  Constant: constantRule,
  Shape: direct('Shape', { start: 'int', end: 'int' }),
  Gather: direct('Gather', { axis: 'int' }),
  Unsqueeze: direct('Unsqueeze', { axes: 'ints' }),
  Squeeze: direct('Squeeze', { axes: 'ints' }),
  Concat: direct('Concat', { axis: 'int' }),
  Slice: sliceRule,
  ConstantOfShape: direct('ConstantOfShape', { value: 'tensor' }),
  Reshape: direct('Reshape', { allowzero: 'int' }),
  Transpose: direct('Transpose', { perm: 'ints' }),
  MatMul: direct('MatMul'),
  Gemm: direct('Gemm', { alpha: 'float', beta: 'float', transA: 'int', transB: 'int' }),
  Add: elementwise('Add'),
  Sub: elementwise('Sub'),
  Mul: elementwise('Mul'),
  Div: elementwise('Div'),
  Relu: elementwise('Relu'),
  Sigmoid: elementwise('Sigmoid'),
  Tanh: elementwise('Tanh'),
  Softmax: softmaxRule,
  Identity: direct('Identity'),
  Cast: castRule,
} as const satisfies Record<OpKind, LoweringRule>;

export type { RuleContext };
