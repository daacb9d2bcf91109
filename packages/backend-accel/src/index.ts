export * from './isa/index.js';
export * from './container/index.js';
export * from './asm/index.js';
export * from './sim/index.js';
export * from './codegen/index.js';
export * from './host/index.js';
