import { rtFail } from '../errors.js';
import { dataMatchesDType, isRtDType } from '../dtype.js';
import { parseAttrs } from '../kernels/attrs.js';
import type { AnyKernel, KernelRegistry } from '../kernels/kernel.js';
import type { RtNode, RuntimeModel } from '../model.js';
import { numel } from '../tensor.js';

/** A node ready to run: its kernel and its attributes parsed once. */
export interface PreparedNode {
  readonly index: number;
  readonly node: RtNode;
  readonly kernel: AnyKernel;
  // Parsed by the node's own kernel schema; only that kernel reads it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly attrs: any;
  /** Requested outputs, one flag per output slot. */
  readonly wanted: readonly boolean[];
}

export interface PreparedGraph {
  readonly model: RuntimeModel;
  readonly nodes: readonly PreparedNode[];
  /** For each value index, the index of the last node that reads it (-1 if none; graph outputs never die). */
  readonly lastUse: Int32Array;
}

/**
 * Checks every graph-level rule of a RuntimeModel against a kernel registry: unique names, constants
 * consistent with their declarations, graph inputs not constants or produced, nodes in topological
 * order with known kernels, valid arity and attributes, kernel-specific checks, graph outputs defined.
 */
export function prepareGraph(model: RuntimeModel, registry: KernelRegistry): PreparedGraph {
  const nv = model.values.length;
  const names = new Set<string>();
  const available = new Uint8Array(nv);
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
  });
  const lastUse = new Int32Array(nv).fill(-1);
  const nodes: PreparedNode[] = model.nodes.map((node, ni) => {
    const f = `nodes[${ni}]`;
    const kernel = Object.prototype.hasOwnProperty.call(registry, node.kernel) ? registry[node.kernel] : undefined;
    if (!kernel) rtFail('E-RT-KERNEL', `unknown kernel '${node.kernel}'`, { field: `${f}.kernel` });
    const [minIn, maxIn] = kernel.inputs;
    const [minOut, maxOut] = kernel.outputs;
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
        if (k < kernel.requiredInputs) rtFail('E-RT-GRAPH', `input ${k} of ${node.kernel} is required`, { field: fi });
        return;
      }
      if (!available[vi]) rtFail('E-RT-GRAPH', `node '${node.name}' reads '${model.values[vi]!.name}' before it is produced`, { field: fi });
      lastUse[vi] = ni;
    });
    node.outputs.forEach((vi, k) => {
      const fo = `${f}.outputs[${k}]`;
      checkIndex(vi, fo, true);
      if (vi === -1) return;
      if (available[vi]) rtFail('E-RT-GRAPH', `value '${model.values[vi]!.name}' is defined twice`, { field: fo });
      available[vi] = 1;
    });
    const attrs = parseAttrs(kernel.attrs, node.attrs, `${f}.attrs`);
    const msg = kernel.check?.(attrs, {
      name: node.name,
      inputs: node.inputs.map((vi) => (vi === -1 ? null : model.values[vi]!)),
      outputs: node.outputs.map((vi) => (vi === -1 ? null : model.values[vi]!)),
    });
    if (msg !== undefined) rtFail('E-RT-GRAPH', `node '${node.name}' (${node.kernel}): ${msg}`, { field: f });
    return { index: ni, node, kernel, attrs, wanted: node.outputs.map((vi) => vi !== -1) };
  });
  const outNames = new Set<string>();
  model.outputs.forEach((vi, k) => {
    const f = `outputs[${k}]`;
    checkIndex(vi, f, false);
    if (!available[vi]) rtFail('E-RT-GRAPH', `graph output '${model.values[vi]!.name}' is never produced`, { field: f });
    if (outNames.has(model.values[vi]!.name)) rtFail('E-RT-GRAPH', `graph output '${model.values[vi]!.name}' is listed twice`, { field: f });
    outNames.add(model.values[vi]!.name);
    lastUse[vi] = model.nodes.length;
  });
  return { model, nodes, lastUse };
}
