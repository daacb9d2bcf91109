export * from './rng.js';
export * from './compare.js';
