import { binaryKernel } from './binary-elementwise.js';

export const addKernel = binaryKernel('Add', 'ONNX Add with numpy broadcasting', {
  num: (a, b) => a + b,
  big: (a, b) => BigInt.asIntN(64, a + b),
});
