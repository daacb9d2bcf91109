import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeRtTensorProto, encodeRtTensorProto, readNpy, writeNpy } from '@lstmc/backend-js';
import { hasRelaxedSimd, type RtTensor } from '@lstmc/runtime';
import { cli, CONFORMANCE, REPO } from './helpers.js';

const ALL_OUTPUTS = join(CONFORMANCE, 'onnx-node-pr2923/test_lstm_all_outputs');
const DATA = join(ALL_OUTPUTS, 'test_data_set_0');
const KWS = join(REPO, 'examples/kws-lstm');
const tmp = () => mkdtempSync(join(tmpdir(), 'lstmc-run-'));
const pb = (path: string) => decodeRtTensorProto(readFileSync(path), path);
/** One line, `error[CODE]: ...`, no stack trace. */
const oneLineError = (stderr: string, code: string) => {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(new RegExp(`^error\\[${code}\\]: `));
};
/** A data folder with copies of some of DATA's files. */
function dataDir(files: string[]): string {
  const d = tmp();
  for (const f of files) copyFileSync(join(DATA, f), join(d, f));
  return d;
}

describe('lstmc run', () => {
  it('runs an ONNX model on ONNX test data and --check passes', async () => {
    const r = await cli('run', join(ALL_OUTPUTS, 'model.onnx'), '--data', DATA, '--check');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual(['output_0 Y', 'output_1 Y_h', 'output_2 Y_c']);
    for (const l of lines) expect(Number(/max abs error (\S+)/.exec(l)![1])).toBeLessThanOrEqual(1e-5);
  });

  it('--threads 2 writes the bits of one thread, on the ONNX model and on kws-lstm (T=50, H=64, two layers)', async () => {
    for (const [model, data] of [[join(ALL_OUTPUTS, 'model.onnx'), DATA], [join(KWS, 'model.onnx'), join(KWS, 'test_data_set_0')]] as const) {
      const [one, two] = [tmp(), tmp()];
      expect((await cli('run', model, '--data', data, '--out', one)).code).toBe(0);
      const r = await cli('run', model, '--data', data, '--out', two, '--threads', '2', '--check');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      for (let i = 0; existsSync(join(one, `output_${i}.pb`)); i++) expect(readFileSync(join(two, `output_${i}.pb`))).toEqual(readFileSync(join(one, `output_${i}.pb`)));
    }
  });

  it('--matvec picks the engine: js and wasm-simd pass --check; wasm-relaxed runs where the host has relaxed SIMD, else exits 1 with E-RT-EXEC', async () => {
    const model = join(KWS, 'model.onnx');
    const data = join(KWS, 'test_data_set_0');
    for (const engine of ['js', 'wasm-simd']) {
      const r = await cli('run', model, '--data', data, '--check', '--matvec', engine);
      expect(r.stderr, engine).toBe('');
      expect(r.code, engine).toBe(0);
    }
    const r = await cli('run', model, '--data', data, '--check', '--matvec', 'wasm-relaxed');
    if (hasRelaxedSimd()) expect(r.code).toBe(0);
    else {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error\[E-RT-EXEC\]: WebAssembly relaxed SIMD is not available on this host/);
    }
  });

  it('writes output_N.pb in graph-output order with names set, equal to the expected files', async () => {
    const out = tmp();
    const r = await cli('run', join(ALL_OUTPUTS, 'model.onnx'), '--data', DATA, '--out', out);
    expect(r.code).toBe(0);
    ['Y', 'Y_h', 'Y_c'].forEach((name, i) => {
      const got = pb(join(out, `output_${i}.pb`));
      const want = pb(join(DATA, `output_${i}.pb`));
      expect(got.name).toBe(name);
      expect(got.tensor.shape).toEqual(want.tensor.shape);
      const d = Math.max(...Array.from(got.tensor.data as Float32Array, (v, k) => Math.abs(v - (want.tensor.data as Float32Array)[k]!)));
      expect(d).toBeLessThanOrEqual(1e-5);
    });
  });

  it('writes .npy outputs with --out-format npy', async () => {
    const out = tmp();
    expect((await cli('run', join(ALL_OUTPUTS, 'model.onnx'), '--data', DATA, '--out', out, '--out-format', 'npy')).code).toBe(0);
    const y = readNpy(readFileSync(join(out, 'output_2.npy')), 'output_2.npy');
    const want = pb(join(DATA, 'output_2.pb')).tensor;
    expect(y.shape).toEqual(want.shape);
    expect(Math.max(...Array.from(y.data as Float32Array, (v, k) => Math.abs(v - (want.data as Float32Array)[k]!)))).toBeLessThanOrEqual(1e-5);
    expect(existsSync(join(out, 'output_0.pb'))).toBe(false);
  });

  it('takes inputs as --input NAME=FILE.npy (winning over --data), and compares', async () => {
    const d = dataDir(['input_0.pb', 'input_1.pb', 'input_2.pb', 'output_0.pb', 'output_1.pb', 'output_2.pb']);
    const x = pb(join(DATA, 'input_0.pb')).tensor;
    writeFileSync(join(d, 'x.npy'), writeNpy(x as Parameters<typeof writeNpy>[0]));
    // A wrong input_0.pb is overridden by --input.
    writeFileSync(join(d, 'input_0.pb'), encodeRtTensorProto('X', { ...x, data: new Float32Array(x.data.length) } as RtTensor));
    const r = await cli('run', join(ALL_OUTPUTS, 'model.onnx'), '--data', d, '--input', `X=${join(d, 'x.npy')}`, '--check');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Without the override the zeroed X gives other outputs: --check fails, exit 1, one error line.
    const bad = await cli('run', join(ALL_OUTPUTS, 'model.onnx'), '--data', d, '--check');
    expect(bad.code).toBe(1);
    oneLineError(bad.stderr, 'E-RUN-CHECK');
    expect(bad.stdout).toContain('FAIL');
  });

  it('runs a compiled .lrg; --tolerance 0 makes a float32 rounding difference a failure', async () => {
    const d = tmp();
    const lrg = join(d, 'm.lrg');
    expect((await cli('compile', join(ALL_OUTPUTS, 'model.onnx'), '-o', lrg)).code).toBe(0);
    expect((await cli('run', lrg, '--data', DATA, '--check')).code).toBe(0);
    const strict = await cli('run', lrg, '--data', DATA, '--check', '--tolerance', '0');
    expect(strict.code).toBe(1);
    oneLineError(strict.stderr, 'E-RUN-CHECK');
  });

  it('runs textual IR (.lir, as `lstmc ir` prints it)', async () => {
    const lir = join(tmp(), 'm.lir');
    const ir = await cli('ir', join(ALL_OUTPUTS, 'model.onnx'));
    expect(ir.code).toBe(0);
    writeFileSync(lir, ir.stdout);
    const r = await cli('run', lir, '--data', DATA, '--check');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('runs the torch-exported kws model against its reference data', async () => {
    const r = await cli('run', join(KWS, 'model.onnx'), '--data', join(KWS, 'test_data_set_0'), '--check');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^output_0 probs: max abs error/);
  });

  it('prints the outputs when neither --out nor --check is given', async () => {
    const r = await cli('run', join(ALL_OUTPUTS, 'model.onnx'), '--data', DATA);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Y: f32\[2, 1, 3, 4\] \[0\.2153/);
  });
});

