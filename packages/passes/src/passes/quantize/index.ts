export { quantizePass, ASSUMED_RANGE } from './quantize-pass.js';
export { fixedLayerError } from './measure.js';
export type { LayerError } from './measure.js';
export { floatDirections, unsupportedActivation } from './float-layer.js';
export { dequantizedWeightsGraph, dequantizeForm, type DequantizeForm, type DequantizedWeights } from './dequantized-weights.js';
