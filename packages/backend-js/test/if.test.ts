import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { inferTypes, isDiagnosticError, loadOnnxFile, parseGraph, printGraphWithResources } from '@lstmc/ir';
import { createModel, loadModel, readRuntimeGraph, type RtNode, type RuntimeModel, type RtTensor } from '@lstmc/runtime';
import { writeRuntimeGraph } from '@lstmc/runtime/writer';
import { describe, expect, it } from 'vitest';
import { errorCases } from '@lstmc/testing';
import { lowerToRuntime } from '../src/index.js';
import { REPO, maxAbsDiff, readPbs } from './helpers.js';

/** packages/ir/test/fixtures/if: models built by gen_if.py, expected outputs from onnxruntime. */
const DIR = join(REPO, 'packages/ir/test/fixtures/if');
const MODELS = ['if_input', 'if_nested', 'if_lstm', 'if_const', 'if_shape'];

function sets(model: string): string[] {
  return readdirSync(join(DIR, model))
    .filter((d) => d.startsWith('test_data_set_'))
    .sort()
    .map((d) => join(DIR, model, d));
}

function feeds(dir: string): Record<string, RtTensor> {
  return Object.fromEntries(readPbs(dir, 'input').map((t) => [t.name, t.tensor]));
}

function kernels(nodes: readonly RtNode[]): string[] {
  return nodes.flatMap((n) => [n.kernel, ...Object.values(n.branches ?? {}).flatMap((b) => kernels(b.nodes))]);
}

describe('If through the JS backend and runtime, against onnxruntime', () => {
  for (const name of MODELS) {
    const rm = lowerToRuntime(loadOnnxFile(join(DIR, name, 'model.onnx')), { file: name });
    const bytes = writeRuntimeGraph(rm);
    const fromFile = loadModel(bytes);
    const inMemory = createModel(rm);
    for (const dir of sets(name)) {
      it(`${name}/${dir.split('/').pop()}: runtime = onnxruntime within 1e-5, in memory and from the .lrg`, () => {
        const want = readPbs(dir, 'output');
        expect(want.length).toBeGreaterThan(0);
        for (const m of [inMemory, fromFile]) {
          const got = m.run(feeds(dir));
          for (const w of want) expect(maxAbsDiff(got[w.name]!, w.tensor), w.name).toBeLessThanOrEqual(1e-5);
        }
      });
    }
  }

  it("if_sr: Silero's sample-rate branch on a non-constant sr = onnxruntime within 1e-5 (16000 and 8000)", () => {
    const m = loadModel(writeRuntimeGraph(lowerToRuntime(loadOnnxFile(join(DIR, 'if_sr/model.onnx')))));
    for (const dir of sets('if_sr')) {
      const got = m.run(feeds(dir));
      for (const w of readPbs(dir, 'output')) expect(maxAbsDiff(got[w.name]!, w.tensor), w.name).toBeLessThanOrEqual(1e-5);
    }
  });

  it('keeps If nodes on graph inputs, with LSTM kernels inside both branches', () => {
    const rm = lowerToRuntime(loadOnnxFile(join(DIR, 'if_lstm/model.onnx')));
    const top = rm.nodes.find((n) => n.kernel === 'If')!;
    expect(Object.keys(top.branches!).sort()).toEqual(['else_branch', 'then_branch']);
    for (const b of Object.values(top.branches!)) expect(kernels(b.nodes)).toContain('lstm.dense.f32');
    const nested = lowerToRuntime(loadOnnxFile(join(DIR, 'if_nested/model.onnx')));
    expect(kernels(nested.nodes).filter((k) => k === 'If')).toHaveLength(4);
  });

  it('lowers only the taken branch when the condition is known while lowering (Constant, shape facts)', () => {
    for (const name of ['if_const', 'if_shape']) {
      const rm = lowerToRuntime(loadOnnxFile(join(DIR, name, 'model.onnx')));
      expect(kernels(rm.nodes)).not.toContain('If');
    }
  });

  it('writes .lrg 1.1 only for models with branches, and reads back the same model', () => {
    const rm = lowerToRuntime(loadOnnxFile(join(DIR, 'if_nested/model.onnx')));
    const bytes = writeRuntimeGraph(rm);
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint16(10, true)).toBe(1);
    const back: RuntimeModel = readRuntimeGraph(bytes);
    expect(writeRuntimeGraph(back)).toEqual(bytes);
    const flat = writeRuntimeGraph(lowerToRuntime(loadOnnxFile(join(DIR, 'if_const/model.onnx'))));
    expect(new DataView(flat.buffer, flat.byteOffset).getUint16(10, true)).toBe(0);
  });

  it('refuses to stream a reverse LSTM inside a branch, naming it', () => {
    const m = createModel(lowerToRuntime(loadOnnxFile(join(DIR, 'if_lstm/model.onnx'))));
    expect(() => m.createStream()).toThrow(expect.objectContaining({ code: 'E-RT-STREAM', field: 'bw_lstm' }));
  });

  it('streams an If model: chunked pushes equal one run, the state of the LSTM inside the taken branch carried over', () => {
    // if_lstm with both branch LSTMs forward and a symbolic sequence length (through the text form), so that it can stream.
    const g = loadOnnxFile(join(DIR, 'if_lstm/model.onnx'));
    const { text, resources } = printGraphWithResources(g);
    expect(text).toContain('direction = "reverse"');
    const fw = parseGraph(text.replace('direction = "reverse"', 'direction = "forward"').replace('input %X : f32[6, 1, 3]', 'input %X : f32[seq, 1, 3]'), { file: 'if_lstm_fw.lir', resources });
    const m = createModel(lowerToRuntime(inferTypes(fw)));
    for (const dir of sets('if_lstm')) {
    const f = feeds(dir);
    const whole = m.run(f);
    const X = f.X as RtTensor<'f32'>;
    const per = X.shape[1]! * X.shape[2]!;
    const s = m.createStream();
    const ys: number[] = [];
    for (const [t0, t1] of [[0, 2], [2, 3], [3, 6]] as const) {
      const out = s.push({ ...f, X: { dtype: 'f32', shape: [t1 - t0, X.shape[1]!, X.shape[2]!], data: X.data.slice(t0 * per, t1 * per) } });
      ys.push(...(out.Y!.data as Float32Array));
    }
    expect(maxAbsDiff({ dtype: 'f32', shape: whole.Y!.shape, data: Float32Array.from(ys) }, whole.Y!)).toBeLessThanOrEqual(1e-6);
    }
  });

  for (const { dir, expected } of errorCases(DIR)) {
    it(`${dir}: one-line ${expected.code} naming node '${expected.node}'`, () => {
      let err: unknown;
      try {
        lowerToRuntime(loadOnnxFile(join(DIR, dir, 'model.onnx')));
      } catch (e) {
        err = e;
      }
      expect(isDiagnosticError(err)).toBe(true);
      if (!isDiagnosticError(err)) return;
      expect(err.code).toBe(expected.code);
      expect(err.diagnostic.loc.node).toBe(expected.node);
      expect(err.message).not.toContain('\n');
    });
  }
});
