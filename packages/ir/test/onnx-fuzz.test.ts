import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeTensorProto, importOnnx, isDiagnosticError, verifyGraph } from '../src/index.js';
import { CONFORMANCE, REPO_ROOT } from './onnx-paths.js';
import { rng } from '@lstmc/testing';

type Mutation = (b: Uint8Array, r: () => number) => Uint8Array;
const MUTATIONS: Record<string, Mutation> = {
  truncate: (b, r) => b.slice(0, Math.floor(r() * b.length)),
  flipBits: (b, r) => {
    const c = b.slice();
    const n = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) c[Math.floor(r() * c.length)] ^= 1 << Math.floor(r() * 8);
    return c;
  },
  randomByte: (b, r) => {
    const c = b.slice();
    c[Math.floor(r() * c.length)] = Math.floor(r() * 256);
    return c;
  },
  insertBytes: (b, r) => {
    const at = Math.floor(r() * b.length);
    const extra = Array.from({ length: 1 + Math.floor(r() * 3) }, () => Math.floor(r() * 256));
    return Uint8Array.from([...b.slice(0, at), ...extra, ...b.slice(at)]);
  },
};

const MODELS = [
  join(CONFORMANCE, 'onnx-node', 'test_lstm_with_peepholes', 'model.onnx'),
  join(CONFORMANCE, 'onnx-node-pr2923', 'test_lstm_bidirectional', 'model.onnx'),
  join(CONFORMANCE, 'onnx-node-ops', 'test_gemm_all_attributes', 'model.onnx'),
  join(REPO_ROOT, 'packages', 'ir', 'test', 'fixtures', 'onnx', 'features', 'control.onnx'),
];

describe('corrupted models never throw anything but a DiagnosticError', () => {
  for (const path of MODELS)
    it(path.split('/').slice(-2).join('/'), () => {
      const bytes = new Uint8Array(readFileSync(path));
      const r = rng(0x15c0de);
      const outcomes = { imported: 0, diagnosed: 0 };
      for (let i = 0; i < 400; i++)
        for (const [kind, mutate] of Object.entries(MUTATIONS)) {
          const mutated = mutate(bytes, r);
          try {
            const g = importOnnx(mutated, { file: 'fuzz.onnx' });
            // Whatever imports must also be checkable without crashing.
            verifyGraph(g, { file: 'fuzz.onnx' });
            outcomes.imported++;
          } catch (e) {
            if (!isDiagnosticError(e)) throw new Error(`${kind} #${i}: ${String((e as Error).stack ?? e)}`);
            expect(e.diagnostic.loc.file).toBe('fuzz.onnx');
            outcomes.diagnosed++;
          }
        }
      // Both outcomes occur: the corpus really exercises the error paths.
      expect(outcomes.diagnosed).toBeGreaterThan(100);
      expect(outcomes.imported).toBeGreaterThan(10);
    });

  it('TensorProto files (test data) likewise', () => {
    const r = rng(0x7e57);
    for (const f of ['input_7.pb', 'input_4.pb']) {
      const bytes = new Uint8Array(readFileSync(join(CONFORMANCE, 'onnx-node', 'test_lstm_with_peepholes', 'test_data_set_0', f)));
      let diagnosed = 0;
      for (let i = 0; i < 300; i++)
        for (const mutate of Object.values(MUTATIONS))
          try {
            decodeTensorProto(mutate(bytes, r), 'fuzz.pb');
          } catch (e) {
            if (!isDiagnosticError(e)) throw e;
            diagnosed++;
          }
      expect(diagnosed).toBeGreaterThan(50);
    }
  });
});
