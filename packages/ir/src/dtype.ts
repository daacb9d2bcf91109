/** Element types live in @lstmc/ops (the bottom of the dependency order); the IR re-exports them. */
export { DTYPES, DTYPE_NAMES, isDType, dtypeFromOnnx } from '@lstmc/ops';
export type { DType } from '@lstmc/ops';
