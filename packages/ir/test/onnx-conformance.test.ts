import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeTensorProto, loadOnnxFile, verifyGraph } from '../src/index.js';
import type { TensorType } from '../src/index.js';
import { conformanceCases, testDataFiles } from './onnx-paths.js';
import { readDeclaredOutputs } from './onnx-declared.js';

const cases = conformanceCases();

/**
 * Inferred type agrees with ONNX's declared one: same dtype; when both ranks
 * are known, same rank and equal dims where both are static. (Unknown rank
 * is less precise, not wrong: e.g. Squeeze with a runtime axes input.)
 */
function compatible(declared: TensorType, inferred: TensorType): boolean {
  if (declared.dtype !== inferred.dtype) return false;
  if (!declared.shape || !inferred.shape) return true;
  if (inferred.shape.length !== declared.shape.length) return false;
  return declared.shape.every((d, i) => typeof d !== 'number' || typeof inferred.shape![i] !== 'number' || d === inferred.shape![i]);
}

describe('ONNX conformance models', () => {
  it('finds the conformance data', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  for (const c of cases)
    it(`${c.set}/${c.name} imports and verifies`, () => {
      const g = loadOnnxFile(c.model);
      expect(verifyGraph(g, { file: c.model })).toEqual([]);
      // The file's own output declarations are written by ONNX's generator, not by us.
      for (const [name, declared] of readDeclaredOutputs(c.model)) {
        const inferred = g.values.get(name)?.type;
        expect(inferred, name).toBeDefined();
        expect(compatible(declared, inferred!), `${name}: declared ${JSON.stringify(declared)} inferred ${JSON.stringify(inferred)}`).toBe(true);
      }
      // Test data tensors carry the graph's input/output names, in order, with matching types.
      const inputs = testDataFiles(c.dir, 'input').map((f) => decodeTensorProto(readFileSync(f), f));
      expect(inputs.map((t) => t.name)).toEqual(g.inputs);
      const outputs = testDataFiles(c.dir, 'output').map((f) => decodeTensorProto(readFileSync(f), f));
      expect(outputs.map((t) => t.name)).toEqual(g.outputs);
      for (const t of [...inputs, ...outputs]) {
        const ty = g.values.get(t.name)!.type;
        expect(t.tensor.dtype).toBe(ty.dtype);
        expect(compatible({ dtype: ty.dtype, shape: t.tensor.dims }, ty), t.name).toBe(true);
      }
    });

  it('reads test data values (MANIFEST: test_lstm_defaults X = 1..6, W all 0.1)', () => {
    const c = cases.find((k) => k.set === 'onnx-node' && k.name === 'test_lstm_defaults')!;
    const [x, w] = testDataFiles(c.dir, 'input').map((f) => decodeTensorProto(readFileSync(f), f));
    expect(x.tensor.dims).toEqual([1, 3, 2]);
    expect(Array.from(x.tensor.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(w.tensor.dims).toEqual([1, 12, 2]);
    expect(Array.from(w.tensor.data as Float32Array).every((v) => v === Math.fround(0.1))).toBe(true);
  });

  it('reads int32 test data (test_lstm_with_peepholes sequence_lens = [1, 1])', () => {
    const c = cases.find((k) => k.set === 'onnx-node' && k.name === 'test_lstm_with_peepholes')!;
    const f = testDataFiles(c.dir, 'input')[4];
    const t = decodeTensorProto(readFileSync(f), f);
    expect(t.name).toBe('sequence_lens');
    expect(t.tensor.dtype).toBe('i32');
    expect(Array.from(t.tensor.data as Int32Array)).toEqual([1, 1]);
  });
});
