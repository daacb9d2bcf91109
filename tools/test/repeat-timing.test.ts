// `lstmc run --repeat N`: the timing summary and the bit-for-bit comparison of every repeat with the
// first run, on the CLI (kws-lstm) and, for the comparison's failure path, on a stand-in model whose
// outputs change between runs (the runtime's own models do not); `--profile`, the per-node times, on
// the CLI and, for its medians and shares, on a stand-in model that reports scripted node times.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRuntimeGraph, type NodeTime, type RtTensor } from '@lstmc/runtime';
import { profileRepeats, sameBits, timeRepeats, type Profile } from '../src/repeat-timing.js';
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

describe('lstmc run --profile', () => {
  it('prints the time per kernel and the slowest nodes after the timing line', async () => {
    const r = await cli('run', MODEL, '--data', DATA, '--repeat', '5', '--profile');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = r.stdout;
    expect(text).toMatch(/\ntiming: first run [\d.]+ ms; 5 more: .*\nprofile: 5 more runs with per-node times, median [\d.]+ ms per run\n=== profile: by kernel ===\nkernel +nodes +median ms +share\n/);
    expect(text).toMatch(/\nlstm\.dense\.f32 +2 +[\d.]+ +[\d.]+%\n/); // the two LSTM layers
    expect(text).toMatch(/\n=== profile: the \d+ slowest nodes( of \d+ \(--json lists all\))? ===\nnode +kernel +median ms +share\n/);
  });

  it('--json lists every kernel node of the runtime graph once, and per kernel their count', async () => {
    const lrg = join(mkdtempSync(join(tmpdir(), 'lstmc-profile-')), 'kws.lrg');
    expect((await cli('compile', MODEL, '-O', 'js', '-o', lrg)).code).toBe(0);
    const r = await cli('run', lrg, '--data', DATA, '--repeat', '3', '--profile', '--json');
    expect(r.code).toBe(0);
    const p = (JSON.parse(r.stdout) as { profile: Profile }).profile;
    const graph = readRuntimeGraph(new Uint8Array(readFileSync(lrg)));
    expect(p.runs).toBe(3);
    expect(p.nodes.map((n) => `${n.node} ${n.kernel}`).sort()).toEqual(graph.nodes.map((n) => `${n.name} ${n.kernel}`).sort());
    const count = new Map<string, number>();
    for (const n of graph.nodes) count.set(n.kernel, (count.get(n.kernel) ?? 0) + 1);
    expect(new Map(p.kernels.map((k) => [k.kernel, k.nodes]))).toEqual(count);
    for (const xs of [p.nodes, p.kernels]) for (let i = 1; i < xs.length; i++) expect(xs[i]!.medianMs).toBeLessThanOrEqual(xs[i - 1]!.medianMs);
  });

  it('is a usage error without --repeat', async () => {
    const r = await cli('run', MODEL, '--data', DATA, '--profile');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error\[E-CLI-USAGE\]: lstmc run: --profile times the nodes of the --repeat runs: give --repeat N/);
  });
});

describe('profileRepeats', () => {
  it('medians per node and per kernel (a kernel summed over its nodes within a run), slowest first, as shares of the median run', () => {
    // three runs; node b runs twice per run (as a node in a loop body would); times in ms
    const script: NodeTime[][] = [
      [{ node: 'a', kernel: 'Conv', ms: 1 }, { node: 'b', kernel: 'Relu', ms: 0.5 }, { node: 'b', kernel: 'Relu', ms: 0.5 }, { node: 'c', kernel: 'Conv', ms: 4 }],
      [{ node: 'a', kernel: 'Conv', ms: 3 }, { node: 'b', kernel: 'Relu', ms: 1 }, { node: 'b', kernel: 'Relu', ms: 1 }, { node: 'c', kernel: 'Conv', ms: 2 }],
      [{ node: 'a', kernel: 'Conv', ms: 2 }, { node: 'b', kernel: 'Relu', ms: 0.25 }, { node: 'b', kernel: 'Relu', ms: 0.25 }, { node: 'c', kernel: 'Conv', ms: 6 }],
    ];
    let run = 0;
    const model = { run: (_: unknown, o?: { onNode?: (t: NodeTime) => void }) => (script[run++]!.forEach((t) => o!.onNode!(t)), {}) };
    const p = profileRepeats(model, {}, 3);
    expect(run).toBe(3);
    expect(p.runs).toBe(3);
    // a: 1, 3, 2 -> 2; b: 1, 2, 0.5 -> 1; c: 4, 2, 6 -> 4; Conv per run: 5, 5, 8 -> 5; Relu: 1, 2, 0.5 -> 1
    expect(p.nodes.map((n) => [n.node, n.medianMs])).toEqual([['c', 4], ['a', 2], ['b', 1]]);
    expect(p.kernels.map((k) => [k.kernel, k.nodes, k.medianMs])).toEqual([['Conv', 2, 5], ['Relu', 1, 1]]);
    for (const x of [...p.nodes, ...p.kernels]) expect(x.share).toBeCloseTo(x.medianMs / p.medianRunMs, 12);
  });
});

