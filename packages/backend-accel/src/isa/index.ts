export * from './fields.js';
export * from './table.js';
export * from './derive-isa.js';
export * from './encode.js';
export * from './decode.js';
export * from './isa-doc.js';
