import { rtFail } from '../errors.js';
import { toNumbers } from '../tensor.js';
import { defineKernel } from './kernel.js';
import { dtypeIs } from './shape-util.js';

/** ONNX Reshape: 0 copies the input dimension (unless allowzero=1), one -1 is inferred. Shares data. */
export const reshapeKernel = defineKernel({
  name: 'Reshape',
  summary: 'ONNX Reshape',
  inputs: [2, 2],
  requiredInputs: 2,
  outputs: [1, 1],
  attrs: { allowzero: { type: 'int', default: 0 } },
  check: (_a, node) => (dtypeIs(node.inputs[1] ?? null, 'i64') ? undefined : 'shape input must be i64'),
  run: ({ attrs, inputs }) => {
    const x = inputs[0]!;
    const req = toNumbers(inputs[1]!);
    let known = 1;
    let infer = -1;
    const shape = req.map((d, i) => {
      if (d === 0 && attrs.allowzero === 0) {
        if (i >= x.shape.length) rtFail('E-RT-EXEC', `Reshape: 0 at position ${i} has no input dimension to copy`);
        d = x.shape[i]!;
      }
      if (d === -1) {
        if (infer >= 0) rtFail('E-RT-EXEC', 'Reshape: more than one -1');
        infer = i;
        return -1;
      }
      if (!Number.isInteger(d) || d < 0) rtFail('E-RT-EXEC', `Reshape: bad dimension ${d}`);
      known *= d;
      return d;
    });
    const n = x.data.length;
    if (infer >= 0) {
      if (known === 0 || n % known !== 0) rtFail('E-RT-EXEC', `Reshape: cannot infer -1 reshaping [${x.shape.join(',')}] to [${req.join(',')}]`);
      shape[infer] = n / known;
    } else if (known !== n) rtFail('E-RT-EXEC', `Reshape: [${x.shape.join(',')}] has ${n} elements, [${shape.join(',')}] needs ${known}`);
    return [{ ...x, shape }];
  },
});
