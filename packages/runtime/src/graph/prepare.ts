import { rtFail } from '../errors.js';
import { dataMatchesDType, isRtDType } from '../dtype.js';
import { parseAttrs } from '../kernels/attrs.js';
import type { AnyKernel, KernelRegistry, StaticNodeInfo } from '../kernels/kernel.js';
import type { RtNode, RtSubgraph, RuntimeModel } from '../model.js';
import { numel } from '../tensor.js';
import { controlFlowDef, type ControlFlowDef } from './control-flow.js';

/** A node ready to run: its kernel and its attributes parsed once, or its prepared branches. */
export interface PreparedNode {
  /** Unique over the whole model, branches included: the key of per-node load and stream state. */
  readonly index: number;
  readonly node: RtNode;
  /** The registry kernel; absent for control-flow nodes, which have `control` and `branches`. */
  readonly kernel: AnyKernel;
  // Parsed by the node's own kernel schema; only that kernel reads it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly attrs: any;
  /** Requested outputs, one flag per output slot. */
  readonly wanted: readonly boolean[];
  /** Every value the node reads: its inputs, and for control flow what its branches read from outside them. */
  readonly reads: readonly number[];
  readonly control?: ControlFlowDef;
  readonly branches?: Readonly<Record<string, PreparedBody>>;
  /** An output of the node is a graph output: the caller keeps it, so it does not come from the run arena (no copy out of it). */
  readonly escapes: boolean;
}

/** The nodes of one graph scope (the main graph or a branch) in run order. */
export interface PreparedBody {
  readonly nodes: readonly PreparedNode[];
  readonly outputs: readonly number[];
  /**
   * Per node position, the values defined in this scope (not constants, not outputs of the scope) whose
   * last reader here is that node: what the executor drops after it.
   */
  readonly dies: readonly (readonly number[])[];
}

export interface PreparedGraph {
  readonly model: RuntimeModel;
  readonly nodes: readonly PreparedNode[];
  /** Every node of the model, branch nodes included, by `index`. */
  readonly all: readonly PreparedNode[];
  /** The main graph as a scope: its nodes, outputs and where each value it defines dies (what the executor runs). */
  readonly main: PreparedBody;
}

/** What control-flow kernels stand in for in the registry-typed fields of PreparedNode. */
const NO_KERNEL: AnyKernel = {
  name: 'control-flow',
  inputs: [0, 0],
  requiredInputs: 0,
  outputs: [0, 0],
  attrs: {},
  run: () => {
    throw new Error('control-flow nodes are run by the executor');
  },
};

/** What a kernel's load-time checks see of a node: its name and the manifest values of its slots. */
export function staticNodeInfo(model: RuntimeModel, node: RtNode): StaticNodeInfo {
  const at = (vi: number) => (vi === -1 ? null : model.values[vi]!);
  return { name: node.name, inputs: node.inputs.map(at), outputs: node.outputs.map(at) };
}

/** Every value a node reads: its inputs, and for control flow what its branches read from outside them. */
function outerReads(node: RtNode): number[] {
  const reads = node.inputs.filter((vi) => vi !== -1);
  for (const b of Object.values(node.branches ?? {})) {
    const local = new Set<number>();
    for (const n of b.nodes) {
      for (const vi of outerReads(n)) if (!local.has(vi)) reads.push(vi);
      for (const o of n.outputs) if (o !== -1) local.add(o);
    }
    for (const o of b.outputs) if (!local.has(o)) reads.push(o);
  }
  return reads;
}

/**
 * Checks every graph-level rule of a RuntimeModel against a kernel registry: unique names, constants
 * consistent with their declarations, graph inputs not constants or produced, nodes in topological
 * order with known kernels, valid arity and attributes, kernel-specific checks, graph outputs defined.
 * Branches of control-flow nodes follow the same rules, seeing the values available where their node
 * runs; a value is defined once in the whole model.
 */
