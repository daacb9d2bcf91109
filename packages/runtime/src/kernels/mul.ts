import { binaryKernel } from './binary-elementwise.js';

export const mulKernel = binaryKernel('Mul', 'ONNX Mul with numpy broadcasting', {
  num: (a, b) => a * b,
  // Exact low 32 bits of the product, as C integer multiplication wraps; narrower types wrap on store.
  int: (a, b) => Math.imul(a, b),
  big: (a, b) => BigInt.asIntN(64, a * b),
});
