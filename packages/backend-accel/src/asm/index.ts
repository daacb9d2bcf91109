export * from './format-instr.js';
export * from './listing.js';
export * from './parser.js';
export * from './assemble.js';
