export * from './rng.js';
export * from './compare.js';
export * from './error-cases.js';
export * from './chromium.js';
