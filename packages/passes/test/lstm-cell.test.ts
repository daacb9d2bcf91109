/**
 * The lstm-cell pass on torch 2.13's exports of nn.LSTMCell (tools/test/corpus/torch2: the dynamo and
 * the TorchScript exporter, a step with h0/c0 and a Python loop over the sequence): each cell becomes
 * one LSTM node, the arithmetic and torch's weights go, the graph's inputs and outputs stay. That the
 * raised LSTM computes what the cell did is tools/test/corpus.test.ts's part (torch's outputs, -O js
 * runs this pass); here, what is matched and what is left alone.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Graph, type Node, loadOnnxFile, makeNode, updateGraph, verifyGraph } from '@lstmc/ir';
import { builtinRegistry, parsePipeline, presetPipeline, raiseLstmCells, runPipeline } from '../src/index.js';

const TORCH2 = fileURLToPath(new URL('../../../tools/test/corpus/torch2/', import.meta.url));
const load = (name: string) => loadOnnxFile(join(TORCH2, name, 'model.onnx'));
const ops = (g: Graph) => g.nodes.map((n) => n.op);
const count = (g: Graph, op: string) => ops(g).filter((o) => o === op).length;
const folded = async (g: Graph, pipeline = 'fold') => (await runPipeline(g, parsePipeline(pipeline, builtinRegistry()))).graph;

describe('lstm-cell', () => {
  for (const name of ['dynamo-cell-step-linear-dynb', 'ts-cell-step-linear-dynb-op17', 'dynamo-cell-step-linear-fix-nobias'])
    it(`raises the step of ${name} to one LSTM with initial states`, async () => {
      const g = await folded(load(name));
      expect(count(g, 'Split')).toBe(1);
      const { graph, cells } = raiseLstmCells(g);
      verifyGraph(graph);
      expect(cells).toEqual([{ name: expect.any(String), input: 8, hidden: 16, h: 'hn', c: 'cn' }]);
      expect(ops(graph).sort()).toEqual(['Gemm', 'LSTM', 'Squeeze', 'Squeeze', 'Unsqueeze', 'Unsqueeze', 'Unsqueeze']);
      const lstm = graph.nodes.find((n) => n.op === 'LSTM')!;
      expect(lstm.attrs.hidden_size).toEqual({ kind: 'int', value: 16 });
      // X, W, R, B, no sequence_lens, initial_h, initial_c; Y left out, Y_h and Y_c
      expect(lstm.inputs[4]).toBe('');
      expect(lstm.outputs[0]).toBe('');
      expect([1, 2, 3].map((k) => [...graph.initializers.get(lstm.inputs[k]!)!.dims])).toEqual([[1, 64, 8], [1, 64, 16], [1, 128]]);
      // torch's weights are gone; inputs and outputs keep their names and types
      expect([...graph.initializers.keys()].filter((k) => k.startsWith('cell.'))).toEqual([]);
      expect(graph.inputs).toEqual(g.inputs);
      expect(graph.outputs).toEqual(g.outputs);
      for (const o of g.outputs) expect(graph.values.get(o)!.type).toEqual(g.values.get(o)!.type);
    });

  it('without biases, B is zeros', async () => {
    const { graph } = raiseLstmCells(await folded(load('dynamo-cell-step-linear-fix-nobias')));
    const b = graph.initializers.get(graph.nodes.find((n) => n.op === 'LSTM')!.inputs[3]!)!;
    expect(Array.from(b.data as Float32Array).every((v) => v === 0)).toBe(true);
  });

  it("raises every step of a loop but the first, whose h is fold's constant zeros", async () => {
    for (const name of ['dynamo-cell-loop-fix', 'ts-cell-loop-fix-op14']) {
      const g = await folded(load(name));
      const { graph, cells } = raiseLstmCells(g);
      verifyGraph(graph);
      expect([cells.length, count(graph, 'LSTM'), count(graph, 'Split')], name).toEqual([4, 4, 1]);
    }
  });

  it("matches an unfolded TorchScript export too (the split sizes a Constant node's): every step of its loop", () => {
    const { graph, cells } = raiseLstmCells(load('ts-cell-loop-fix-op14'));
    verifyGraph(graph);
    expect([cells.length, count(graph, 'Split'), count(graph, 'Constant')]).toEqual([5, 0, count(load('ts-cell-loop-fix-op14'), 'Constant') - 5]);
  });

  it('runs before fold in the presets, so the first step of a loop from zero states is raised too (TorchScript; the dynamo exporter folds it itself)', async () => {
    for (const [name, lstms] of [['ts-cell-loop-fix-op14', 5], ['dynamo-cell-loop-fix', 4]] as const) {
      const run = await runPipeline(load(name), parsePipeline(presetPipeline('js'), builtinRegistry()));
      expect(count(run.graph, 'LSTM'), name).toBe(lstms);
    }
  });

  it('is in the js and accel presets, and counts its cells', async () => {
    for (const preset of ['js', 'accel']) expect(presetPipeline(preset).split(',')).toContain('lstm-cell');
    const run = await runPipeline(load('ts-cell-step-linear-dynb-op17'), parsePipeline('fold,lstm-cell', builtinRegistry()));
    expect(run.results.find((r) => r.pass === 'lstm-cell')!.counters).toEqual({ cells: 1 });
    expect(count(run.graph, 'LSTM')).toBe(1);
  });

  /** The folded dynamo step with `edit` applied to its nodes. */
  const variant = async (edit: (n: Node, g: Graph) => Node) => {
    const g = await folded(load('dynamo-cell-step-linear-dynb'));
    return updateGraph(g, { nodes: g.nodes.map((n) => edit(n, g)) });
  };
  const splitOut = (g: Graph, k: number) => g.nodes.find((n) => n.op === 'Split')!.outputs[k]!;

  it('leaves a near miss alone: another activation on a gate', async () => {
    const g = await variant((n, g) => (n.inputs[0] === splitOut(g, 2) ? makeNode({ ...n, op: 'Sigmoid' }) : n));
    expect(raiseLstmCells(g).cells).toEqual([]);
    expect(raiseLstmCells(g).graph).toBe(g);
  });

  it('leaves a near miss alone: a gate value that is also a graph output', async () => {
    const g0 = await folded(load('dynamo-cell-step-linear-dynb'));
    const gate = g0.nodes.find((n) => n.inputs[0] === splitOut(g0, 1))!.outputs[0]!;
    const g = updateGraph(g0, { outputs: [...g0.outputs, gate] });
    expect(raiseLstmCells(g).cells).toEqual([]);
  });

  it('leaves a near miss alone: c = f * c + i * g with f and i swapped', async () => {
    // the forget gate multiplies tanh(g), the input gate the old state: not an LSTM cell
    const g = await variant((n, g) => {
      const [i, f] = [0, 1].map((k) => g.nodes.find((m) => m.inputs[0] === splitOut(g, k))!.outputs[0]!);
      return n.op === 'Mul' ? makeNode({ ...n, inputs: n.inputs.map((v) => (v === i ? f : v === f ? i : v)) }) : n;
    });
    expect(raiseLstmCells(g).cells).toEqual([]);
  });

  it('reads split sizes from the attribute of opsets before 13', async () => {
    const g0 = await folded(load('dynamo-cell-step-linear-dynb'));
    const withSizes = (sizes: number[]) =>
      updateGraph(g0, { opsets: { '': 11 }, nodes: g0.nodes.map((n) => (n.op === 'Split' ? makeNode({ ...n, attrs: { axis: { kind: 'int', value: 1 }, split: { kind: 'ints', value: sizes } } }) : n)) });
    const { graph, cells } = raiseLstmCells(withSizes([16, 16, 16, 16]));
    expect(cells).toHaveLength(1);
    // opset 11: Unsqueeze and Squeeze take their axes as an attribute
    expect(graph.nodes.filter((n) => n.op === 'Unsqueeze' || n.op === 'Squeeze').map((n) => [n.inputs.length, n.attrs.axes])).toEqual(
      [...Array(5)].map(() => [1, { kind: 'ints', value: [0] }]),
    );
  });

  it('leaves a near miss alone: c = f * f + i * g (no c from outside the cell)', async () => {
    const g = await variant((n, g) => {
      const f = g.nodes.find((m) => m.inputs[0] === splitOut(g, 1))!.outputs[0]!;
      return n.op === 'Mul' && n.inputs.includes(f) ? makeNode({ ...n, inputs: [f, f] }) : n;
    });
    expect(raiseLstmCells(g).cells).toEqual([]);
  });

  it('leaves a near miss alone: a Gemm that is not transB = 1', async () => {
    const g = await variant((n) => (n.op === 'Gemm' && n.inputs[0] === 'x' ? makeNode({ ...n, attrs: { ...n.attrs, alpha: { kind: 'float', value: 2 } } }) : n));
    expect(raiseLstmCells(g).cells).toEqual([]);
  });
});
