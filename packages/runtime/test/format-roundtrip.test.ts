import { describe, expect, it } from 'vitest';
import { BLOB_ALIGN, createModel, HEADER_SIZE, loadModel, readRuntimeGraph, type RuntimeModel } from '../src/index.js';
import { writeRuntimeGraph } from '../src/writer.js';
import { Rng } from '@lstmc/testing';
import { twoLayerLstmModel } from './helpers/sample-models.js';
import { splitFile } from './helpers/repack.js';

function sample(): RuntimeModel {
  return twoLayerLstmModel(new Rng(1), { I: 5, H: 7, C: 3 });
}

describe('runtime graph format round trip', () => {
  it('reads back exactly what was written', () => {
    const m = sample();
    const bytes = writeRuntimeGraph(m);
    const back = readRuntimeGraph(bytes);
    expect(back.inputs).toEqual(m.inputs);
    expect(back.outputs).toEqual(m.outputs);
    expect(back.metadata).toEqual(m.metadata);
    expect(back.nodes.map((n) => ({ ...n, attrs: Object.keys(n.attrs) }))).toEqual(m.nodes.map((n) => ({ ...n, attrs: Object.keys(n.attrs) })));
    back.values.forEach((v, i) => {
      const w = m.values[i]!;
      expect([v.name, v.dtype, v.shape]).toEqual([w.name, w.dtype, w.shape]);
      expect(v.data === undefined).toBe(w.data === undefined);
      if (v.data && w.data) {
        expect(v.data.dtype).toBe(w.data.dtype);
        expect([...v.data.shape]).toEqual([...w.data.shape]);
        expect(Array.from(v.data.data as ArrayLike<number | bigint>)).toEqual(Array.from(w.data.data as ArrayLike<number | bigint>));
      }
    });
    // Writing what was read gives the same bytes: the format has one encoding per model.
    expect(writeRuntimeGraph(back)).toEqual(bytes);
  });

  it('reads from a view at an unaligned offset of a larger buffer (as Node Buffers from a pool are)', () => {
    const bytes = writeRuntimeGraph(sample());
    const big = new Uint8Array(bytes.length + 11);
    big.set(bytes, 3);
    const back = readRuntimeGraph(big.subarray(3, 3 + bytes.length));
    expect(writeRuntimeGraph(back)).toEqual(bytes);
  });

  it('aligns the blob and every constant to 64 bytes', () => {
    const bytes = writeRuntimeGraph(sample());
    const { manifest } = splitFile(bytes);
    const v = new DataView(bytes.buffer);
    expect(v.getUint32(28, true) % BLOB_ALIGN).toBe(0);
    expect(v.getUint32(20, true)).toBe(HEADER_SIZE);
    const refs = [...manifest.matchAll(/"offset":(\d+)/g)].map((r) => Number(r[1]));
    expect(refs.length).toBeGreaterThan(5);
    for (const o of refs) expect(o % BLOB_ALIGN).toBe(0);
  });

  it('runs the same from bytes as from memory, and copies constants so the caller cannot alias them', () => {
    const m = sample();
    const bytes = writeRuntimeGraph(m);
    const X = { dtype: 'f32' as const, shape: [4, 2, 5], data: new Rng(9).f32(40) };
    const a = createModel(m).run({ input: X });
    const loaded = loadModel(bytes);
    bytes.fill(0); // the loaded model holds its own copy of the blob
    const b = loaded.run({ input: X });
    expect(Array.from(b['probs']!.data as Float32Array)).toEqual(Array.from(a['probs']!.data as Float32Array));
    expect(b['probs']!.shape).toEqual([4, 2, 3]);
  });

  it('stores each distinct constant array once', () => {
    const m = sample();
    const shared = m.values.find((v) => v.name === 'head.b')!.data!;
    const twice: RuntimeModel = { ...m, values: [...m.values, { name: 'head.b.again', dtype: 'f32', shape: [...shared.shape], data: shared }] };
    expect(splitFile(writeRuntimeGraph(twice)).blob.length).toBe(splitFile(writeRuntimeGraph(m)).blob.length);
  });

  it('stores empty constants and empty tensor attributes', () => {
    const m: RuntimeModel = {
      values: [
        { name: 'e', dtype: 'f32', shape: [0, 3], data: { dtype: 'f32', shape: [0, 3], data: new Float32Array(0) } },
        { name: 'k', dtype: 'i64', shape: [1], data: { dtype: 'i64', shape: [1], data: BigInt64Array.of(7n) } },
        { name: 'y', dtype: 'f32', shape: [0, 3] },
        { name: 'z', dtype: 'f32', shape: [0] },
      ],
      inputs: [],
      outputs: [2, 3],
      nodes: [
        { kernel: 'Identity', name: 'id', inputs: [0], outputs: [2], attrs: {} },
        { kernel: 'Constant', name: 'c', inputs: [], outputs: [3], attrs: { value: { type: 'tensor', value: { dtype: 'f32', shape: [0], data: new Float32Array(0) } } } },
      ],
    };
    const out = loadModel(writeRuntimeGraph(m)).run({});
    expect(out['y']!.shape).toEqual([0, 3]);
    expect(out['z']!.shape).toEqual([0]);
  });

  it('refuses to write what it could not read back', () => {
    const m = sample();
    const bad: RuntimeModel = { ...m, nodes: [{ ...m.nodes[0]!, attrs: { start: { type: 'float', value: Infinity } } }] };
    expect(() => writeRuntimeGraph(bad)).toThrow(expect.objectContaining({ code: 'E-RT-WRITE' }));
    const mismatch: RuntimeModel = { ...m, values: [...m.values, { name: 'x', dtype: 'i32', shape: [1], data: { dtype: 'f32', shape: [1], data: new Float32Array(1) } }] };
    expect(() => writeRuntimeGraph(mismatch)).toThrow(expect.objectContaining({ code: 'E-RT-WRITE' }));
  });
});
