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
  it('a classifier head (MatMul) after the LSTM', () => {
    const { graph } = randomModel({ input: 4, T: 2, B: 1, seed: 1, sparsity: 0, layers: [{ hidden: 3, direction: 'forward' }] });
    const head = makeNode({ op: 'MatMul', name: 'classifier', inputs: ['l0.out', 'fc.W'], outputs: ['logits'] });
    const inits = new Map(graph.initializers);
    inits.set('fc.W', makeTensor('f32', [3, 2], [1, 2, 3, 4, 5, 6]));
    const g = inferTypes(updateGraph(graph, { nodes: [...graph.nodes, head], outputs: ['logits'], initializers: inits }));
    const d = diag(() => compileAccel(g, defaultTarget));
    expect(d.code).toBe('E-ACCEL-UNSUPPORTED');
    expect(d.loc.node).toBe('classifier');
    expect(d.message).toMatch(/'MatMul'/);
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
