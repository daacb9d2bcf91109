export { prepareGraph, type PreparedBody, type PreparedGraph, type PreparedNode } from './prepare.js';
export { CONTROL_FLOW, controlFlowDef, type ControlFlowDef, type ControlFlowKind } from './control-flow.js';
