export * from './isa/index.js';
export * from './container/index.js';
export * from './asm/index.js';
