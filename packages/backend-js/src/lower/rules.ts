import { constantValue, fail, makeTensor, opDef } from '@lstmc/ir';
import { opAttrTypes } from '@lstmc/runtime';
import { rtAttrsOf } from './attrs.js';
import { lowerLstm } from './lstm-rule.js';
import type { LoweringRule, RuleContext } from './rule.js';

/**
 * Every op of the table with a reference evaluation lowers to the runtime kernel of the same name
 * (which runs that evaluation), with its ONNX attributes and the node's opset.
 */
const generic: LoweringRule = (c) => {
  const def = opDef(c.node.op, c.node.domain)!;
  c.emit(
    c.node.op,
    c.node.inputs.map((_, i) => c.input(i)),
    c.node.outputs.map((_, i) => c.output(i)),
    { ...rtAttrsOf(c.attrs, opAttrTypes(def), c.loc), opset: { type: 'int', value: c.opset } },
  );
};

const constantRule: LoweringRule = (c) => {
  const t = constantValue(c.node.attrs);
  if (!t) fail('E-JS-ATTR', 'Constant has no usable value attribute', c.loc);
  c.setConstant(0, t.dtype === 'string' ? fail('E-JS-DTYPE', 'the JS runtime has no string tensors', c.loc) : makeTensor(t.dtype, t.dims, t.data));
};

/** Ops whose lowering is not the generic one: LSTM picks a dense/sparse/fixed kernel; Constant becomes a value. */
const SPECIAL_RULES: Readonly<Record<string, LoweringRule>> = {
  LSTM: lowerLstm,
  Constant: constantRule,
};

/** The lowering rule of an op of the table: its special rule, or the generic one when it has a reference evaluation. */
export function loweringRule(op: string, domain: string): LoweringRule | undefined {
  if (Object.prototype.hasOwnProperty.call(SPECIAL_RULES, op)) return SPECIAL_RULES[op];
  return opDef(op, domain)?.eval ? generic : undefined;
}

export type { RuleContext };
