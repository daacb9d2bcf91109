export type { GraphEvaluator } from './evaluator.js';
export { trivialValues } from './evaluator.js';
export { traceLayers, traceForPass, withLstmOutputs, xSparsity, hSparsity } from './layer-inputs.js';
export type { LayerTrace } from './layer-inputs.js';
