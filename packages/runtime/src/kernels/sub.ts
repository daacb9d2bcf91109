import { binaryKernel } from './binary-elementwise.js';

export const subKernel = binaryKernel('Sub', 'ONNX Sub with numpy broadcasting', {
  num: (a, b) => a - b,
  big: (a, b) => BigInt.asIntN(64, a - b),
});
