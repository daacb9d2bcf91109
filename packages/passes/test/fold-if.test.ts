import { join } from 'node:path';
import { type Graph, loadOnnxFile, nodeSubgraphs, parseGraph, printGraphWithResources, verifyGraph, walkNodes } from '@lstmc/ir';
import { describe, expect, it } from 'vitest';
import { builtinRegistry, parsePipeline, runPipeline } from '../src/index.js';

const DIR = join(import.meta.dirname, '../../ir/test/fixtures/if');
const load = (name: string) => loadOnnxFile(join(DIR, name, 'model.onnx'));

function ops(g: Graph): string[] {
  const out: string[] = [];
  walkNodes(g, (n) => out.push(n.op));
  return out;
}

async function fold(g: Graph) {
  const run = await runPipeline(g, parsePipeline('fold', builtinRegistry()));
  return { graph: run.graph, counters: run.results[0]!.counters };
}

describe('fold: If', () => {
  it('inlines an If on a Constant condition, renaming branch names that collide with outer ones', async () => {
    const g = load('if_const');
    const { graph, counters } = await fold(g);
    expect(ops(graph)).not.toContain('If');
    expect(ops(graph)).not.toContain('Sin'); // the else branch is gone with the If
    expect(counters['if-inlined']).toBe(1);
    // The then branch defines `t`, as the outer graph does: the inlined one is renamed.
    const mul = graph.nodes.find((n) => n.op === 'Mul')!;
    expect(mul.outputs[0]).not.toBe('t');
    expect(graph.nodes.find((n) => n.op === 'Sigmoid')!.outputs).toEqual(['t']);
    expect(graph.initializers.has('k')).toBe(true);
    expect(verifyGraph(graph)).toEqual([]);
    // The folded graph is valid text that reads back.
    const { text, resources } = printGraphWithResources(graph);
    expect(printGraphWithResources(parseGraph(text, { file: 'f.lir', resources })).text).toBe(text);
  });

  it('inlines an If whose condition fold computes from shape facts (Shape -> Gather -> Cast)', async () => {
    const { graph, counters } = await fold(load('if_shape'));
    expect(ops(graph)).toEqual(['Tanh']); // the branch output takes the If output's name
    expect(counters['if-inlined']).toBe(1);
    expect(graph.nodes[0]!.outputs).toEqual(['y']);
    expect(verifyGraph(graph)).toEqual([]);
  });

  it('keeps an If on a graph input, and the values its branches read', async () => {
    const g = load('if_input');
    const { graph, counters } = await fold(g);
    expect(counters['if-inlined'] ?? 0).toBe(0);
    expect(ops(graph).filter((o) => o === 'If')).toHaveLength(1);
    // `bias` is read only inside the then branch: DCE must keep it.
    expect(graph.initializers.has('bias')).toBe(true);
    expect(verifyGraph(graph)).toEqual([]);
  });

  it("keeps Silero's sample-rate If: its condition depends on the graph input sr", async () => {
    const { graph, counters } = await fold(load('if_sr'));
    expect(counters['if-inlined'] ?? 0).toBe(0);
    expect(ops(graph)).toEqual(expect.arrayContaining(['Equal', 'If', 'LSTM']));
    expect(graph.initializers.has('k16000')).toBe(true);
  });

  it('folds inside the branches of a kept If, and inlines nested Ifs whose conditions become constant', async () => {
    // if_nested with cond2..cond4 turned into constants: if2..if4 go away inside if1's then branch.
    const g = load('if_nested');
    const text = printGraphWithResources(g, { elideAbove: Infinity })
      .text.replace(/  input %cond([234]) : bool\[\]\n/g, (_, k) => `  init %cond${k} = dense<[${k === '3' ? 0 : 1}]> : bool[]\n`);
    const consts = parseGraph(text, { file: 'nested.lir' });
    expect(consts.inputs).toEqual(['cond1', 'x']);
    const { graph, counters } = await fold(consts);
    // if2 and if3 are inlined; if3 takes its else branch, so if4 goes with the then branch.
    expect(counters['if-inlined']).toBe(2);
    expect(ops(graph).filter((o) => o === 'If')).toHaveLength(1);
    const if1 = graph.nodes.find((n) => n.op === 'If')!;
    expect(nodeSubgraphs(if1).every(({ graph: b }) => ops(b).every((o) => o !== 'If'))).toBe(true);
    expect(verifyGraph(graph)).toEqual([]);
  });
});
