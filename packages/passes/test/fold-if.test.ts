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

  it('inlines an If on a known dim of a partly symbolic shape (Shape of [2, batch, 128] -> Gather 0 -> Squeeze -> Cast)', async () => {
    // Silero's decoder branches on the state's first dim, which is static although the batch is not.
    const g = parseGraph(
      `graph @g {
  opset "" = 14
  input %state : f32[2, batch, 128]
  init %zero = dense<[0]> : i64[1]
  %s : i64[3] = Shape(%state) loc("shape")
  %d : i64[1] = Gather(%s, %zero) {axis = 0} loc("gather")
  %d0 : i64[] = Squeeze(%d, %zero) loc("squeeze")
  %c : bool[] = Cast(%d0) {to = 9} loc("cast")
  %y : f32[2, batch, 128] = If(%c) {else_branch = graph @else {
    opset "" = 14
    %e : f32[2, batch, 128] = Sin(%state) loc("e")
    output %e
  }, then_branch = graph @then {
    opset "" = 14
    %t : f32[2, batch, 128] = Tanh(%state) loc("t")
    output %t
  }} loc("if")
  output %y
}`,
      { file: 'f.lir' },
    );
    const { graph, counters } = await fold(g);
    expect(counters['if-inlined']).toBe(1);
    expect(ops(graph)).toEqual(['Tanh']);
    expect(verifyGraph(graph)).toEqual([]);
  });

  it('re-types after inlining, so an If on the rank of an inlined branch output folds too', async () => {
    // The first If's branches differ in rank (Squeeze or not), so its output has no rank until it is
    // inlined, nor has the Unsqueeze after it until it is re-typed; the second If asks for that rank
    // (Unsqueeze -> Shape -> Size -> Equal), as Silero's decoder does.
    const g = parseGraph(
      `graph @g {
  opset "" = 14
  input %x : f32[4, 1]
  init %one = dense<[1]> : i64[1]
  init %two = dense<[2]> : i64[]
  %s : i64[2] = Shape(%x) loc("shape")
  %last : i64[1] = Gather(%s, %one) {axis = 0} loc("last")
  %is1 : bool[1] = Equal(%last, %one) loc("is1")
  %sq : f32[*] = If(%is1) {else_branch = graph @keep {
    opset "" = 14
    %k : f32[4, 1] = Identity(%x) loc("k")
    output %k
  }, then_branch = graph @squeeze {
    opset "" = 14
    %q : f32[4] = Squeeze(%x, %one) loc("q")
    output %q
  }} loc("if1")
  %zero : i64[1] = Constant() {value = dense<[0]> : i64[1]} loc("zero")
  %u : f32[*] = Unsqueeze(%sq, %zero) loc("unsqueeze")
  %rs : i64["?r"] = Shape(%u) loc("rshape")
  %rank : i64[] = Size(%rs) loc("rank")
  %r2 : bool[] = Equal(%rank, %two) loc("r2")
  %y : f32[*] = If(%r2) {else_branch = graph @rank1 {
    opset "" = 14
    %a : f32[*] = Tanh(%u) loc("a")
    output %a
  }, then_branch = graph @rank2 {
    opset "" = 14
    %b : f32[*] = Sin(%u) loc("b")
    output %b
  }} loc("if2")
  output %y
}`,
      { file: 'f.lir' },
    );
    const { graph, counters } = await fold(g);
    expect(counters['if-inlined']).toBe(2);
    expect(ops(graph)).toEqual(['Squeeze', 'Unsqueeze', 'Sin']);
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
