/**
 * `lstmc prune --quantize`: the pruned and quantized model as standard ONNX
 * (integer W and R read through DequantizeLinear, or Cast+Mul where the
 * opset has no DequantizeLinear for the type), run by onnxruntime-node; its
 * outputs stay within the error the quantize pass reports of the float
 * pruned model's, and lstmc runs the file to onnxruntime's outputs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeTensorProto, importOnnx, walkNodes } from '@lstmc/ir';
import { REPO, cli } from './helpers.js';

const MODEL = 'examples/kws-lstm/model.onnx';
const DATA = 'examples/kws-lstm/test_data_set_0';
const dir = mkdtempSync(join(tmpdir(), 'lstmc-qonnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The outputs of `file` run by onnxruntime on input_N.pb (f32 or i64) of `data` (graph-input order). */
async function ortRunAll(file: string, data: string): Promise<Float32Array[]> {
  const sess = await ort.InferenceSession.create(file);
  const feeds: Record<string, ort.Tensor> = {};
  sess.inputNames.forEach((name, i) => {
    const x = decodeTensorProto(readFileSync(join(REPO, data, `input_${i}.pb`)), `input_${i}.pb`).tensor;
    feeds[name] = x.dtype === 'i64' ? new ort.Tensor('int64', x.data as BigInt64Array, [...x.dims]) : new ort.Tensor('float32', x.data as Float32Array, [...x.dims]);
  });
  const out = await sess.run(feeds);
  return sess.outputNames.map((n) => out[n]!.data as Float32Array);
}

/** The first output of `file` run by onnxruntime on input_N.pb of `data`. */
async function ortRun(file: string, data: string): Promise<Float32Array> {
  return (await ortRunAll(file, data))[0]!;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

interface PruneJson {
  readonly quantize: { measuredError: number; matrices: { node: string; matrix: string; form: string; bits: number }[] };
}

describe('prune --quantize writes a quantized ONNX model onnxruntime runs', () => {
  const BIDIR = 'tools/test/corpus/torch/head-last-select-linear-softmax-2l-bidir-bf-fix-op17';
  const cases = [
    { name: 'kws, int16 weights (opset 17: Cast+Mul)', model: MODEL, data: DATA, target: undefined, form: 'Cast+Mul', bits: 16 },
    { name: 'kws, int8 weights (DequantizeLinear)', model: MODEL, data: DATA, target: { weightBits: 8 }, form: 'DequantizeLinear', bits: 8 },
    { name: '2-layer bidirectional, int8 weights (DequantizeLinear, a scale per direction)', model: `${BIDIR}/model.onnx`, data: `${BIDIR}/test_data_set_0`, target: { weightBits: 8 }, form: 'DequantizeLinear', bits: 8 },
  ];
  for (const c of cases)
    it(c.name, async () => {
      const tag = `${cases.indexOf(c)}`;
      const pruned = join(dir, `${tag}.pruned.onnx`);
      const quantized = join(dir, `${tag}.quantized.onnx`);
      const targetArgs: string[] = [];
      if (c.target) {
        writeFileSync(join(dir, `t${tag}.json`), JSON.stringify(c.target));
        targetArgs.push('--target-config', join(dir, `t${tag}.json`));
      }
      expect((await cli('prune', c.model, '--sparsity', '0.85', '-o', pruned, '-q')).code).toBe(0);
      const r = await cli('prune', c.model, '--sparsity', '0.85', '--quantize', '--calibration', c.data, ...targetArgs, '-o', quantized, '--json');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout) as PruneJson;
      expect(j.quantize.matrices.map((m) => [m.matrix, m.form, m.bits])).toEqual([
        ['W', c.form, c.bits],
        ['R', c.form, c.bits],
        ['W', c.form, c.bits],
        ['R', c.form, c.bits],
      ]);
      // The file holds integer weights and the dequantization nodes, no float W/R.
      const g = importOnnx(readFileSync(quantized), { file: quantized });
      expect(g.nodes.filter((n) => n.op === c.form.split('+')[0]).length).toBe(4);
      const lstm = g.nodes.find((n) => n.op === 'LSTM')!;
      expect(g.initializers.has(lstm.inputs[1]!)).toBe(false);
      const wq = g.initializers.get(`${lstm.name}/W_quantized`)!;
      expect(wq.dtype).toBe(c.bits === 8 ? 'i8' : 'i16');

      const float = await ortRun(pruned, c.data);
      const fixed = await ortRun(quantized, c.data);
      const err = maxDiff(fixed, float);
      expect(err).toBeGreaterThan(0);
      expect(err).toBeLessThanOrEqual(j.quantize.measuredError);
      // lstmc reads its own export back to the same outputs (float32 rounding apart).
      const ours = await cli('run', quantized, '--data', c.data, '--out', join(dir, `out${tag}`));
      expect(ours.code).toBe(0);
      const mine = decodeTensorProto(readFileSync(join(dir, `out${tag}`, 'output_0.pb')), 'output_0.pb').tensor.data as Float32Array;
      expect(maxDiff(mine, fixed)).toBeLessThan(1e-5);
    });

  it('Silero VAD v5: the LSTMs inside If branches (weights in Constant nodes, so fold runs first), the taken branch calibrated', async () => {
    const model = 'tools/test/corpus/silero/v5/model.onnx';
    const data = 'tools/test/corpus/silero/v5/test_data_set_0';
    const pruned = join(dir, 'silero.pruned.onnx');
    const quantized = join(dir, 'silero.quantized.onnx');
    const p = await cli('prune', model, '--sparsity', '0.5', '-o', pruned, '--json');
    expect(p.code).toBe(0);
    const pj = JSON.parse(p.stdout) as { step: string; counters: Record<string, number> };
    expect(pj.counters['matrices-pruned']).toBe(4);
    const r = await cli('prune', model, '--sparsity', '0.5', '--quantize', '--calibration', data, '-o', quantized, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as PruneJson & { quantize: { counters: Record<string, number> } };
    // Both branches' LSTMs (16 and 8 kHz) rewritten; the 16 kHz branch, which sr = 16000 takes, has a measured error.
    expect(j.quantize.matrices.map((m) => [m.node.includes('then_branch'), m.matrix, m.form, m.bits])).toEqual([
      [false, 'W', 'Cast+Mul', 16],
      [false, 'R', 'Cast+Mul', 16],
      [true, 'W', 'Cast+Mul', 16],
      [true, 'R', 'Cast+Mul', 16],
    ]);
    expect(j.quantize.measuredError).toBeGreaterThan(0);
    // The one sample measured the branch that takes it, and counts once.
    expect(j.quantize.counters['calibration-samples']).toBe(1);
    const g = importOnnx(readFileSync(quantized), { file: quantized });
    const lstms: { inputs: readonly string[] }[] = [];
    const casts: string[] = [];
    walkNodes(g, (n) => {
      if (n.op === 'LSTM') lstms.push(n);
      if (n.op === 'Cast' && n.name.endsWith('_Cast')) casts.push(n.name);
    });
    expect(lstms.length).toBe(2);
    for (const l of lstms) expect([l.inputs[1], l.inputs[2]].every((w) => w!.endsWith('_dequantized'))).toBe(true);
    expect(casts.length).toBe(4);

    const float = await ortRunAll(pruned, data);
    const fixed = await ortRunAll(quantized, data);
    const errs = float.map((f, k) => maxDiff(fixed[k]!, f));
    expect(Math.max(...errs)).toBeGreaterThan(0);
    for (const e of errs) expect(e).toBeLessThanOrEqual(j.quantize.measuredError);
    const ours = await cli('run', quantized, '--data', data, '--out', join(dir, 'out-silero'));
    expect(ours.code).toBe(0);
    fixed.forEach((f, k) => {
      const mine = decodeTensorProto(readFileSync(join(dir, 'out-silero', `output_${k}.pb`)), `output_${k}.pb`).tensor.data as Float32Array;
      expect(maxDiff(mine, f)).toBeLessThan(1e-5);
    });
  });

  it('--calibration without --quantize is a usage error', async () => {
    const r = await cli('prune', MODEL, '--sparsity', '0.5', '--calibration', DATA);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error\[E-CLI-USAGE\]: lstmc prune: --calibration is for --quantize/);
  });
});

