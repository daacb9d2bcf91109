import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCases } from '@lstmc/testing';
import { isDiagnosticError } from '../src/diagnostic.js';
import { type Graph, makeGraph, makeNode } from '../src/graph.js';
import { makeTensor, type Tensor } from '../src/tensor.js';
import { tensorType } from '../src/types.js';
import { inferTypes } from '../src/infer.js';
import { exportOnnx, importOnnx, loadOnnxFile } from '../src/onnx/index.js';
import { nodeSubgraphs, outerReferences } from '../src/subgraph.js';
import { parseGraph, printGraphWithResources } from '../src/text/index.js';
import { verifyGraph } from '../src/verify.js';
import { diffGraphs } from './text-helpers.js';

const DIR = join(import.meta.dirname, 'fixtures/if');
const MODELS = ['if_input', 'if_nested', 'if_lstm', 'if_const', 'if_shape', 'if_sr'];
const load = (name: string) => loadOnnxFile(join(DIR, name, 'model.onnx'));
const branches = (g: Graph, node: string) => Object.fromEntries(nodeSubgraphs(g.nodes.find((n) => n.name === node)!).map((s) => [s.attr, s.graph]));

function depth(g: Graph): number {
  let d = 0;
  for (const n of g.nodes) for (const s of nodeSubgraphs(n)) d = Math.max(d, 1 + depth(s.graph));
  return d;
}

describe('If: import, types, text', () => {
  it('types If outputs from the branches, which see outer values and hold their own initializers', () => {
    const g = load('if_input');
    expect(g.values.get('y')!.type).toEqual({ dtype: 'f32', shape: [2, 3] });
    const { then_branch: t, else_branch: e } = branches(g, 'select');
    expect([...t!.initializers.keys()]).toEqual(['scale']);
    expect(outerReferences(t!)).toEqual(['bias', 'x']);
    expect(outerReferences(e!)).toEqual(['x']);
    // The branch records its own values and the outer ones it reads.
    expect(t!.values.get('t1')!.type).toEqual({ dtype: 'f32', shape: [2, 3] });
    expect(t!.values.get('bias')!.type).toEqual({ dtype: 'f32', shape: [2, 3] });
    expect(t!.values.has('cond')).toBe(false);
    expect(verifyGraph(g)).toEqual([]);
  });

  it('types an If nested four levels deep', () => {
    const g = load('if_nested');
    expect(depth(g)).toBe(4);
    expect(g.values.get('y')!.type).toEqual({ dtype: 'f32', shape: [4] });
    expect(verifyGraph(g)).toEqual([]);
  });

  it('types LSTMs inside both branches', () => {
    const g = load('if_lstm');
    expect(g.values.get('Y')!.type).toEqual({ dtype: 'f32', shape: [6, 1, 4] });
    expect(g.values.get('Y_h')!.type).toEqual({ dtype: 'f32', shape: [1, 1, 4] });
    const { then_branch: t } = branches(g, 'branchy');
    expect(t!.values.get('fw_Y')!.type).toEqual({ dtype: 'f32', shape: [6, 1, 1, 4] });
  });

  it("types Silero's sample-rate branch: If on Equal(sr, 16000) of an i64 input, an LSTM per branch", () => {
    const g = load('if_sr');
    expect(g.values.get('sr')!.type).toEqual({ dtype: 'i64', shape: [] });
    expect(g.values.get('prob')!.type).toEqual({ dtype: 'f32', shape: [4, 1, 1, 3] });
    expect(g.values.get('hn')!.type).toEqual({ dtype: 'f32', shape: [1, 1, 3] });
    const { then_branch: t } = branches(g, 'rate');
    expect(outerReferences(t!)).toEqual(['c', 'h', 'x']);
  });

  it('merges differing branch shapes into symbolic dims; a constant condition types from the taken branch', () => {
    const sub = (name: string, out: string) =>
      makeGraph({ name, inputs: [], outputs: [`${name}_o`], values: [], nodes: [makeNode({ op: 'Identity', name: `${name}/id`, inputs: [out], outputs: [`${name}_o`] })] });
    const model = (cond: 'input' | 'init') =>
      makeGraph({
        inputs: cond === 'input' ? ['c', 'x'] : ['x'],
        outputs: ['y'],
        initializers: [['w', makeTensor('f32', [4, 3], new Float32Array(12))] as [string, Tensor], ...(cond === 'init' ? [['c', makeTensor('bool', [], [1])] as [string, Tensor]] : [])],
        values: [
          ['x', { name: 'x', type: tensorType('f32', [2, 3]) }],
          ['c', { name: 'c', type: tensorType('bool', []) }],
        ],
        nodes: [makeNode({ op: 'If', name: 'if', inputs: ['c'], outputs: ['y'], attrs: { then_branch: { kind: 'graph', value: sub('t', 'x') }, else_branch: { kind: 'graph', value: sub('e', 'w') } } })],
      });
    const merged = inferTypes(model('input')).values.get('y')!.type;
    expect(merged.dtype).toBe('f32');
    expect(merged.shape![1]).toBe(3);
    expect(String(merged.shape![0])).toMatch(/^\?if\d+$/);
    expect(inferTypes(model('init')).values.get('y')!.type).toEqual({ dtype: 'f32', shape: [2, 3] });
  });

  for (const name of MODELS) {
    it(`${name}: text round trip and ONNX export round trip are exact`, () => {
      const g = load(name);
      const { text, resources } = printGraphWithResources(g);
      const back = parseGraph(text, { file: `${name}.lir`, resources });
      expect(diffGraphs(g, back)).toEqual([]);
      expect(printGraphWithResources(back).text).toBe(text);
      const again = importOnnx(exportOnnx(g), { file: `${name}.export.onnx` });
      expect(printGraphWithResources(again).text).toBe(text.replace(/meta "onnx.producer_name" = "gen_if.py"/, 'meta "onnx.producer_name" = "lstmc"'));
    });
  }

  for (const { dir, expected } of errorCases(DIR)) {
    if (!expected.code!.startsWith('E-IR-')) continue;
    it(`${dir}: ${expected.code} at node '${expected.node}'`, () => {
      let err: unknown;
      try {
        load(dir);
      } catch (e) {
        err = e;
      }
      expect(isDiagnosticError(err)).toBe(true);
      if (!isDiagnosticError(err)) return;
      expect(err.code).toBe(expected.code);
      expect(err.diagnostic.loc.node).toBe(expected.node);
      expect(err.message.split('\n')).toHaveLength(1);
    });
  }

  it('lenient inference types what it can and hands back the failures (for inspect)', () => {
    const problems: string[] = [];
    const g = loadOnnxFile(join(DIR, '_error_branch_count/model.onnx'), undefined, { onInferError: (n, d) => problems.push(`${d.code} ${n.name}`) });
    expect(problems).toEqual(['E-IR-IF-BRANCHES mismatch']);
    // The If output keeps the type the model declares for it; the branches stay as they were.
    expect(g.values.get('y')!.type).toEqual({ dtype: 'f32', shape: [3] });
    expect(g.nodes[0]!.op).toBe('If');
  });

  it('valid models that only the back end refuses still import and type (opaque ops, Loop)', () => {
    for (const name of ['_error_opaque_in_branch', '_error_loop']) expect(() => inferTypes(load(name))).not.toThrow();
  });
});
