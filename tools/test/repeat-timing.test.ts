// `lstmc run --repeat N`: the timing summary and the bit-for-bit comparison of every repeat with the
// first run, on the CLI (kws-lstm) and, for the comparison's failure path, on a stand-in model whose
// outputs change between runs (the runtime's own models do not).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RtTensor } from '@lstmc/runtime';
import { sameBits, timeRepeats } from '../src/repeat-timing.js';
import { cli, REPO } from './helpers.js';

const KWS = join(REPO, 'examples/kws-lstm');
const MODEL = join(KWS, 'model.onnx');
const DATA = join(KWS, 'test_data_set_0');
const f32 = (...v: number[]): RtTensor => ({ dtype: 'f32', shape: [v.length], data: Float32Array.from(v) });

describe('lstmc run --repeat', () => {
  it('prints the first run and the median / min / 90th percentile of N more, after the check', async () => {
    const r = await cli('run', MODEL, '--data', DATA, '--check', '--repeat', '7');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^output_0 probs: max abs error /);
    const m = /^timing: first run ([\d.]+) ms; 7 more: median ([\d.]+) ms, min ([\d.]+) ms, 90th percentile ([\d.]+) ms \(1 thread\)$/.exec(lines[1]!);
    expect(m, lines[1]).not.toBeNull();
    const [first, median, min, p90] = m!.slice(1).map(Number) as [number, number, number, number];
    expect(first).toBeGreaterThan(0);
    expect(min).toBeGreaterThan(0);
    expect(min).toBeLessThanOrEqual(median);
    expect(median).toBeLessThanOrEqual(p90);
  });

  it('--json: the timing document, with the thread count', async () => {
    const r = await cli('run', MODEL, '--data', DATA, '--repeat', '4', '--threads', '2', '--json');
    expect(r.code).toBe(0);
    const t = (JSON.parse(r.stdout) as { timing: Record<string, number | boolean> }).timing;
    expect(Object.keys(t).sort()).toEqual(['firstMs', 'medianMs', 'minMs', 'p90Ms', 'runs', 'sameOutputs', 'threads']);
    expect(t).toMatchObject({ runs: 4, threads: 2, sameOutputs: true });
    expect(t.minMs as number).toBeLessThanOrEqual(t.medianMs as number);
  });

  it('--numerics fixed: the saturation log is the first run\'s, not one copy per repeat', async () => {
    const once = JSON.parse((await cli('run', MODEL, '--data', DATA, '--numerics', 'fixed', '--json')).stdout) as { saturation: unknown[] };
    const r = await cli('run', MODEL, '--data', DATA, '--numerics', 'fixed', '--repeat', '3', '--json');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as { saturation: unknown[]; timing: { sameOutputs: boolean } };
    expect(once.saturation.length).toBe(2);
    expect(rep.saturation).toEqual(once.saturation);
    expect(rep.timing.sameOutputs).toBe(true);
  });

  it('refuses a count that is not a positive integer, and --stream', async () => {
    for (const bad of ['0', '2.5', 'many']) {
      const r = await cli('run', MODEL, '--data', DATA, '--repeat', bad);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/^error\[E-CLI-USAGE\]: lstmc run: --repeat wants a positive integer, got /);
    }
    // a negative count reads as a flag: a usage error all the same
    expect((await cli('run', MODEL, '--data', DATA, '--repeat', '-3')).code).toBe(2);
    const r = await cli('run', MODEL, '--input', `features=${join(DATA, 'input_0.pb')}`, '--stream', '--out', join(KWS, 'never'), '--repeat', '2');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--repeat .* does not combine with --stream/);
  });
});

describe('timeRepeats', () => {
  it('compares every repeat with the first run bit for bit (-0 is not 0)', () => {
    expect(sameBits({ y: f32(1, 2) }, { y: f32(1, 2) })).toBe(true);
    expect(sameBits({ y: f32(0) }, { y: f32(-0) })).toBe(false);
    expect(sameBits({ y: f32(1, 2) }, { y: f32(1) })).toBe(false);
    expect(sameBits({ y: f32(1) }, {})).toBe(false);
  });

  it('reports a model whose outputs change between runs, with the times of the repeats only', () => {
    let calls = 0;
    const model = { run: () => ({ y: f32(calls++ === 2 ? 1.5 : 1) }), threadStats: () => ({ threads: 1, sections: 0, parts: 0, workerParts: 0 }) };
    const t = timeRepeats(model, {}, { y: f32(1) }, 12.5, 5);
    expect(t).toMatchObject({ firstMs: 12.5, runs: 5, threads: 1, sameOutputs: false });
    expect(calls).toBe(5);
    const steady = timeRepeats({ ...model, run: () => ({ y: f32(1) }) }, {}, { y: f32(1) }, 1, 3);
    expect(steady.sameOutputs).toBe(true);
  });
});
