import { binaryKernel, intDivByZero } from './binary-elementwise.js';

/** Integer division truncates toward zero, as onnxruntime does. */
export const divKernel = binaryKernel('Div', 'ONNX Div with numpy broadcasting (integer division truncates)', {
  num: (a, b) => a / b,
  int: (a, b) => (b === 0 ? intDivByZero() : Math.trunc(a / b)),
  big: (a, b) => (b === 0n ? intDivByZero() : a / b),
});
