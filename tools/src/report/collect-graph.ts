/**
 * The graph and where each node runs. From a model: the accelerator
 * partition of the pipeline's output (partition.ts, as `inspect` and
 * `compile --pass-reports` print it) and the JS runtime kernels the same
 * graph lowers to for `--target js`. From a binary: its accelerator phases
 * and host segments.
 */
import type { Graph } from '@lstmc/ir';
import { type LxbProgram, type Partition, placementRow, placementTable, stageOrder } from '@lstmc/backend-accel';
import { type RuntimeModel, readRuntimeGraph } from '@lstmc/runtime';
import type { GraphData, GraphNodeData } from './report-data.js';

/** Runtime kernels by source node name (a node may lower to several, e.g. a pack and an LSTM kernel). */
function kernelsByNode(rt: RuntimeModel | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const n of rt?.nodes ?? []) {
    const list = out.get(n.name) ?? [];
    if (!list.includes(n.kernel)) list.push(n.kernel);
    out.set(n.name, list);
  }
  return out;
}

export function graphOfModel(g: Graph, partition: Partition, rt: RuntimeModel | undefined): GraphData {
  const byName = new Map(g.nodes.map((n) => [n.name, n]));
  const kernels = kernelsByNode(rt);
  const nodes: GraphNodeData[] = partition.placements.map((p) => {
    const row = placementRow(p);
    const n = byName.get(p.node);
    return { name: p.node, op: p.op, where: p.where, stage: row[3], reason: p.reason, kernels: kernels.get(p.node) ?? [], inputs: n?.inputs.filter((x) => x) ?? [], outputs: n?.outputs.filter((x) => x) ?? [] };
  });
  return { summary: placementTable(partition).title, nodes, inputs: g.inputs.filter((i) => !g.initializers.has(i)), outputs: [...g.outputs], stages: stageOrder(partition) };
}

/** The nodes of a host segment's runtime graph, with their kernels and value names. */
function segmentNodes(p: LxbProgram, seg: LxbProgram['io']['hostSegments'][number]): { name: string; kernel: string; inputs: string[]; outputs: string[] }[] {
  const m = readRuntimeGraph(p.host.subarray(seg.offset, seg.offset + seg.bytes));
  const names = (ix: readonly number[]) => ix.filter((i) => i >= 0).map((i) => m.values[i].name);
  return m.nodes.map((n) => ({ name: n.name, kernel: n.kernel, inputs: names(n.inputs), outputs: names(n.outputs) }));
}

/**
 * A binary knows its LSTM layers (phases), the tensors the host exchanges
 * with each (x, initial state, outputs) and the runtime graphs of its host
 * segments; a stacked layer's X read in place from another layer's Y is not
 * recorded per layer, so that edge is not drawn.
 */
export function graphOfProgram(p: LxbProgram): GraphData {
  const nodes: GraphNodeData[] = [];
  const stages: string[] = [];
  const phases = p.io.phases.length;
  const tensors = (node: string, roles: readonly string[]) => [...new Set(p.io.tensors.filter((t) => t.node === node && roles.includes(t.role)).map((t) => t.name))];
  for (let k = 0; k <= phases; k++) {
    const seg = p.io.hostSegments.find((s) => s.index === k);
    if (seg) {
      stages.push(`host segment ${k}: ${seg.nodes.map((n) => n.name).join(', ')} (reads ${seg.inputs.join(', ') || 'nothing'}; yields ${seg.outputs.join(', ')})`);
      const ops = new Map(seg.nodes.map((n) => [n.name, n.op]));
      for (const n of segmentNodes(p, seg))
        nodes.push({ name: n.name, op: ops.get(n.name) ?? n.kernel, where: 'host', stage: `segment ${k}`, reason: 'a host segment of the binary (JS runtime)', kernels: [n.kernel], inputs: n.inputs, outputs: n.outputs });
    }
    if (k < phases) {
      const ph = p.io.phases[k];
      stages.push(`accelerator phase ${k}: ${ph.nodes.join(', ')}`);
      for (const name of ph.nodes)
        nodes.push({ name, op: 'LSTM', where: 'accel', stage: `phase ${k}`, reason: 'microcode of the binary', kernels: [], inputs: tensors(name, ['x', 'h0', 'c0']), outputs: tensors(name, ['y', 'yh', 'yc']) });
    }
  }
  const accel = nodes.filter((n) => n.where === 'accel').length;
  return {
    summary: `placement (from the binary): ${accel} accel, ${nodes.length - accel} host; ${phases} accelerator phase(s), ${p.io.hostSegments.length} host segment(s)`,
    nodes,
    inputs: [...p.io.graphInputs],
    outputs: [...p.io.graphOutputs],
    stages,
  };
}
