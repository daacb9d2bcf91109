import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeTensorProto, exportOnnx, importOnnx, loadOnnxFile, verifyGraph } from '../src/index.js';
import type { Graph, Tensor } from '../src/index.js';
import { conformanceCases, FIXTURES, REPO_ROOT, testDataFiles } from './onnx-paths.js';

const ORT_TYPE: Partial<Record<Tensor['dtype'], ort.Tensor.Type>> = {
  f32: 'float32',
  f64: 'float64',
  i32: 'int32',
  i64: 'int64',
  bool: 'bool',
};

function feeds(inputs: { name: string; tensor: Tensor }[]): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const { name, tensor } of inputs) out[name] = new ort.Tensor(ORT_TYPE[tensor.dtype]!, tensor.data as Float32Array, [...tensor.dims]);
  return out;
}

async function session(bytes: Uint8Array): Promise<ort.InferenceSession | Error> {
  try {
    return await ort.InferenceSession.create(bytes);
  } catch (e) {
    return e as Error;
  }
}

/** Structure that export + import must preserve: nodes, initializers, inputs/outputs and their types. */
function shape(g: Graph) {
  return {
    nodes: g.nodes.map((n) => ({ ...n })),
    inputs: g.inputs,
    outputs: g.outputs,
    opsets: g.opsets,
    init: [...g.initializers].map(([k, t]) => [k, t.dtype, t.dims, Array.from(t.data as ArrayLike<unknown>)]),
    types: [...g.values].map(([k, v]) => [k, v.type]),
  };
}

/** Runs original and exported models through onnxruntime on the same inputs; outputs must be identical. */
async function sameUnderOrt(original: Uint8Array, exported: Uint8Array, inputs: Record<string, ort.Tensor>): Promise<boolean> {
  const a = await session(original);
  const b = await session(exported);
  if (a instanceof Error) {
    // ORT refuses some valid models (LSTM layout=1); it must refuse the export the same way.
    expect(b).toBeInstanceOf(Error);
    return false;
  }
  expect(b).not.toBeInstanceOf(Error);
  const ra = await a.run(inputs);
  const rb = await (b as ort.InferenceSession).run(inputs);
  expect(Object.keys(rb).sort()).toEqual(Object.keys(ra).sort());
  for (const k of Object.keys(ra)) {
    expect(rb[k].dims).toEqual(ra[k].dims);
    expect(Array.from(rb[k].data as Float32Array), k).toEqual(Array.from(ra[k].data as Float32Array));
  }
  return true;
}

describe('exportOnnx', () => {
  const cases = conformanceCases();
  let ran = 0;
  for (const c of cases)
    it(`${c.set}/${c.name}: export, re-import, same outputs under onnxruntime`, async () => {
      const original = readFileSync(c.model);
      const g = loadOnnxFile(c.model);
      const exported = exportOnnx(g);
      const back = importOnnx(exported, { file: 'exported.onnx' });
      expect(verifyGraph(back)).toEqual([]);
      expect(shape(back)).toEqual(shape(g));
      const inputs = testDataFiles(c.dir, 'input').map((f) => decodeTensorProto(readFileSync(f), f));
      if (await sameUnderOrt(original, exported, feeds(inputs))) ran++;
    });
  it('ran onnxruntime on nearly every conformance model', () => {
    expect(ran).toBeGreaterThanOrEqual(cases.length - 1);
  });

  it('the torch-exported example survives export', async () => {
    const dir = join(REPO_ROOT, 'examples', 'kws-lstm');
    const path = join(dir, 'model.onnx');
    const g = loadOnnxFile(path);
    const exported = exportOnnx(g);
    expect(shape(importOnnx(exported, { file: 'x.onnx' }))).toEqual(shape(g));
    const x = decodeTensorProto(readFileSync(join(dir, 'test_data_set_0', 'input_0.pb')), 'input_0.pb');
    expect(await sameUnderOrt(readFileSync(path), exported, feeds([x]))).toBe(true);
  });

  it('If/Loop subgraphs and outer-scope references survive export', async () => {
    const path = join(FIXTURES, 'features', 'control.onnx');
    const g = loadOnnxFile(path);
    const exported = exportOnnx(g);
    expect(shape(importOnnx(exported, { file: 'x.onnx' }))).toEqual(shape(g));
    for (const cond of [0, 1]) {
      const inputs = {
        cond: new ort.Tensor('bool', Uint8Array.from([cond]), []),
        x: new ort.Tensor('float32', Float32Array.from([1.5, -2, 0.25]), [3]),
      };
      expect(await sameUnderOrt(readFileSync(path), exported, inputs)).toBe(true);
    }
  });

  it('opaque ops, symbolic dims and value_info-typed outputs survive export', () => {
    const g = loadOnnxFile(join(FIXTURES, 'features', 'legacy.onnx'));
    const back = importOnnx(exportOnnx(g), { file: 'x.onnx' });
    expect(shape(back)).toEqual(shape(g));
    expect(back.values.get('x')!.type.shape).toEqual(['n', 4]);
  });
});
