/**
 * The accelerator/host partition on hand-made graphs: what runs where, in
 * which stage, and what is refused (only ops nothing can run). The torch
 * exports are in partition-torch.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { inferTypes, isDiagnosticError, makeNode, makeTensor, updateGraph, type Graph, type Node } from '@lstmc/ir';
import { defaultTarget } from '@lstmc/target';
import { compileAccel, partitionGraph, placementTable, stageOrder } from '../src/index.js';
import { randomModel } from './random-model.js';
import { lstmCases } from './conformance.js';

function diag(f: () => unknown) {
  try {
    f();
  } catch (e) {
    if (isDiagnosticError(e)) return e.diagnostic;
    throw e;
  }
  throw new Error('expected a diagnostic');
}

const where = (g: Graph) => Object.fromEntries(partitionGraph(g).placements.map((p) => [p.node, `${p.where}${p.stage === null ? '' : ` ${p.stage}`}`]));

/** Replace the X of LSTM `name` by `x`. */
const feed = (nodes: readonly Node[], name: string, x: string) => nodes.map((n) => (n.name === name ? makeNode({ ...n, inputs: [x, ...n.inputs.slice(1)] }) : n));

describe('partition', () => {
  it('a classifier head (MatMul) after the LSTM: a host segment after the last phase, fed Y', () => {
    const { graph } = randomModel({ input: 4, T: 2, B: 1, seed: 1, sparsity: 0, layers: [{ hidden: 3, direction: 'forward' }] });
    const head = makeNode({ op: 'MatMul', name: 'classifier', inputs: ['l0.out', 'fc.W'], outputs: ['logits'] });
    const inits = new Map(graph.initializers);
    inits.set('fc.W', makeTensor('f32', [3, 2], [1, 2, 3, 4, 5, 6]));
    const g = inferTypes(updateGraph(graph, { nodes: [...graph.nodes, head], outputs: ['logits'], initializers: inits }));
    const part = partitionGraph(g);
    expect(where(g)).toEqual({ lstm0: 'accel 0', sq0: 'host 1', classifier: 'host 1' });
    expect(part.segments.map((s) => ({ index: s.index, inputs: s.inputs, outputs: s.outputs }))).toEqual([{ index: 1, inputs: ['l0.Y'], outputs: ['logits'] }]);
    const p = compileAccel(g, defaultTarget);
    expect(p.io.hostSegments.map((s) => s.nodes.map((n) => n.op))).toEqual([['Squeeze', 'MatMul']]);
    expect(p.host.length).toBe(p.io.hostSegments[0].bytes);
  });

  it('an op in front of an LSTM runs in host segment 0; glue between layers is absorbed', () => {
    const { graph } = randomModel({ input: 4, T: 2, B: 1, seed: 1, sparsity: 0, layers: [{ hidden: 3, direction: 'bidirectional' }, { hidden: 2, direction: 'forward' }] });
    const pre = makeNode({ op: 'Relu', name: 'pre', inputs: ['X'], outputs: ['Xr'] });
    const g = inferTypes(updateGraph(graph, { nodes: [pre, ...feed(graph.nodes, 'lstm0', 'Xr')] }));
    expect(where(g)).toEqual({ pre: 'host 0', lstm0: 'accel 0', tr0: 'accel', rs0: 'accel', lstm1: 'accel 0', sq1: 'host' });
    const part = partitionGraph(g);
    expect(part.placements.find((p) => p.node === 'rs0')!.reason).toMatch(/re-views the Y of LSTM 'lstm0' as the X of LSTM 'lstm1'/);
    expect(part.placements.find((p) => p.node === 'sq1')!.reason).toMatch(/graph output 'l1.out'.*host's glue/);
    expect(stageOrder(part)).toEqual([
      'host segment 0: pre (reads X; yields Xr)',
      'accelerator phase 0: lstm0, lstm1',
      'outputs read from LSTMs: l1.out (lstm1 Y + Squeeze), l1.Yh (lstm1 Y_h)',
    ]);
  });

  it('an op between LSTM layers splits them into two accelerator phases around a host segment', () => {
    const { graph } = randomModel({ input: 4, T: 2, B: 1, seed: 1, sparsity: 0, layers: [{ hidden: 3, direction: 'forward' }, { hidden: 3, direction: 'forward' }] });
    const mid = makeNode({ op: 'Tanh', name: 'mid', inputs: ['l0.out'], outputs: ['mid.out'] });
    const nodes = feed(graph.nodes, 'lstm1', 'mid.out');
    const at = nodes.findIndex((n) => n.name === 'lstm1');
    const g = inferTypes(updateGraph(graph, { nodes: [...nodes.slice(0, at), mid, ...nodes.slice(at)] }));
    expect(where(g)).toEqual({ lstm0: 'accel 0', sq0: 'host 1', mid: 'host 1', lstm1: 'accel 1', sq1: 'host' });
    const p = compileAccel(g, defaultTarget);
    expect(p.io.phases.map((ph) => ph.nodes)).toEqual([['lstm0'], ['lstm1']]);
    expect(p.code[p.io.phases[1].entry - 1].mnemonic).toBe('halt');
    expect(p.code.at(-1)!.mnemonic).toBe('halt');
  });

  it('an initial state computed from a later LSTM output moves that layer to a later phase', () => {
    const { graph } = randomModel({ input: 4, T: 2, B: 1, seed: 1, sparsity: 0, layers: [{ hidden: 3, direction: 'forward' }, { hidden: 3, direction: 'forward' }] });
    const h = makeNode({ op: 'Tanh', name: 'h0', inputs: ['l0.Yh'], outputs: ['h0.out'] });
    const nodes = graph.nodes.map((n) => (n.name === 'lstm1' ? makeNode({ ...n, inputs: [...n.inputs.slice(0, 5), 'h0.out'] }) : n));
    const at = nodes.findIndex((n) => n.name === 'lstm1');
    const g = inferTypes(updateGraph(graph, { nodes: [...nodes.slice(0, at), h, ...nodes.slice(at)] }));
    // lstm1 still reads lstm0's Y in place (absorbed Squeeze), but only after the host computed its h0
    expect(where(g)).toEqual({ lstm0: 'accel 0', sq0: 'accel', h0: 'host 1', lstm1: 'accel 1', sq1: 'host' });
  });

  it('an LSTM with activations the tables lack runs on the JS runtime, and the reason says so', () => {
    const c = lstmCases().find((x) => x.name.endsWith('test_lstm_activations'))!;
    const part = partitionGraph(c.graph);
    const l = part.placements.find((p) => p.op === 'LSTM')!;
    expect(l.where).toBe('host');
    expect(l.reason).toMatch(/activation f is Relu/i);
    const p = compileAccel(c.graph, defaultTarget);
    expect(p.io.phases).toEqual([]);
    expect(p.io.hostSegments.map((s) => s.index)).toEqual([0]);
  });

  it('an opaque op is refused by name only when a result needs it', () => {
    const { graph } = randomModel({ input: 4, T: 2, B: 1, seed: 1, sparsity: 0, layers: [{ hidden: 3, direction: 'forward' }] });
    const odd = makeNode({ op: 'FancyNorm', domain: 'com.example', name: 'odd', inputs: ['l0.out'], outputs: ['odd.out'] });
    const unused = inferTypes(updateGraph(graph, { nodes: [...graph.nodes, odd] }));
    expect(partitionGraph(unused).placements.find((p) => p.node === 'odd')!.where).toBe('unused');
    expect(() => compileAccel(unused, defaultTarget)).not.toThrow();
    const used = inferTypes(updateGraph(graph, { nodes: [...graph.nodes, odd], outputs: ['odd.out'] }));
    expect(partitionGraph(used).placements.find((p) => p.node === 'odd')!.where).toBe('refused');
    const d = diag(() => compileAccel(used, defaultTarget));
    expect(d.code).toBe('E-ACCEL-UNSUPPORTED');
    expect(d.loc.node).toBe('odd');
    expect(d.message).toMatch(/'FancyNorm'.*neither on the accelerator nor on the JS runtime/);
  });

  it('the placement table has one row per node', () => {
    const { graph } = randomModel({ input: 4, T: 2, B: 1, seed: 1, sparsity: 0, layers: [{ hidden: 3, direction: 'forward' }] });
    const t = placementTable(partitionGraph(graph));
    expect(t.rows.map((r) => r.slice(0, 4))).toEqual([['lstm0', 'LSTM', 'accel', 'phase 0'], ['sq0', 'Squeeze', 'host', '-']]);
    expect(t.title).toBe('placement: 1 accel, 1 host; 1 accelerator phase(s), 0 host segment(s)');
  });
});

describe('codegen refuses what the accelerator lacks, by name', () => {
  it('a layer too large for the vector memory', () => {
    const { graph } = randomModel({ input: 4, T: 1, B: 1, seed: 2, sparsity: 0.99, layers: [{ hidden: 2400, direction: 'forward' }] });
    expect(diag(() => compileAccel(graph, defaultTarget)).code).toBe('E-ACCEL-TOO-LARGE');
  });
});