describe('prune on a torch nn.LSTMCell step (no LSTM node: the lstm-cell pass raises it first)', () => {
  const CELL = 'tools/test/corpus/torch2/ts-cell-step-linear-dynb-op17';
  const expected = (k: number) => decodeTensorProto(readFileSync(join(REPO, CELL, 'test_data_set_0', `output_${k}.pb`)), `output_${k}.pb`).tensor.data as Float32Array;

  it('writes a one-step ONNX LSTM in the cell\'s place: unpruned, onnxruntime runs it to torch\'s outputs', async () => {
    const out = join(dir, 'cell.p0.onnx');
    expect((await cli('prune', `${CELL}/model.onnx`, '--sparsity', '0', '-o', out, '-q')).code).toBe(0);
    const g = importOnnx(readFileSync(out), { file: out });
    expect(g.nodes.filter((n) => n.op === 'LSTM')).toHaveLength(1);
    expect(g.nodes.filter((n) => n.op === 'Split' || n.op === 'Sigmoid')).toEqual([]);
    const ys = await ortRunAll(out, `${CELL}/test_data_set_0`);
    ys.forEach((y, k) => expect(maxDiff(y, expected(k)), `output ${k}`).toBeLessThan(1e-6));
  });

  it('prunes its W and R: onnxruntime runs the pruned file to what lstmc runs it to', async () => {
    const out = join(dir, 'cell.p80.onnx');
    const r = await cli('prune', `${CELL}/model.onnx`, '--sparsity', '0.8', '-o', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote .* \((12\d\d) weights zeroed\)/);
    const ys = await ortRunAll(out, `${CELL}/test_data_set_0`);
    const got = join(dir, 'cell.p80.out');
    expect((await cli('run', out, '--data', `${CELL}/test_data_set_0`, '--out', got)).code).toBe(0);
    ys.forEach((y, k) => {
      const mine = decodeTensorProto(readFileSync(join(got, `output_${k}.pb`)), `output_${k}.pb`).tensor.data as Float32Array;
      expect(maxDiff(y, mine), `output ${k}`).toBeLessThan(1e-6);
      // pruning moved the outputs away from torch's unpruned ones
      expect(maxDiff(y, expected(k)), `output ${k}`).toBeGreaterThan(1e-3);
    });
  });
});
