import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAGIC, loadModel, readRuntimeGraph } from '@lstmc/runtime';
import { decodeRtTensorProto } from '@lstmc/backend-js';
import { exportOnnx, inferTypes, makeGraph, makeNode, tensorType } from '@lstmc/ir';
import { cli, CONFORMANCE, REPO } from './helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lstmc-compile-'));
const KWS = join(REPO, 'examples/kws-lstm');

describe('lstmc compile --target js', () => {
  it('writes a runtime graph that loads and reproduces torch output', async () => {
    const out = join(tmp(), 'kws.lrg');
    const r = await cli('compile', join(KWS, 'model.onnx'), '--target', 'js', '-o', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kws.lrg');
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, MAGIC.length)]).toEqual([...MAGIC]);
    const m = readRuntimeGraph(bytes);
    // The default pipeline (-O js) keeps dense the matrices below the sparse kernel's break-even.
    expect(m.nodes.filter((n) => n.kernel === 'lstm.dense.f32' || n.kernel === 'lstm.sparse.f32')).toHaveLength(2);
    const x = decodeRtTensorProto(readFileSync(join(KWS, 'test_data_set_0/input_0.pb')), 'input_0.pb');
    const want = decodeRtTensorProto(readFileSync(join(KWS, 'test_data_set_0/output_0.pb')), 'output_0.pb');
    const got = loadModel(bytes).run({ features: x.tensor }).probs!;
    const d = Math.max(...Array.from(got.data as Float32Array, (v, k) => Math.abs(v - (want.tensor.data as Float32Array)[k]!)));
    expect(d).toBeLessThanOrEqual(1e-5);
  });

  it("records the select-mode pass's per-layer decisions in the runtime graph", async () => {
    const d = tmp();
    const modes = async (pipeline: string) => {
      const out = join(d, 'k.lrg');
      const r = await cli('compile', join(KWS, 'model.onnx'), '--pipeline', pipeline, '-o', out);
      expect(r.code, r.stderr).toBe(0);
      return readRuntimeGraph(readFileSync(out)).nodes.filter((n) => n.kernel === 'lstm.dense.f32' || n.kernel === 'lstm.sparse.f32').map((n) => n.mode);
    };
    // kws weights are 80% zeros: sparse from a 0.5 threshold, dense above 0.9; no annotation, no mode.
    expect(await modes('fold,sparsity,select-mode{weight-threshold=0.5,input-test=off}')).toEqual([{ W: 'sparse', R: 'sparse' }, { W: 'sparse', R: 'sparse' }]);
    expect(await modes('fold,sparsity,select-mode{weight-threshold=0.9,input-test=off}')).toEqual([{ W: 'dense', R: 'dense' }, { W: 'dense', R: 'dense' }]);
    expect(await modes('fold')).toEqual([undefined, undefined]);
  });

  it('defaults to js and to MODEL.lrg in the current directory', async () => {
    try {
      const r = await cli('compile', join(CONFORMANCE, 'onnx-node/test_lstm_defaults/model.onnx'));
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^wrote model\.lrg/);
      expect(readRuntimeGraph(readFileSync(join(REPO, 'model.lrg'))).inputs).toHaveLength(3);
    } finally {
      rmSync(join(REPO, 'model.lrg'), { force: true });
    }
  });

  it('an unknown target is a usage error (exit 2)', async () => {
    const r = await cli('compile', join(KWS, 'model.onnx'), '--target', 'wasm');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown target 'wasm'");
  });

  it('a model the backend cannot lower is a one-line user error (exit 1)', async () => {
    const d = tmp();
    const bad = join(d, 'bad.onnx');
    writeFileSync(bad, readFileSync(join(KWS, 'model.onnx')).subarray(0, 100));
    const r = await cli('compile', bad, '-o', join(d, 'x.lrg'));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error\[E-ONNX-[A-Z-]+\]/);
  });

  it('an op the JS runtime has no kernel for is refused by node, op and domain (exit 1)', async () => {
    const g = inferTypes(
      makeGraph({
        inputs: ['a'],
        outputs: ['b'],
        values: [
          ['a', { name: 'a', type: tensorType('f32', [2]) }],
          ['b', { name: 'b', type: tensorType('f32', [2]) }],
        ],
        nodes: [makeNode({ op: 'Gelu', domain: 'com.example', name: 'act_1', inputs: ['a'], outputs: ['b'] })],
        opsets: { '': 17, 'com.example': 1 },
      }),
    );
    const d = tmp();
    writeFileSync(join(d, 'opaque.onnx'), exportOnnx(g));
    for (const argv of [['compile', join(d, 'opaque.onnx'), '-o', join(d, 'x.lrg')], ['run', join(d, 'opaque.onnx'), '--data', d]]) {
      const r = await cli(...argv);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error\[E-JS-UNSUPPORTED-OP\]: .*'Gelu'.*com\.example.*node 'act_1'/);
    }
  });

  it('an unwritable output is a one-line user error (exit 1)', async () => {
    const r = await cli('compile', join(KWS, 'model.onnx'), '-o', '/nonexistent/dir/x.lrg');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[E-IO\]/);
  });
});
