import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { decodeTensorProto, loadOnnxFile, zeroFraction } from '@lstmc/ir';
import { lowerToRuntime } from '@lstmc/backend-js';
import { createModel } from '@lstmc/runtime';
import { countRelCsc, defaultTarget, rowToPe } from '@lstmc/target';
import { cli, REPO } from './helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lstmc-passes-'));
const KWS = join(REPO, 'examples/kws-lstm');
const MODEL = join(KWS, 'model.onnx');
const FIXTURES = join(REPO, 'packages/passes/test/fixtures/plugins');

describe('lstmc compile: pass flags', () => {
  it('-O accel --print-pipeline shows the expansion; --pass-timing prints a table of passes and counters', async () => {
    const d = tmp();
    const r = await cli('compile', MODEL, '-O', 'accel', '--print-pipeline', '--pass-timing', '--pass-reports', '--calibration', join(KWS, 'test_data_set_0'), '-o', join(d, 'kws.lrg'));
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('lstm-cell,fold,sparsity,select-mode,quantize,encode{which=sparse-weight}');
    expect(r.stdout).toContain('=== select-mode: combine=or, input test runtime ===');
    expect(r.stdout).toMatch(/=== quantize: int16 weights/);
    expect(r.stderr).toMatch(/=== pass timing ===\nstep +pass +ms +changed +counters\n#1 +lstm-cell .*\n#2 +fold/);
    expect(r.stderr).toMatch(/#5 +quantize .*layers=2/);
  });

  it("sparsity{input=calibration} measures Silero VAD v5's 16 kHz branch LSTM on the samples that take it (ReLU features: 85% zeros)", async () => {
    const v5 = join(REPO, 'tools/test/corpus/silero/v5');
    const r = await cli('compile', join(v5, 'model.onnx'), '--pipeline', 'fold,sparsity{input=calibration}', '--pass-reports', '--calibration', join(v5, 'test_data_set_0'), '-o', join(tmp(), 'v5.lrg'));
    expect(r.code, r.stderr).toBe(0);
    const table = r.stdout.split('=== sparsity: layer inputs on calibration data (fraction of zeros) ===\n')[1]!.split('\n');
    // the sample's sr is 16000: the then branch; the 8 kHz branch, which it does not take, is unmeasured.
    // onnxruntime agrees: with the branch LSTM's X exposed as an output of the Ifs, it has 109 of 128 zeros.
    expect(table[1]).toMatch(/^If_0_then_branch__Inline_0__\/decoder\/rnn\/LSTM +0\.8516 +1$/);
    expect(table[2] ?? '').not.toMatch(/else_branch/);
  });

  it('--print-ir-after / --print-ir-before dump the IR with a fixed header', async () => {
    const d = tmp();
    const r = await cli('compile', MODEL, '--pipeline', 'fold,prune{sparsity=0.9}', '--print-ir-before', 'fold', '--print-ir-after', 'prune', '-o', join(d, 'x.lrg'));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('// -----// IR Dump Before fold (#1) //----- //\n// lstmc.ir v1');
    expect(r.stderr).toContain('// -----// IR Dump After prune (#2) //----- //');
    expect(r.stderr).not.toContain('IR Dump After fold');
    const all = await cli('compile', MODEL, '--pipeline', 'fold,fold', '--print-ir-after-change', '-o', join(d, 'y.lrg'));
    // The second fold finds nothing to do.
    expect(all.stderr.match(/IR Dump After/g)).toHaveLength(1);
  });

  it('pipeline errors are one-line diagnostics with line:column (exit 1); -O with --pipeline is a usage error', async () => {
    const r = await cli('compile', MODEL, '--pipeline', 'fold,prune{sparsity=2}');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[E-PIPE-BAD-VALUE\]: .*\(<pipeline>:1:21, 'sparsity'\)\n$/);
    const u = await cli('compile', MODEL, '-O', 'js', '--pipeline', 'fold');
    expect(u.code).toBe(2);
  });

  it('--plugin loads a plugin package (folder) and its passes run', async () => {
    const d = tmp();
    const r = await cli('compile', MODEL, '--plugin', './examples/plugin-merge-bias', '--pipeline', 'merge-bias,fold', '--pass-timing', '-o', join(d, 'x.lrg'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/merge-bias \[lstmc-plugin-merge-bias.*layers=2/);
  });

  it('a failing pass writes a reproducer that replays the failure', async () => {
    const d = tmp();
    const repro = join(d, 'repro.lir');
    const plugin = join(FIXTURES, '_error_throws/plugin.js');
    const r = await cli('compile', MODEL, '--plugin', plugin, '--pipeline', 'fold,explode', '--reproducer', repro, '-o', join(d, 'x.lrg'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[E-PLUGIN-THREW\]: pass 'explode' of plugin 'thrower/m);
    expect(r.stderr).toContain(`wrote reproducer ${repro}`);
    const text = readFileSync(repro, 'utf8');
    expect(text).toContain('// lstmc-reproducer pipeline: explode\n');
    // The IR in the reproducer is the folded graph explode received; replaying it fails the same way.
    const again = await cli('compile', repro, '--plugin', plugin, '--reproducer', join(d, 'again.lir'), '-o', join(d, 'y.lrg'));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error\[E-PLUGIN-THREW\]/m);
    // Same pipeline, same IR; only the step number in the first line differs.
    expect(readFileSync(join(d, 'again.lir'), 'utf8').split('\n').slice(1)).toEqual(text.split('\n').slice(1));
  });

  it('--error-budget makes quantize fail with E-QUANT-BUDGET', async () => {
    const d = tmp();
    const r = await cli('compile', MODEL, '--pipeline', 'fold,quantize{weight-bits=8}', '--calibration', join(KWS, 'test_data_set_0'), '--error-budget', '1e-9', '--reproducer', join(d, 'r.lir'), '-o', join(d, 'x.lrg'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[E-QUANT-BUDGET\]: quantize: layer '.*': fixed-point output error .* exceeds the error budget 1e-9/m);
    // The reproducer records the budget; replaying it (with the same calibration) fails the same way.
    expect(readFileSync(join(d, 'r.lir'), 'utf8')).toContain('// lstmc-reproducer pipeline: quantize{weight-bits=8,error-budget=1e-9}\n');
    const again = await cli('compile', join(d, 'r.lir'), '--calibration', join(KWS, 'test_data_set_0'), '--reproducer', join(d, 'r2.lir'), '-o', join(d, 'y.lrg'));
    expect(again.stderr).toMatch(/^error\[E-QUANT-BUDGET\]/m);
  });
});

describe('lstmc prune', () => {
  it('writes a 90%-pruned ONNX model that onnxruntime runs and our runtime matches within 1e-5', async () => {
    const d = tmp();
    const out = join(d, 'kws90.onnx');
    const r = await cli('prune', MODEL, '--sparsity', '0.9', '--method', 'balanced', '--balance', 'entries', '-o', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('=== prune: achieved sparsity ===');
    // Same graph, pruned LSTM weights.
    const orig = loadOnnxFile(MODEL);
    const pruned = loadOnnxFile(out);
    expect(pruned.nodes.map((n) => n.op)).toEqual(orig.nodes.map((n) => n.op));
    for (const n of pruned.nodes.filter((x) => x.op === 'LSTM')) {
      expect(zeroFraction(pruned.initializers.get(n.inputs[1])!)).toBeGreaterThanOrEqual(0.89);
      expect(zeroFraction(pruned.initializers.get(n.inputs[2])!)).toBeGreaterThanOrEqual(0.89);
    }
    const x = decodeTensorProto(readFileSync(join(KWS, 'test_data_set_0/input_0.pb')), 'input_0.pb').tensor;
    const session = await ort.InferenceSession.create(out);
    const ortOut = await session.run({ features: new ort.Tensor('float32', x.data as Float32Array, [...x.dims]) });
    const want = ortOut.probs.data as Float32Array;
    const mine = createModel(lowerToRuntime(pruned)).run({ features: { dtype: 'f32', shape: [...x.dims], data: x.data as Float32Array } }).probs.data as Float32Array;
    expect(mine.length).toBe(want.length);
    let maxErr = 0;
    for (let i = 0; i < want.length; i++) maxErr = Math.max(maxErr, Math.abs(mine[i] - want[i]));
    expect(maxErr).toBeLessThanOrEqual(1e-5);
    // Pruning changed the outputs (the test would be vacuous otherwise).
    const origOut = await (await ort.InferenceSession.create(MODEL)).run({ features: new ort.Tensor('float32', x.data as Float32Array, [...x.dims]) });
    expect(Math.max(...Array.from(origOut.probs.data as Float32Array, (v, i) => Math.abs(v - want[i])))).toBeGreaterThan(1e-4);
  });

  it('--max-gap auto and the default gap repair: balanced pruning whose relative-indexed encoding needs fewer padding entries on the target', async () => {
    const d = tmp();
    // 4 PEs: 64 rows of each 256-row gate matrix per PE, so gaps beyond the 4-bit relative index occur.
    const target = join(d, 'pe4.json');
    writeFileSync(target, JSON.stringify({ pes: 4 }));
    const counts = async (extra: string[]) => {
      const out = join(d, `kws-${extra.join('-') || 'default'}.onnx`);
      const r = await cli('prune', MODEL, '--sparsity', '0.9', '--method', 'balanced', '--target-config', target, ...extra, '-q', '-o', out);
      expect(r.code, r.stderr).toBe(0);
      const g = loadOnnxFile(out);
      let padding = 0;
      for (const n of g.nodes.filter((x) => x.op === 'LSTM'))
        for (const slot of [1, 2]) {
          const t = g.initializers.get(n.inputs[slot])!;
          const [, rows, cols] = t.dims;
          // Each direction's matrix is encoded on its own, rows spread over the 4 PEs.
          for (let dir = 0; dir < t.dims[0]; dir++) {
            const m = (t.data as Float32Array).subarray(dir * rows * cols, (dir + 1) * rows * cols);
            padding += countRelCsc(m, rows, cols, rowToPe(rows, 4), defaultTarget.relIndexBits).paddingPerPe.reduce((a, b) => a + b, 0);
          }
          expect(zeroFraction(t)).toBeGreaterThanOrEqual(0.89);
        }
      return padding;
    };
    // The example is already 80% pruned: a gap made only of weights that are zero in the input
    // cannot be filled, so some padding remains (measured: 749 plain, 151 with max-gap).
    const plain = await counts(['--gap-repair', 'false']);
    const gapped = await counts(['--max-gap', 'auto']);
    const repaired = await counts([]);
    expect(plain).toBeGreaterThan(0);
    expect(gapped).toBeLessThan(plain);
    // By default balanced pruning keeps what --max-gap auto keeps.
    expect(repaired).toBe(gapped);
  });

  it('requires --sparsity (usage error) and rejects a bad method with a pipeline diagnostic', async () => {
    expect((await cli('prune', MODEL)).code).toBe(2);
    const r = await cli('prune', MODEL, '--sparsity', '0.5', '--method', 'random');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[E-PIPE-BAD-VALUE\]/);
  });
});

describe('lstmc passes', () => {
  it('lists built-in and plugin passes with typed options, and the presets', async () => {
    const r = await cli('passes', '--plugin', './examples/plugin-merge-bias');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('prune: magnitude, row, block or load-balanced');
    expect(r.stdout).toContain('    method=magnitude|row|block|balanced (default magnitude):');
    expect(r.stdout).toContain('    sparsity=float in [0, 1] (default 0.5):');
    expect(r.stdout).toMatch(/merge-bias \[lstmc-plugin-merge-bias/);
    expect(r.stdout).toContain('    accel  lstm-cell,fold,sparsity,select-mode,quantize,encode{which=sparse-weight}');
    const one = await cli('passes', 'select-mode');
    expect(one.stdout.split('\n')[0]).toMatch(/^select-mode: /);
    expect(one.stdout).toContain('    requires: weight-sparsity');
    const bad = await cli('passes', 'nope');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error\[E-PIPE-UNKNOWN-PASS\]/);
  });
});
