/**
 * Calibration reaches LSTMs inside If branches: a branch is calibrated on the samples whose
 * condition takes it, so the quantize pass measures the same error there as for the same LSTM at
 * the top level on those samples; a branch no sample takes is quantized as without calibration.
 */
import { describe, expect, it } from 'vitest';
import { type Graph, type Node, type Tensor, inferTypes, makeGraph, makeNode, makeTensor, tensorType } from '@lstmc/ir';
import { ANN, builtinRegistry, getFloats, lstmNodes, parsePipeline, runPipeline } from '@lstmc/passes';
import { calibrationX, lstmGraph } from '../../../passes/test/helpers/graphs.js';
import { makeRuntimeEvaluator } from '../../src/index.js';

const reg = builtinRegistry();
const SEQ = 4;
const BATCH = 2;
const INPUT = 5;

/** lstmGraph's one LSTM inside both branches of If(flag), reading the outer X, W, R, B. */
function branchy(): { flat: Graph; g: Graph } {
  const flat = lstmGraph({ input: INPUT, hidden: 4, seq: SEQ, batch: BATCH, seed: 7 });
  const lstm = flat.nodes[0]!;
  const branch = (tag: string): Graph =>
    makeGraph({ name: tag, inputs: [], outputs: [`${tag}_y`], values: [], nodes: [makeNode({ ...lstm, name: `${tag}_lstm`, outputs: [`${tag}_y`] })] });
  const g = inferTypes(
    makeGraph({
      name: 'branchy',
      inputs: ['X', 'flag'],
      outputs: ['y'],
      initializers: flat.initializers,
      values: [
        ['X', { name: 'X', type: tensorType('f32', [SEQ, BATCH, INPUT]) }],
        ['flag', { name: 'flag', type: tensorType('bool', []) }],
      ],
      nodes: [makeNode({ op: 'If', name: 'if', inputs: ['flag'], outputs: ['y'], attrs: { then_branch: { kind: 'graph', value: branch('then') }, else_branch: { kind: 'graph', value: branch('else') } } })],
    }),
  );
  return { flat, g };
}

const sample = (seed: number, flag: boolean, zeros = 0): Map<string, Tensor> =>
  new Map([...calibrationX(SEQ, BATCH, INPUT, seed, zeros), ['flag', makeTensor('bool', [], [flag ? 1 : 0])]]);

function branchLstm(g: Graph, attr: 'then_branch' | 'else_branch'): Node {
  const a = g.nodes[0]!.attrs[attr]!;
  if (a.kind !== 'graph') throw new Error('no branch');
  return lstmNodes(a.value)[0]!;
}

async function qError(g: Graph, calibration: Map<string, Tensor>[]): Promise<{ then?: readonly number[]; else?: readonly number[]; flat?: readonly number[] }> {
  const r = await runPipeline(g, parsePipeline('quantize', reg), { calibration, evaluate: makeRuntimeEvaluator() });
  if (g.nodes[0]!.op !== 'If') return { flat: getFloats(lstmNodes(r.graph)[0]!, ANN.qError) };
  return { then: getFloats(branchLstm(r.graph, 'then_branch'), ANN.qError), else: getFloats(branchLstm(r.graph, 'else_branch'), ANN.qError) };
}

describe('calibration inside If branches', () => {
  it('each branch measures the error of the samples that take it, as the same LSTM at the top level does', async () => {
    const { flat, g } = branchy();
    const r = await qError(g, [sample(1, true), sample(2, false), sample(3, true)]);
    const thenRef = (await qError(flat, [calibrationX(SEQ, BATCH, INPUT, 1), calibrationX(SEQ, BATCH, INPUT, 3)])).flat;
    const elseRef = (await qError(flat, [calibrationX(SEQ, BATCH, INPUT, 2)])).flat;
    expect(thenRef![0]).toBeGreaterThan(0);
    expect(r.then).toEqual(thenRef);
    expect(r.else).toEqual(elseRef);
    expect(r.then).not.toEqual(r.else);
  });

  it('a branch no sample takes has no measured error', async () => {
    const { g } = branchy();
    const r = await qError(g, [sample(1, true)]);
    expect(r.then![0]).toBeGreaterThan(0);
    expect(r.else).toBeUndefined();
  });

  it('sparsity{input=calibration} measures each branch on the samples that take it, as the same LSTM at the top level does', async () => {
    const { flat, g } = branchy();
    const sparsity = async (graph: Graph, calibration: Map<string, Tensor>[]) => {
      const r = await runPipeline(graph, parsePipeline('sparsity{input=calibration}', reg), { calibration, evaluate: makeRuntimeEvaluator() });
      const counted = r.results[0]!.counters['calibration-samples'];
      const of = (n: Node) => ({ x: getFloats(n, ANN.inputSparsityW), h: getFloats(n, ANN.inputSparsityR) });
      if (graph.nodes[0]!.op !== 'If') return { counted, flat: of(lstmNodes(r.graph)[0]!) };
      return { counted, then: of(branchLstm(r.graph, 'then_branch')), else: of(branchLstm(r.graph, 'else_branch')) };
    };
    const r = await sparsity(g, [sample(1, true, 0.6), sample(2, false, 0.2), sample(3, true, 0.6)]);
    const thenRef = (await sparsity(flat, [calibrationX(SEQ, BATCH, INPUT, 1, 0.6), calibrationX(SEQ, BATCH, INPUT, 3, 0.6)])).flat;
    const elseRef = (await sparsity(flat, [calibrationX(SEQ, BATCH, INPUT, 2, 0.2)])).flat;
    expect(thenRef!.x![0]).toBeGreaterThan(0.3);
    expect(elseRef!.x![0]).toBeLessThan(0.3);
    expect(r.then).toEqual(thenRef);
    expect(r.else).toEqual(elseRef);
    // the outer samples, counted once
    expect(r.counted).toBe(3);
    // a branch no sample takes stays unmeasured (no E-SPARSITY-NO-CALIBRATION there)
    const only = await sparsity(g, [sample(1, true, 0.6)]);
    expect(only.then).toEqual((await sparsity(flat, [calibrationX(SEQ, BATCH, INPUT, 1, 0.6)])).flat);
    expect(only.else).toEqual({ x: undefined, h: undefined });
  });
});
