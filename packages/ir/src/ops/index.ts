import { constantOf } from '@lstmc/ops';
import type { Attrs } from '../attr.js';
import { opAttrValues, fromOpTensor, type Tensor } from '../tensor.js';

/** The op table is @lstmc/ops' (every op described once); the IR re-exports it. */
export { OPS, OP_KINDS, opDef, isKnownOp, LSTM_ACTIVATIONS, LSTM_DIRECTIONS, LSTM_INPUTS, clampSlice } from '@lstmc/ops';
export type { OpKind, LstmActivation, LstmDirection, LstmAttrs } from '@lstmc/ops';

/** The tensor a Constant node holds, whichever of its value attributes is set. */
export function constantValue(attrs: Attrs): Tensor | undefined {
  const t = constantOf(opAttrValues(Object.fromEntries(Object.entries(attrs).map(([k, a]) => [k, a.value]))));
  return t && fromOpTensor(t);
}
