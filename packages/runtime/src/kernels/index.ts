export { BUILTIN_KERNELS, type BuiltinKernelName } from './registry.js';
export { defineKernel, type AnyKernel, type AttrKindValue, type AttrSchema, type AttrSpec, type KernelCall, type KernelDef, type KernelRegistry, type ParsedAttrs, type StaticNodeInfo, type StreamSlot } from './kernel.js';
export { parseAttrs } from './attrs.js';
export { opKernel, opAttrTypes, OP_KERNELS, DEFAULT_OPSET } from './op-kernel.js';
export * from './lstm/index.js';
