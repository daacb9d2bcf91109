import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importOnnx, isDiagnosticError, loadOnnxFile, verifyGraph } from '../src/index.js';
import type { Graph } from '../src/index.js';
import { FIXTURES } from './onnx-paths.js';

const DIR = join(FIXTURES, 'features');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));

describe('ONNX importer features (fixtures/onnx/features, written by onnx.save_model)', () => {
  it('reads external data next to the model', () => {
    const g = loadOnnxFile(join(DIR, 'external.onnx'));
    const w = g.initializers.get('W')!;
    expect(w.dims).toEqual(expected.external.W_dims);
    expect(Array.from(w.data as Float32Array).slice(0, 8)).toEqual(expected.external.W.map(Math.fround));
    expect(Array.from(g.initializers.get('R')!.data as Float32Array).slice(0, 8)).toEqual(expected.external.R.map(Math.fround));
    expect(verifyGraph(g)).toEqual([]);
  });

  it('external data without a directory is E-ONNX-EXTERNAL at the initializer', () => {
    try {
      importOnnx(readFileSync(join(DIR, 'external.onnx')), { file: 'mem.onnx' });
      expect.unreachable();
    } catch (e) {
      expect(isDiagnosticError(e) && [e.code, e.diagnostic.loc.field]).toEqual(['E-ONNX-EXTERNAL', 'W']);
    }
  });

  describe('an old exporter with unnamed nodes and opaque ops', () => {
    const g: Graph = loadOnnxFile(join(DIR, 'legacy.onnx'));
    it('treats initializers listed as graph inputs as initializers', () => {
      expect(g.inputs).toEqual(['x', 'm']);
      expect(g.initializers.has('w')).toBe(true);
    });
    it('names unnamed nodes <op>_<index>', () => {
      expect(g.nodes.map((n) => n.name)).toEqual(['MatMul_0', 'Relu_1', 'Celu_2', 'MyCustomOp_3', 'Identity_4', 'Relu_5']);
    });
    it('keeps unknown ops as opaque nodes with domain and attributes', () => {
      const celu = g.nodes[2];
      expect(celu.attrs.alpha).toEqual({ kind: 'float', value: 2 });
      const custom = g.nodes[3];
      expect(custom.domain).toBe('com.example');
      expect(custom.attrs).toEqual({ mode: { kind: 'string', value: 'fast' }, k: { kind: 'int', value: 3 } });
      expect(g.opsets).toEqual({ '': 13, 'com.example': 1 });
    });
    it('types known ops by inference and opaque outputs from value_info, symbolic dims kept', () => {
      expect(g.values.get('h')!.type).toEqual({ dtype: 'f32', shape: ['n', 2] });
      // A dim with neither dim_value nor dim_param is '?'.
      expect(g.values.get('m')!.type).toEqual({ dtype: 'f32', shape: ['?', 'n'] });
      expect(g.values.get('mr')!.type).toEqual({ dtype: 'f32', shape: ['?', 'n'] });
      expect(g.values.get('z')!.type).toEqual({ dtype: 'f64', shape: ['n', 2] });
      // ... and inference carries the opaque op's type on through known ops.
      expect(g.values.get('out')!.type).toEqual({ dtype: 'f64', shape: ['n', 2] });
      expect(verifyGraph(g)).toEqual([]);
    });
  });

  it('parses If/Loop subgraphs into graph attributes', () => {
    const g = loadOnnxFile(join(DIR, 'control.onnx'));
    const [branch, loop] = g.nodes;
    expect(branch.op).toBe('If');
    const then = branch.attrs.then_branch;
    expect(then.kind).toBe('graph');
    if (then.kind !== 'graph') return;
    expect(then.value.nodes.map((n) => [n.op, n.name])).toEqual([['Relu', 'branch/Relu_0']]);
    expect(then.value.outputs).toEqual(['t']);
    const body = loop.attrs.body;
    expect(body.kind).toBe('graph');
    if (body.kind !== 'graph') return;
    expect(body.value.inputs).toEqual(['i', 'c_in', 'acc_in']);
    expect(body.value.values.get('acc_in')!.type).toEqual({ dtype: 'f32', shape: [3] });
    // `x` is read from the enclosing graph.
    expect(body.value.nodes[0].inputs).toEqual(['acc_in', 'x']);
    expect(g.initializers.get('trip')!.dtype).toBe('i64');
  });

  it('expands sparse initializers to dense tensors', () => {
    const g = loadOnnxFile(join(DIR, 'sparse.onnx'));
    const s = g.initializers.get('s')!;
    expect(s.dims).toEqual([2, 3]);
    expect(Array.from(s.data as Float32Array)).toEqual(expected.sparse);
    expect(g.values.get('y')!.type).toEqual({ dtype: 'f32', shape: [2, 3] });
  });
});
