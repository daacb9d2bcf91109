export * from './glue.js';
export * from './simulate.js';
