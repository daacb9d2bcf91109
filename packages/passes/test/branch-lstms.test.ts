import { join } from 'node:path';
import { type Graph, type Node, loadOnnxFile, parseGraph, verifyGraph } from '@lstmc/ir';
import { describe, expect, it } from 'vitest';
import { ANN, builtinRegistry, parsePipeline, runPipeline } from '../src/index.js';

// The LSTM passes reach the LSTMs inside If branches (Silero VAD keeps its LSTMs in branches on
// run-time conditions): they are pruned, measured, quantized and encoded like top-level ones.

const IF_DIR = join(import.meta.dirname, '../../ir/test/fixtures/if');

function branches(g: Graph): Graph[] {
  return g.nodes.flatMap((n) => Object.values(n.attrs).flatMap((a) => (a.kind === 'graph' ? [a.value] : [])));
}
const lstmOf = (g: Graph): Node => g.nodes.find((n) => n.op === 'LSTM')!;
const zeros = (a: ArrayLike<number>) => Array.from(a).filter((v) => v === 0).length / a.length;

async function run(g: Graph, pipeline: string) {
  const r = await runPipeline(g, parsePipeline(pipeline, builtinRegistry()));
  return { graph: r.graph, results: r.results };
}

// Two branches reading one outer W and R (weights shared by both branches).
const SHARED = `graph @shared {
  opset "" = 14
  input %x : f32[2, 1, 2]
  input %flag : bool[]
  init %W = dense<[0.5, -0.25, 0.125, 1.0, -0.5, 0.75, 0.3, -0.6, 0.2, 0.1, -0.9, 0.4, 0.05, -0.3, 0.6, -0.7]> : f32[1, 8, 2]
  init %R = dense<[0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8, 0.9, -0.1, 0.2, -0.3, 0.4, -0.5, 0.6, -0.7]> : f32[1, 8, 2]
  %y : f32[2, 1, 1, 2] = If(%flag) {else_branch = graph @e {
    opset "" = 14
    value %x : f32[2, 1, 2]
    value %W : f32[1, 8, 2]
    value %R : f32[1, 8, 2]
    %ey : f32[2, 1, 1, 2] = LSTM(%x, %W, %R) {hidden_size = 2} loc("else_lstm")
    output %ey
  }, then_branch = graph @t {
    opset "" = 14
    value %x : f32[2, 1, 2]
    value %W : f32[1, 8, 2]
    value %R : f32[1, 8, 2]
    %ty : f32[2, 1, 1, 2] = LSTM(%x, %W, %R) {hidden_size = 2} loc("then_lstm")
    %tz : f32[2, 1, 1, 2] = Tanh(%ty) loc("then_tanh")
    output %tz
  }} loc("if")
  output %y
}`;

describe('LSTM passes inside If branches', () => {
  it("Silero-style sample-rate branches: each branch's LSTM is pruned, measured, quantized and encoded; one report table per pass", async () => {
    const g = loadOnnxFile(join(IF_DIR, 'if_sr', 'model.onnx'));
    const { graph, results } = await run(g, 'prune{sparsity=0.5},sparsity,select-mode,quantize,encode');
    expect(verifyGraph(graph)).toEqual([]);
    const [else8k, then16k] = branches(graph);
    for (const b of [else8k!, then16k!]) {
      const n = lstmOf(b);
      expect(n.attrs[ANN.qW], n.name).toBeDefined();
      expect(n.attrs[ANN.sparsityW], n.name).toBeDefined();
      // The branch-local weights were pruned in place (no outer tensor involved).
      expect(zeros(b.initializers.get(n.inputs[1])!.data as Float32Array)).toBeCloseTo(0.5, 1);
      expect(b.initializers.get((n.attrs[ANN.qW] as { readonly value: readonly string[] }).value[0]!)?.dtype).toMatch(/^i(8|16)$/);
    }
    const quantize = results.find((r) => r.pass === 'quantize')!;
    expect(quantize.reports).toHaveLength(1);
    expect(quantize.reports[0]!.rows.map((r) => r[0])).toEqual(['r8k_lstm', 'r16k_lstm']);
    expect(quantize.counters.layers).toBe(2);
  });

  it('weights read from the outer scope: a pruned copy gets a name of its own in each branch, the outer tensor stays', async () => {
    const g = parseGraph(SHARED, { file: 'shared.lir' });
    const { graph } = await run(g, 'prune{sparsity=0.5}');
    expect(verifyGraph(graph)).toEqual([]);
    expect(graph.initializers.get('W')!.data).toEqual(g.initializers.get('W')!.data);
    const names = branches(graph).map((b) => lstmOf(b).inputs[1]!);
    expect(new Set(names).size).toBe(2);
    for (const [k, b] of branches(graph).entries()) {
      expect(names[k]).not.toBe('W');
      expect(zeros(b.initializers.get(names[k]!)!.data as Float32Array)).toBe(0.5);
      expect(b.initializers.has('W')).toBe(false);
    }
  });

  it('a pass that changes no weight leaves the branches reading the outer tensors', async () => {
    const g = parseGraph(SHARED, { file: 'shared.lir' });
    const { graph } = await run(g, 'sparsity');
    for (const b of branches(graph)) {
      expect(lstmOf(b).inputs.slice(1, 3)).toEqual(['W', 'R']);
      expect([...b.initializers.keys()]).toEqual([]);
      expect(lstmOf(b).attrs[ANN.sparsityW]).toBeDefined();
    }
  });

  it('an invalidated property loses its annotations inside branches too (prune after quantize)', async () => {
    const g = loadOnnxFile(join(IF_DIR, 'if_sr', 'model.onnx'));
    const { graph } = await run(g, 'quantize,prune{sparsity=0.5}');
    for (const b of branches(graph)) {
      expect(lstmOf(b).attrs[ANN.qW]).toBeUndefined();
      expect([...b.initializers.keys()].some((k) => k.startsWith('lstmc.'))).toBe(false);
    }
  });
});
