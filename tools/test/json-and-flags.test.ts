/**
 * `--json` on the commands that print results (one JSON document on stdout,
 * the fields docs/cli-json.md lists), and usage errors as one line
 * `error[E-CLI-...]` with exit 2 and a "did you mean".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/commands/index.js';
import { cli } from './helpers.js';

const MODEL = 'examples/kws-lstm/model.onnx';
const DATA = 'examples/kws-lstm/test_data_set_0';
const dir = mkdtempSync(join(tmpdir(), 'lstmc-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function json(...argv: string[]): Promise<Record<string, unknown>> {
  const r = await cli(...argv, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('--json', () => {
  it('every command that prints results takes it', () => {
    for (const name of ['inspect', 'compile', 'run', 'prune', 'dump', 'sim', 'passes', 'runtime-entry'] as const) expect(COMMANDS[name].options, name).toHaveProperty('json');
  });

  it('compile --target accel: output, pipeline, per-pass counters and reports, placement; --pass-reports prints no text beside it', async () => {
    const out = join(dir, 'kws.lxb');
    const j = await json('compile', MODEL, '--target', 'accel', '-o', out, '--pass-reports', '--print-pipeline');
    expect(j).toMatchObject({ model: MODEL, target: 'accel', output: out, pipeline: 'lstm-cell,fold,sparsity,select-mode,quantize,encode{which=sparse-weight}' });
    expect(j.bytes).toBeGreaterThan(1000);
    const passes = j.passes as { pass: string; counters: Record<string, number>; reports: { title: string }[] }[];
    expect(passes.map((p) => p.pass)).toEqual(['lstm-cell', 'fold', 'sparsity', 'select-mode', 'quantize', 'encode']);
    expect(passes.find((p) => p.pass === 'quantize')!.counters.layers).toBe(2);
    expect((j.placement as { rows: string[][] }).rows.find((r) => r[0] === '/lstm/LSTM')![2]).toBe('accel');
    expect(j.stages).toEqual(expect.arrayContaining([expect.stringMatching(/^accelerator phase 0: \/lstm\/LSTM, \/lstm\/LSTM_1$/)]));
  });

  it('run: outputs with dtype and shape, and the check', async () => {
    const j = await json('run', MODEL, '--data', DATA, '--check');
    expect(j.outputs).toEqual([{ name: 'probs', dtype: 'f32', shape: [2, 12] }]);
    expect(j.check).toMatchObject({ tolerance: 1e-4, ok: true, outputs: [{ name: 'probs', ok: true }] });
  });

  it('sim: the statistics (as --stats writes them) and the check', async () => {
    const bin = join(dir, 'sim.lxb');
    expect((await cli('compile', MODEL, '--target', 'accel', '-o', bin)).code).toBe(0);
    const j = await json('sim', bin, '--data', DATA, '--check');
    expect((j.stats as { cycles: number }).cycles).toBeGreaterThan(0);
    expect(Object.keys(j.stats as object)).toEqual(expect.arrayContaining(['cyclesByLayer', 'branches', 'peUtilization', 'dmaBytes', 'batch', 'cyclesPerSequence']));
    expect(j.check).toMatchObject({ ok: true });
  });

  it('prune: the counters and the per-matrix report', async () => {
    const out = join(dir, 'p.onnx');
    const j = await json('prune', MODEL, '--sparsity', '0.9', '-o', out);
    expect(j).toMatchObject({ model: MODEL, output: out, step: 'prune{sparsity=0.9}' });
    expect((j.counters as Record<string, number>)['weights-zeroed']).toBeGreaterThan(0);
    expect((j.reports as unknown[]).length).toBeGreaterThan(0);
  });

  it('passes: every pass with its options and properties, and the presets', async () => {
    const j = await json('passes');
    const prune = (j.passes as { name: string; options: { name: string; kind: string }[]; establishes: string[] }[]).find((p) => p.name === 'prune')!;
    expect(prune.options.find((o) => o.name === 'sparsity')).toMatchObject({ kind: 'float' });
    expect(j.presets).toHaveProperty('accel');
    const one = await json('passes', 'quantize');
    expect((one.passes as unknown[]).length).toBe(1);
    expect(one).not.toHaveProperty('presets');
  });
});

describe('usage errors are one line', () => {
  it('an unknown flag: E-CLI-UNKNOWN-FLAG with the nearest option, exit 2', async () => {
    const r = await cli('compile', MODEL, '--taget', 'accel');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("error[E-CLI-UNKNOWN-FLAG]: lstmc compile has no option '--taget' (did you mean '--target'?); see 'lstmc compile --help'\n");
    const far = await cli('sim', 'x.lxb', '--frobnicate');
    expect(far.stderr).toBe("error[E-CLI-UNKNOWN-FLAG]: lstmc sim has no option '--frobnicate'; see 'lstmc sim --help'\n");
    const short = await cli('run', MODEL, '-z');
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/^error\[E-CLI-UNKNOWN-FLAG\]: lstmc run has no option '-z'; see 'lstmc run --help'\n$/);
  });

  it('an unknown command gets the nearest command', async () => {
    const r = await cli('comple', MODEL);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error[E-CLI-UNKNOWN-COMMAND]: no command 'comple' (did you mean 'compile'?); see 'lstmc --help'\n");
  });

  it('a missing value, a value for a switch, a missing argument', async () => {
    const missing = await cli('run', MODEL, '--data');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("error[E-CLI-FLAG-VALUE]: option '--data' needs a value (DIR); see 'lstmc run --help'\n");
    const sw = await cli('run', MODEL, '--data', DATA, '--check=yes');
    expect(sw.code).toBe(2);
    expect(sw.stderr).toBe("error[E-CLI-FLAG-VALUE]: option '--check' takes no value; see 'lstmc run --help'\n");
    const arg = await cli('compile');
    expect(arg.code).toBe(2);
    expect(arg.stderr).toBe("error[E-CLI-USAGE]: lstmc compile: missing argument MODEL; see 'lstmc compile --help'\n");
  });
});
