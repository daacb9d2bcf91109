/**
 * @lstmc/ops/defs: each op's definition as its own export (`Gather`, `Softmax`, ...), for builds that
 * take only the ops they use (a bundler keeps the definitions imported and drops the rest; the
 * definitions and their family tables are built by pure expressions). The op table is the main entry's OPS.
 */
export * from './ops/constant.js';
export * from './ops/conv.js';
export * from './ops/elementwise.js';
export * from './ops/indexing.js';
export * from './ops/linalg.js';
export * from './ops/normalization.js';
export * from './ops/pad.js';
export * from './ops/quantize.js';
export * from './ops/reduce.js';
export * from './ops/shape.js';
