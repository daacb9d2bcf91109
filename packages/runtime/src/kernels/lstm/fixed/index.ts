export { lstmFixedKernel } from './lstm-fixed.js';
export { LSTM_FIXED_ATTRS, LSTM_FIXED_INPUTS, checkLstmFixed, type LstmFixedAttrs } from './schema.js';
export { fixedLayersOf } from './layers.js';
