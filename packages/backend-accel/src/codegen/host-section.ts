import type { Graph, Node } from '@lstmc/ir';
import { nodeReads, nodeSubgraphs, updateGraph, walkNodes } from '@lstmc/ir';
import { ANN, getFloats } from '@lstmc/passes';
import { type FixedWidths, compileToRuntimeGraph } from '@lstmc/backend-js';
import type { HostSegmentDesc } from '../container/program.js';
import type { HostSegment } from './partition.js';

/**
 * The host section: each host segment of the partition (the ops the
 * accelerator lacks: a front end, glue it cannot absorb, a classifier head)
 * as a runtime graph (.lrg) for the lstmc JS runtime, back to back. A
 * segment's inputs are graph inputs, LSTM outputs and earlier segments'
 * results; its outputs are what later stages and the graph outputs read.
 * LSTMs the quantize pass annotated that run on the host (inside an If on a
 * run-time condition) take the accelerator's fixed point (`fixed` widths),
 * so the binary computes the same whichever part runs them.
 */
export function hostSection(g: Graph, segments: readonly HostSegment[], fixed: FixedWidths): { bytes: Uint8Array; segments: HostSegmentDesc[] } {
  const parts: Uint8Array[] = [];
  const descs: HostSegmentDesc[] = [];
  let offset = 0;
  for (const s of segments) {
    const used = new Set(s.nodes.flatMap((n) => nodeReads(n)));
    const hg = updateGraph(g, {
      name: `${g.name}.host${s.index}`,
      inputs: s.inputs,
      outputs: s.outputs,
      nodes: s.nodes,
      initializers: new Map([...g.initializers].filter(([k]) => used.has(k))),
    });
    const bytes = compileToRuntimeGraph(hg, { verify: false, fixed: { ...fixed, quantizedOnly: true } });
    parts.push(bytes);
    const nodes = s.nodes.map((n) => {
      const qError = measuredError(n);
      return { name: n.name, op: n.op, ...(qError !== undefined ? { qError } : {}) };
    });
    descs.push({ index: s.index, offset, bytes: bytes.length, inputs: s.inputs, outputs: s.outputs, nodes });
    offset += bytes.length;
  }
  const out = new Uint8Array(offset);
  parts.forEach((p, i) => out.set(p, descs[i].offset));
  return { bytes: out, segments: descs };
}

/** The largest measured error (lstmc.q.error: h and c) of the LSTMs `n` runs, itself or in its subgraphs. */
function measuredError(n: Node): number | undefined {
  const errors: number[] = [];
  const visit = (m: Node) => {
    if (m.op === 'LSTM') errors.push(...(getFloats(m, ANN.qError) ?? []));
  };
  visit(n);
  for (const { graph } of nodeSubgraphs(n)) walkNodes(graph, visit);
  return errors.length ? Math.max(...errors) : undefined;
}
