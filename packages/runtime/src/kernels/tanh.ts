import { unaryFloatKernel } from './unary-elementwise.js';

export const tanhKernel = unaryFloatKernel('Tanh', 'ONNX Tanh', Math.tanh);
