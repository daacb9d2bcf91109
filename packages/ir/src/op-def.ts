/** Op definitions live in @lstmc/ops (one file per op family); the IR re-exports their types. */
export type { AttrSpec, PortSpec, InferContext, EvalContext, OpDef, OpAttrs, AttrValue } from '@lstmc/ops';