describe('lstmc run: bad inputs are one-line user errors naming the input and file (exit 1)', () => {
  const model = join(ALL_OUTPUTS, 'model.onnx');
  it('a missing input', async () => {
    const r = await cli('run', model, '--data', dataDir(['input_0.pb', 'input_1.pb']));
    expect(r.code).toBe(1);
    oneLineError(r.stderr, 'E-RUN-INPUT-MISSING');
    expect(r.stderr).toContain("'R'");
    expect(r.stderr).toContain('input_2.pb');
  });
  it('an extra input file', async () => {
    const d = dataDir(['input_0.pb', 'input_1.pb', 'input_2.pb']);
    copyFileSync(join(DATA, 'input_0.pb'), join(d, 'input_3.pb'));
    const r = await cli('run', model, '--data', d);
    expect(r.code).toBe(1);
    oneLineError(r.stderr, 'E-RUN-INPUT-EXTRA');
    expect(r.stderr).toContain('input_3.pb');
  });
  it('a mis-shaped input', async () => {
    const d = dataDir(['input_0.pb', 'input_1.pb', 'input_2.pb']);
    writeFileSync(join(d, 'w.npy'), writeNpy({ dtype: 'f32', shape: [1, 16, 2], data: new Float32Array(32) }));
    const r = await cli('run', model, '--data', d, '--input', `W=${join(d, 'w.npy')}`);
    expect(r.code).toBe(1);
    oneLineError(r.stderr, 'E-RUN-INPUT-SHAPE');
    expect(r.stderr).toContain("input 'W'");
    expect(r.stderr).toContain('w.npy');
  });
  it('a wrongly typed input', async () => {
    const d = dataDir(['input_0.pb', 'input_1.pb', 'input_2.pb']);
    writeFileSync(join(d, 'x.npy'), writeNpy({ dtype: 'f64', shape: [2, 3, 3], data: new Float64Array(18) }));
    const r = await cli('run', model, '--data', d, '--input', `X=${join(d, 'x.npy')}`);
    expect(r.code).toBe(1);
    oneLineError(r.stderr, 'E-RUN-INPUT-DTYPE');
    expect(r.stderr).toContain('x.npy');
  });
  it('inputs out of graph-input order', async () => {
    const d = tmp();
    copyFileSync(join(DATA, 'input_1.pb'), join(d, 'input_0.pb'));
    copyFileSync(join(DATA, 'input_0.pb'), join(d, 'input_1.pb'));
    copyFileSync(join(DATA, 'input_2.pb'), join(d, 'input_2.pb'));
    const r = await cli('run', model, '--data', d);
    expect(r.code).toBe(1);
    oneLineError(r.stderr, 'E-RUN-INPUT-ORDER');
  });
  it('an input name the model does not have', async () => {
    const r = await cli('run', model, '--data', DATA, '--input', `Q=${join(DATA, 'input_0.pb')}`);
    expect(r.code).toBe(1);
    oneLineError(r.stderr, 'E-RUN-INPUT-UNKNOWN');
  });
  it('an input of the wrong rank for a model with symbolic dims', async () => {
    const d = tmp();
    writeFileSync(join(d, 'f.npy'), writeNpy({ dtype: 'f32', shape: [25, 40], data: new Float32Array(1000) }));
    const r = await cli('run', join(KWS, 'model.onnx'), '--input', `features=${join(d, 'f.npy')}`);
    expect(r.code).toBe(1);
    oneLineError(r.stderr, 'E-RUN-INPUT-SHAPE');
    expect(r.stderr).toContain("'features'");
  });
  it('a corrupt .lrg names the file', async () => {
    const d = tmp();
    const lrg = join(d, 'm.lrg');
    await cli('compile', join(ALL_OUTPUTS, 'model.onnx'), '-o', lrg);
    const bytes = readFileSync(lrg);
    bytes[bytes.length - 3] ^= 0xff;
    writeFileSync(lrg, bytes);
    const r = await cli('run', lrg, '--data', DATA);
    expect(r.code).toBe(1);
    oneLineError(r.stderr, 'E-RT-[A-Z-]+');
    expect(r.stderr).toContain('m.lrg');
  });
  it('a corrupt .npy', async () => {
    const d = tmp();
    writeFileSync(join(d, 'x.npy'), 'not an npy file at all');
    const r = await cli('run', model, '--data', DATA, '--input', `X=${join(d, 'x.npy')}`);
    expect(r.code).toBe(1);
    oneLineError(r.stderr, 'E-NPY-MAGIC');
  });
  it('a missing data folder', async () => {
    const r = await cli('run', model, '--data', '/nonexistent/dir');
    expect(r.code).toBe(1);
    oneLineError(r.stderr, 'E-IO');
  });
});

describe('lstmc run: usage errors exit 2', () => {
  const model = join(ALL_OUTPUTS, 'model.onnx');
  for (const argv of [
    [model],
    [model, '--input', 'X'],
    [model, '--input', `X=${join(DATA, 'input_0.pb')}`, '--check'],
    [model, '--data', DATA, '--tolerance', 'abc'],
    [model, '--data', DATA, '--tolerance', '-1'],
    [model, '--data', DATA, '--out-format', 'csv'],
    [model, '--data', DATA, '--threads', '0'],
    [model, '--data', DATA, '--threads', '1.5'],
    [model, '--data', DATA, '--matvec', 'gpu'],
  ])
    it(argv.slice(1).join(' ') || '(no inputs)', async () => {
      expect((await cli('run', ...argv)).code).toBe(2);
    });
});
