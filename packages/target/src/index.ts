export * from './params.js';
export * from './validate.js';
export * from './parse-target.js';
export * from './target-hash.js';
export * from './pe-map.js';
export * from './rel-csc.js';
export * from './cost-model.js';
export * from './layer-cost.js';
