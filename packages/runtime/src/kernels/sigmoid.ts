import { unaryFloatKernel } from './unary-elementwise.js';
import { sigmoid } from './lstm/activations.js';

export const sigmoidKernel = unaryFloatKernel('Sigmoid', 'ONNX Sigmoid', sigmoid);
