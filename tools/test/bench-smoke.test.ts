// `npm run bench` (tools/scripts/bench.mjs) on a tiny shape: every row of issue 10's table runs, on
// the kernel the row names, and agrees with onnxruntime (the max|dY| column, lstmc against
// onnxruntime-node's float32 result on the same model and input). Timings are not checked: at this
// size they measure nothing. Batch 3 is odd, so the single-vector kernels run beside the pair ones.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasChromium } from '@lstmc/testing';
import { REPO } from './helpers.js';

interface Row {
  readonly batch: number;
  readonly label: string;
  readonly kernel: string;
  readonly err: number;
  readonly goal: string;
}

/** The measured rows of the bench's table (batch, I, H, case, kernel, five times and ratios, error, ratio, goal). */
function rows(out: string): Row[] {
  const re = /^\s*(\d+)\s+16\s+32 {2}(.{18}) (lstm\.\S+)\s+(?:[\d.]+\s+){5}([\d.]+e[-+]\d+)\s+[\d.]+ {2}(<= .*) (met|MISSED)$/;
  return out.split('\n').flatMap((line) => {
    const m = re.exec(line);
    return m ? [{ batch: Number(m[1]), label: m[2]!.trim(), kernel: m[3]!, err: Number(m[4]), goal: m[5]! }] : [];
  });
}

/** Runs a bench script of tools/scripts with one timed round (and `env`): its exit status and output. */
const runBench = (script: string, env: Record<string, string>) =>
  spawnSync(process.execPath, [join(REPO, 'tools/scripts', script)], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, LSTMC_BENCH_REPS: '1', LSTMC_BENCH_WARMUP: '0', LSTMC_BENCH_MIN_MS: '0', ...env },
  });

describe('npm run bench, smoke', () => {
  it('runs every row at I=16, H=32, batch 1 and 3, each within tolerance of onnxruntime', () => {
    const r = runBench('bench.mjs', { LSTMC_BENCH_SIZES: '16x32', LSTMC_BENCH_BATCHES: '1,3', LSTMC_BENCH_WARMUP: '1' });
    expect(r.status, r.stderr).toBe(0);
    const got = rows(r.stdout);
    const labels = [...new Set(got.map((x) => x.label))];
    // 19 cases, each measured at both batches (none printed as 'not built yet' or 'no relaxed SIMD')
    expect(labels.length, r.stdout).toBe(20);
    expect(got.length).toBe(2 * labels.length);
    expect(r.stdout.split('\n').filter((l) => /^\s*\d+\s+16\s+32 /.test(l) && /not built yet|no relaxed SIMD/.test(l))).toEqual([]);
    for (const row of got) {
      const int8 = row.label.startsWith('int8');
      // f32 rows: float32 rounding only; int8 rows: the int8 weights' quantization error
      expect(row.err, `${row.label} at batch ${row.batch}`).toBeLessThan(int8 ? 2e-2 : 1e-5);
      expect(row.goal).toMatch(/^<= [\d.]+( of (ORT-def|dense input))?$/);
    }
    const kernelOf = (label: string) => got.find((x) => x.label === label)!.kernel;
    expect(kernelOf('dense f32')).toBe('lstm.dense.f32');
    expect(kernelOf('dense f32 FMA')).toBe('lstm.dense.f32/fma');
    expect(kernelOf('dense 2 thr. FMA')).toMatch(/^lstm\.dense\.f32\/fma(\/2t)?$/);
    expect(kernelOf('90% bal. g16 f32')).toBe('lstm.sparse.f32');
    expect(kernelOf('int8 dense')).toBe('lstm.dense.f32/i8');
    expect(kernelOf('int8 90% block4x1')).toBe('lstm.sparse.f32/i8');
    expect(kernelOf('int8 90% bal. g16')).toBe('lstm.sparse.f32/i8');
    // the int8 rows really run int8 weights: their error is the quantization's, far above f32 rounding
    expect(got.find((x) => x.label === 'int8 dense')!.err).toBeGreaterThan(1e-5);
    expect(r.stdout).toMatch(/\d+ goals met, \d+ missed/);
  }, 300_000);
});

describe('npm run bench:vad, smoke', () => {
  it('streams the utterance through every Silero model on lstmc and onnxruntime, with the same speech probabilities', () => {
    const r = runBench('bench-vad.mjs', {});
    expect(r.status, r.stderr).toBe(0);
    const rows = [...r.stdout.matchAll(/^(\S+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+e[-+]\d+)\s+(\d+)$/gm)];
    expect(rows.map((m) => m[1]), r.stdout).toEqual(['v4-legacy', 'v5', '16k-op15']);
    // the state is fed back for 128 frames, so a difference would grow; float32 reordering stays far below 1e-4
    for (const m of rows) expect(Number(m[5]), m[0]).toBeLessThan(1e-4);
  }, 300_000);
});

describe('npm run bench:corpus, smoke', () => {
  it('runs the keyword-spotting models of the corpus (torch 1.13 and torch 2) and both examples on lstmc and onnxruntime, with the same outputs', () => {
    const r = runBench('bench-corpus.mjs', { LSTMC_BENCH_ONLY: 'kws' });
    expect(r.status, r.stderr).toBe(0);
    const rows = [...r.stdout.matchAll(/^\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+e[-+]\d+)\s+(\S+)$/gm)];
    expect(rows.map((m) => m[5]).sort(), r.stdout).toEqual([
      'dynamo-kws-layernorm-lstm-bf-flatten-linear-logsoftmax-dynb',
      'dynamo-kws-matmul-lstm-2l-bf-last-linear-softmax-dynb',
      'kws-layernorm-lstm-bf-flatten-linear-logsoftmax-dynb-op14',
      'kws-layernorm-lstm-bf-flatten-linear-logsoftmax-dynb-op17',
      'kws-lstm',
      'kws-lstm-sparse',
      'kws-matmul-lstm-2l-bf-last-linear-softmax-dyn-op11-nofold',
      'ts-kws-layernorm-lstm-bf-flatten-linear-logsoftmax-dynb-op18',
    ]);
    for (const m of rows) expect(Number(m[4]), m[5]).toBeLessThan(1e-5);
    expect(r.stdout).toMatch(/^8 models: lstmc \/ ORT-1t median [\d.]+/m);
  }, 300_000);
});

describe('npm run bench:web, smoke', () => {
  it.skipIf(!hasChromium('bench:web smoke'))('runs Silero and the keyword spotters on lstmc and onnxruntime-web in Chromium, with the same outputs', () => {
    const r = runBench('bench-web.mjs', {});
    expect(r.status, r.stderr).toBe(0);
    const rows = [...r.stdout.matchAll(/^(\S+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+e[-+]\d+)\s+(\d+)$/gm)];
    expect(rows.map((m) => m[1]), r.stdout).toEqual(['v4-legacy', 'v5', '16k-op15', 'kws-lstm', 'kws-lstm-sparse']);
    // onnxruntime-web's WebAssembly kernels as the oracle: Silero's fed-back state as in bench:vad, the keyword probabilities to float32 rounding
    for (const m of rows) expect(Number(m[5]), m[1]).toBeLessThan(m[1]!.startsWith('kws') ? 1e-5 : 1e-4);
    expect(r.stdout).toMatch(/vs onnxruntime-web [\d.]+ \(WebAssembly, 1 thread\) in headless/);
  }, 300_000);
});
