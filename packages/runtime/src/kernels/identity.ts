import { defineKernel } from './kernel.js';

export const identityKernel = defineKernel({
  name: 'Identity',
  summary: 'ONNX Identity (returns its input; kernels never write into their inputs)',
  inputs: [1, 1],
  requiredInputs: 1,
  outputs: [1, 1],
  attrs: {},
  check: (_a, node) => (node.outputs[0] && node.inputs[0] && node.outputs[0].dtype !== node.inputs[0].dtype ? 'output dtype differs from input dtype' : undefined),
  run: ({ inputs }) => [inputs[0]!],
});
