export { lstmDenseF32Kernel, LSTM_DIRECTIONS } from './lstm-dense-f32.js';
export { lstmPackF32Kernel } from './lstm-pack-f32.js';
export { packLstmWeights, unpackLstmWeights, lstmPackedSections, lstmPackedShape, type LstmWeights, type LstmPackedSections } from './pack.js';
export { RNN_ACTIVATIONS, resolveActivations, isRnnActivation, sigmoid, type RnnActivationName, type ResolvedActivation } from './activations.js';
export { createMatvecEngine, hasWasmSimd, hasRelaxedSimd, type MatvecEngine, type EngineChoice } from './matvec-engine.js';
export { lstmFixedKernel, LSTM_FIXED_ATTRS, LSTM_FIXED_INPUTS, type LstmFixedAttrs } from './fixed/index.js';
export { lstmSparseF32Kernel } from './lstm-sparse-f32.js';
export { lstmSparsePackF32Kernel } from './lstm-sparse-pack-f32.js';
export { packLstmSparse, lstmSparseSections, lstmSparseNonZeros, validateLstmSparse, type LstmSparseChoice, type LstmSparseArrays, type LstmSparseSections } from './sparse-layout.js';
