/**
 * @lstmc/runtime/timing: times one product of each weight kernel on this machine (the measured CPU
 * cost table of select-mode{cost=cpu}, tools/scripts/measure-cpu-costs.mjs) and reads the structure
 * the runtime would run a sparse matrix in. A subpath of its own: an embedding application never
 * needs it, so the browser bundle of the main entry does not carry it.
 */
export { PRODUCT_KERNELS, PRODUCT_UNITS, matrixStructure, productUnits, timeProduct, type ProductKernel, type MatrixStructure, type TimingOptions } from './kernels/lstm/product-timing.js';
