/** Value types live in @lstmc/ops (the bottom of the dependency order); the IR re-exports them. */
export { tensorType, isStaticShape, dimsEqual, dimsCompatible, typesEqual, formatShape, formatType } from '@lstmc/ops';
export type { Dim, FixedPoint, TensorType } from '@lstmc/ops';
