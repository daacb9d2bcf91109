/**
 * @lstmc/runtime: loads and executes lstmc runtime graphs (.lrg) in Node and browsers.
 * No npm dependencies and no Node-only APIs (see `@lstmc/runtime/node` for file helpers).
 */
export { RuntimeError, rtFail, isRuntimeError, RUNTIME_ERROR_CODES, type RuntimeErrorCode, type RuntimeErrorLoc } from './errors.js';
export { RT_DTYPES, RT_DTYPE_NAMES, isRtDType, allocData, type RtDType, type RtData, type RtDataMap } from './dtype.js';
export { tensor, numel, stridesOf, toNumbers, type RtTensor } from './tensor.js';
export { RT_ATTR_TYPES, RT_EXEC_MODES, type RuntimeModel, type RtValue, type RtNode, type RtSubgraph, type RtAttr, type RtAttrType, type RtDim, type RtExecMode, type RtExecModeKind } from './model.js';
export * from './format/index.js';
export * from './kernels/index.js';
export { prepareGraph, CONTROL_FLOW, controlFlowDef, type ControlFlowDef, type PreparedBody, type PreparedGraph, type PreparedNode } from './graph/index.js';
export * from './executor/index.js';
export { BUILTIN_RUNTIME, loadModel, createModel, readRuntimeGraph } from './builtin.js';
export { findNonFinite, describeNonFinite, type NonFinite } from './finite.js';
