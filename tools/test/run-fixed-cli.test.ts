/** `lstmc run --numerics fixed`: the error report, --check against the model's reference outputs, and its errors. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeTensorProto, loadOnnxFile } from '@lstmc/ir';
import { PRESETS } from '@lstmc/passes';
import { compileToRuntimeGraph } from '@lstmc/backend-js';
import { defaultTarget } from '@lstmc/target';
import { errorStats } from '../src/numerics.js';
import { cli, REPO } from './helpers.js';
import { runFixed, runFloat, runPasses } from './run-fixed-support.js';

const KWS = join(REPO, 'examples/kws-lstm');
const MODEL = join(KWS, 'model.onnx');
const DATA = join(KWS, 'test_data_set_0');
const tmp = () => mkdtempSync(join(tmpdir(), 'lstmc-run-fixed-'));
const REPORT = /^output_0 probs: fixed point vs float32: max abs error (\S+), rms error (\S+)$/m;
const oneLineError = (stderr: string, code: string) => {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(new RegExp(`^error\\[${code}\\]: `));
};

describe('lstmc run --numerics fixed on examples/kws-lstm (torch-exported 2-layer LSTM)', () => {
  it('prints each output with its max abs and RMS error against the float32 run of the same graph', async () => {
    const r = await cli('run', MODEL, '--data', DATA, '--numerics', 'fixed');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = REPORT.exec(r.stdout)!;
    expect(m, r.stdout).not.toBeNull();
    const [maxAbs, rms] = [Number(m[1]), Number(m[2])];
    // The same quantity computed here through the library: -O accel, lstm.fixed vs lstm.dense.f32.
    const x = decodeTensorProto(readFileSync(join(DATA, 'input_0.pb')), 'input_0.pb').tensor;
    const g = (await runPasses(loadOnnxFile(MODEL), PRESETS.accel, defaultTarget, [])).graph;
    const inputs = new Map([['features', x]]);
    const s = errorStats(runFixed(g, defaultTarget, inputs)['probs']!, runFloat(g, inputs)['probs']!);
    expect(maxAbs).toBeCloseTo(s.maxAbs, 8);
    expect(rms).toBeCloseTo(s.rms, 8);
    expect(maxAbs).toBeGreaterThan(0); // fixed point is not float32
    expect(rms).toBeLessThanOrEqual(maxAbs);
    expect(r.stdout).toMatch(/^probs: f32\[2, 12\] /m);
  });

  it("--check: the fixed-point outputs are within the reported error (+ the float32 bar 1e-5) of torch's outputs", async () => {
    const first = await cli('run', MODEL, '--data', DATA, '--numerics', 'fixed', '--calibration', DATA);
    const maxAbs = Number(REPORT.exec(first.stdout)![1]);
    const r = await cli('run', MODEL, '--data', DATA, '--numerics', 'fixed', '--calibration', DATA, '--check', '--tolerance', String(maxAbs + 1e-5));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^output_0 probs: max abs error \S+ \(tolerance \S+, --tolerance\)$/m);
  });

  it('an 8-bit target file gives a larger error than the default 16-bit target', async () => {
    const d = tmp();
    const t8 = join(d, 'int8.json');
    writeFileSync(t8, JSON.stringify({ weightBits: 8, actBits: 8, accBits: 24, lutEntries: 64 }));
    const e16 = Number(REPORT.exec((await cli('run', MODEL, '--data', DATA, '--numerics', 'fixed', '--calibration', DATA)).stdout)![1]);
    const r8 = await cli('run', MODEL, '--data', DATA, '--numerics', 'fixed', '--calibration', DATA, '--target-config', t8);
    expect(r8.code).toBe(0);
    expect(Number(REPORT.exec(r8.stdout)![1])).toBeGreaterThan(e16);
  });

  it('a pipeline without quantize: one-line error naming the layer', async () => {
    const r = await cli('run', MODEL, '--data', DATA, '--numerics', 'fixed', '--pipeline', 'fold');
    expect(r.code).toBe(1);
    oneLineError(r.stderr, 'E-JS-NOT-QUANTIZED');
    expect(r.stderr).toContain('/lstm/LSTM');
  });

  it('float numerics print no error report', async () => {
    const r = await cli('run', MODEL, '--data', DATA, '--numerics', 'float');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/fixed point vs float32/);
  });
});

describe('lstmc run --numerics fixed: bad target files and usage', () => {
  const target = (text: string) => {
    const f = join(tmp(), 'target.json');
    writeFileSync(f, text);
    return f;
  };
  for (const [what, text, code, key] of [
    ['an unknown key', '{"pes": 8, "actBitz": 16}', 'E-TARGET-UNKNOWN-KEY', 'actBitz'],
    ['an impossible width', '{"weightBits": 3}', 'E-TARGET-VALUE', 'weightBits'],
    ['zero PEs', '{"pes": 0}', 'E-TARGET-VALUE', 'pes'],
    ['a wrong type', '{"lutEntries": "256"}', 'E-TARGET-TYPE', 'lutEntries'],
  ] as const) {
    it(`--target-config with ${what}: one line naming the key`, async () => {
      const r = await cli('run', MODEL, '--data', DATA, '--numerics', 'fixed', '--target-config', target(text));
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error\[E-TARGET-[A-Z-]+\]: /);
      expect(r.stderr).toContain(code);
      expect(r.stderr).toContain(`'${key}'`);
    });
  }

  it('an unknown --numerics value is a usage error', async () => {
    const r = await cli('run', MODEL, '--data', DATA, '--numerics', 'fixd');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--numerics must be one of float, fixed/);
  });

  it('a runtime graph cannot be re-lowered: usage error', async () => {
    const lrg = join(tmp(), 'kws.lrg');
    writeFileSync(lrg, compileToRuntimeGraph(loadOnnxFile(MODEL)));
    const r = await cli('run', lrg, '--data', DATA, '--numerics', 'fixed');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/runtime graph, already lowered/);
  });
});
