export * from './builder.js';
export * from './lstm-plan.js';
export * from './lower-lstm.js';
export * from './graph-walk.js';
export * from './compile.js';
export * from './compile-binary.js';
export * from './host-section.js';
