import { describe, expect, it } from 'vitest';
import { isDiagnosticError, makeNode, makeTensor, updateGraph, inferTypes } from '@lstmc/ir';
import { defaultTarget } from '@lstmc/target';
import { compileAccel } from '../src/index.js';
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

describe('codegen refuses what the accelerator lacks, by name', () => {
  it('a classifier head (MatMul) after the LSTM goes to the host section', () => {
    const { graph } = randomModel({ input: 4, T: 2, B: 1, seed: 1, sparsity: 0, layers: [{ hidden: 3, direction: 'forward' }] });
    const head = makeNode({ op: 'MatMul', name: 'classifier', inputs: ['l0.out', 'fc.W'], outputs: ['logits'] });
    const inits = new Map(graph.initializers);
    inits.set('fc.W', makeTensor('f32', [3, 2], [1, 2, 3, 4, 5, 6]));
    const g = inferTypes(updateGraph(graph, { nodes: [...graph.nodes, head], outputs: ['logits'], initializers: inits }));
    const p = compileAccel(g, defaultTarget);
    expect(p.host.length).toBeGreaterThan(0);
    expect(p.io.hostFeeds.map((f) => f.name)).toEqual(['l0.Y']);
  });

  it('an op the accelerator lacks in front of an LSTM is refused by name', () => {
    const { graph } = randomModel({ input: 4, T: 2, B: 1, seed: 1, sparsity: 0, layers: [{ hidden: 3, direction: 'forward' }] });
    const pre = makeNode({ op: 'Relu', name: 'pre', inputs: ['X'], outputs: ['Xr'] });
    const nodes = [pre, ...graph.nodes.map((n) => (n.op === 'LSTM' ? makeNode({ ...n, inputs: ['Xr', ...n.inputs.slice(1)] }) : n))];
    const g = inferTypes(updateGraph(graph, { nodes }));
    const d = diag(() => compileAccel(g, defaultTarget));
    expect(d.code).toBe('E-ACCEL-UNSUPPORTED');
    expect(d.loc.node).toBe('pre');
    expect(d.message).toMatch(/'Relu'/);
  });

  it('activations other than Sigmoid/Tanh', () => {
    const c = lstmCases().find((x) => x.name.endsWith('test_lstm_activations'))!;
    const d = diag(() => compileAccel(c.graph, defaultTarget));
    expect(d.code).toBe('E-ACCEL-UNSUPPORTED');
    expect(d.loc.field).toBe('activations');
    expect(d.message).toMatch(/Relu/);
  });

  it('a layer too large for the vector memory', () => {
    const { graph } = randomModel({ input: 4, T: 1, B: 1, seed: 2, sparsity: 0.99, layers: [{ hidden: 2400, direction: 'forward' }] });
    expect(diag(() => compileAccel(graph, defaultTarget)).code).toBe('E-ACCEL-TOO-LARGE');
  });
});
