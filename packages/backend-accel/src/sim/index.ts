export * from './machine.js';
export * from './sim-matrix.js';
export * from './load-matrices.js';
export * from './run.js';
export * from './trace.js';
export { simCheck } from './units.js';
export * from './report.js';
export * from './layer-plan-of.js';
