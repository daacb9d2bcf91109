export { printGraph, printGraphWithResources, graphResources, TEXT_IR_HEADER, TEXT_IR_VERSION, DEFAULT_ELIDE_ABOVE } from './print.js';
export type { PrintOptions, PrintedGraph } from './print.js';
export { parseGraph, createTextIrReader } from './parse.js';
export type { ParseOptions, TextIrReader } from './parse.js';
export { TEXT_ERROR_CODES } from './build-context.js';
export type { TextErrorCode } from './build-context.js';
export { formatTextType } from './names.js';
