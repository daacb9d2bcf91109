export { BUILTIN_KERNELS, OP_KERNELS, KERNEL_EXPORTS, type BuiltinKernelName } from './registry.js';
export { defineKernel, type AnyKernel, type AttrKindValue, type AttrSchema, type AttrSpec, type KernelCall, type KernelDef, type KernelRegistry, type ParsedAttrs, type StaticNodeInfo, type StreamSlot } from './kernel.js';
export { parseAttrs } from './attrs.js';
export { opKernel, opAttrTypes, DEFAULT_OPSET } from './op-kernel.js';
export * from './lstm/index.js';
export { convKernel } from './conv-kernel.js';
export { gemmKernel, matmulKernel } from './matmul-kernel.js';
export { absKernel, addKernel, divKernel, logKernel, mulKernel, negKernel, powKernel, reluKernel, sqrtKernel, subKernel, VECTOR_MIN } from './vector-kernels.js';
