export { crc32 } from '@lstmc/runtime';
export * from './program.js';
export * from './sections.js';
export * from './weights-blob.js';
export * from './lxb-write.js';
export * from './lxb-read.js';
export * from './validate-meta.js';
export * from './validate-refs.js';
export * from './measured-errors.js';