export function prepareGraph(model: RuntimeModel, registry: KernelRegistry): PreparedGraph {
  const nv = model.values.length;
  const names = new Set<string>();
  const available = new Uint8Array(nv);
  const definedAnywhere = new Uint8Array(nv);
  const graphOutputs = new Set(model.outputs);
  model.values.forEach((v, i) => {
    const f = `values[${i}]`;
    if (typeof v.name !== 'string' || v.name.length === 0) rtFail('E-RT-GRAPH', 'value name must be a non-empty string', { field: `${f}.name` });
    if (names.has(v.name)) rtFail('E-RT-GRAPH', `duplicate value name '${v.name}'`, { field: `${f}.name` });
    names.add(v.name);
    if (!isRtDType(v.dtype)) rtFail('E-RT-DTYPE', `unknown dtype ${String(v.dtype)}`, { field: `${f}.dtype` });
    if (v.data) {
      const d = v.data;
      if (d.dtype !== v.dtype || !dataMatchesDType(d.dtype, d.data) || d.data.length !== numel(d.shape)) {
        rtFail('E-RT-GRAPH', `constant '${v.name}' data does not match its dtype ${v.dtype} and shape`, { field: f });
      }
      if (!v.shape || v.shape.length !== d.shape.length || v.shape.some((x, k) => x !== d.shape[k])) {
        rtFail('E-RT-SHAPE', `constant '${v.name}' declared shape differs from its data shape [${d.shape.join(',')}]`, { field: `${f}.shape` });
      }
      available[i] = 1;
      definedAnywhere[i] = 1;
    }
  });
  const checkIndex = (i: number, field: string, optional: boolean) => {
    if (!Number.isInteger(i) || i < (optional ? -1 : 0) || i >= nv) rtFail('E-RT-INDEX', `value index ${i} is out of range (${nv} values)`, { field });
  };
  model.inputs.forEach((vi, k) => {
    const f = `inputs[${k}]`;
    checkIndex(vi, f, false);
    if (available[vi]) rtFail('E-RT-GRAPH', `graph input '${model.values[vi]!.name}' is a constant or listed twice`, { field: f });
    available[vi] = 1;
    definedAnywhere[vi] = 1;
  });
  const all: PreparedNode[] = [];

  /** Prepares the nodes of one scope; `avail` holds what is available in it and is updated. */
  const prepareBody = (nodesIn: readonly RtNode[], outputs: readonly number[], avail: Uint8Array, path: string, outPath: string): PreparedBody => {
    const lastUse = new Map<number, number>();
    const local = new Set<number>();
    const nodes = nodesIn.map((node, ni): PreparedNode => {
      const f = `${path}[${ni}]`;
      const index = all.length;
      all.push(undefined as unknown as PreparedNode);
      const control = typeof node.kernel === 'string' ? controlFlowDef(node.kernel) : undefined;
      const kernel = control ? NO_KERNEL : Object.hasOwn(registry, node.kernel) ? registry[node.kernel] : undefined;
      if (!kernel) rtFail('E-RT-KERNEL', `unknown kernel '${node.kernel}' (not in this runtime's registry)`, { field: `${f}.kernel` });
      if (!control && node.branches !== undefined) rtFail('E-RT-GRAPH', `${node.kernel} is not a control-flow kernel and takes no branches`, { field: `${f}.branches` });
      const [minIn, maxIn] = control ? control.inputs : kernel.inputs;
      const [minOut, maxOut] = control ? [0, Infinity] : kernel.outputs;
      if (node.inputs.length < minIn || node.inputs.length > maxIn) {
        rtFail('E-RT-GRAPH', `${node.kernel} takes ${minIn}..${maxIn} inputs, node '${node.name}' has ${node.inputs.length}`, { field: `${f}.inputs` });
      }
      if (node.outputs.length < minOut || node.outputs.length > maxOut) {
        rtFail('E-RT-GRAPH', `${node.kernel} has ${minOut}..${maxOut} outputs, node '${node.name}' lists ${node.outputs.length}`, { field: `${f}.outputs` });
      }
      node.inputs.forEach((vi, k) => {
        const fi = `${f}.inputs[${k}]`;
        checkIndex(vi, fi, true);
        if (vi === -1) {
          if (k < (control ? minIn : kernel.requiredInputs)) rtFail('E-RT-GRAPH', `input ${k} of ${node.kernel} is required`, { field: fi });
          return;
        }
        if (!avail[vi]) rtFail('E-RT-GRAPH', `node '${node.name}' reads '${model.values[vi]!.name}' before it is produced`, { field: fi });
      });
      let branches: Record<string, PreparedBody> | undefined;
      if (control) {
        control.inputDTypes.forEach((dt, k) => {
          const vi = node.inputs[k]!;
          if (model.values[vi]!.dtype !== dt) rtFail('E-RT-GRAPH', `node '${node.name}' (${node.kernel}): input ${k} must be ${dt}, got ${model.values[vi]!.dtype}`, { field: `${f}.inputs[${k}]` });
        });
        const given = node.branches ?? {};
        for (const b of Object.keys(given)) if (!control.branches.includes(b)) rtFail('E-RT-GRAPH', `${node.kernel} has no branch '${b}'`, { field: `${f}.branches.${b}` });
        branches = {};
        for (const b of control.branches) {
          const sg: RtSubgraph | undefined = given[b];
          if (!sg) rtFail('E-RT-GRAPH', `node '${node.name}' (${node.kernel}) needs branch '${b}'`, { field: `${f}.branches` });
          if (sg.outputs.length !== node.outputs.length) {
            rtFail('E-RT-GRAPH', `node '${node.name}' (${node.kernel}): branch '${b}' yields ${sg.outputs.length} values for ${node.outputs.length} outputs`, { field: `${f}.branches.${b}.outputs` });
          }
          branches[b] = prepareBody(sg.nodes, sg.outputs, avail.slice(), `${f}.branches.${b}.nodes`, `${f}.branches.${b}.outputs`);
        }
      }
      const reads = outerReads(node);
      for (const vi of reads) lastUse.set(vi, ni);
      node.outputs.forEach((vi, k) => {
        const fo = `${f}.outputs[${k}]`;
        checkIndex(vi, fo, true);
        if (vi === -1) return;
        if (avail[vi] || definedAnywhere[vi]) rtFail('E-RT-GRAPH', `value '${model.values[vi]!.name}' is defined twice`, { field: fo });
        avail[vi] = 1;
        definedAnywhere[vi] = 1;
        local.add(vi);
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      let attrs: any = {};
      if (!control) {
        attrs = parseAttrs(kernel.attrs, node.attrs, `${f}.attrs`);
        const msg = kernel.check?.(attrs, staticNodeInfo(model, node));
        if (msg !== undefined) rtFail('E-RT-GRAPH', `node '${node.name}' (${node.kernel}): ${msg}`, { field: f });
      } else if (Object.keys(node.attrs).length) rtFail('E-RT-ATTR', `${node.kernel} takes no attributes`, { field: `${f}.attrs` });
      const escapes = node.outputs.some((vi) => graphOutputs.has(vi));
      const p: PreparedNode = { index, node, kernel, attrs, reads, wanted: node.outputs.map((vi) => vi !== -1), escapes, ...(control ? { control, branches } : {}) };
      all[index] = p;
      return p;
    });
    outputs.forEach((vi, k) => {
      const f = `${outPath}[${k}]`;
      checkIndex(vi, f, false);
      if (!avail[vi]) rtFail('E-RT-GRAPH', `${path === 'nodes' ? 'graph output' : 'branch output'} '${model.values[vi]!.name}' is never produced`, { field: f });
    });
    for (const vi of [...lastUse.keys()]) if (!local.has(vi)) lastUse.delete(vi);
    for (const vi of outputs) lastUse.delete(vi);
    const dies = nodes.map((): number[] => []);
    for (const [vi, k] of lastUse) if (!model.values[vi]!.data) dies[k]!.push(vi);
    return { nodes, outputs, dies };
  };

  const main = prepareBody(model.nodes, model.outputs, available, 'nodes', 'outputs');
  const outNames = new Set<string>();
  model.outputs.forEach((vi, k) => {
    const f = `outputs[${k}]`;
    if (outNames.has(model.values[vi]!.name)) rtFail('E-RT-GRAPH', `graph output '${model.values[vi]!.name}' is listed twice`, { field: f });
    outNames.add(model.values[vi]!.name);
  });
  return { model, nodes: main.nodes, all, main };
}
