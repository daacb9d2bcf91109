import { unaryFloatKernel } from './unary-elementwise.js';

export const reluKernel = unaryFloatKernel('Relu', 'ONNX Relu', (x) => (x > 0 ? x : 0));
