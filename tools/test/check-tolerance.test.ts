/**
 * `run --check` and `sim --check` against torch's outputs of the bundled
 * example: the default tolerances (1e-4 for float32, the quantize pass's
 * measured error for fixed point, select-mode's for int8 weights),
 * --tolerance, and exit 1 past it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTensorProto, encodeTensorProto, makeTensor } from '@lstmc/ir';
import { REPO, cli } from './helpers.js';

const MODEL = 'examples/kws-lstm/model.onnx';
const DATA = 'examples/kws-lstm/test_data_set_0';

interface CheckJson {
  readonly check: { tolerance: number; toleranceSource: string; ok: boolean; outputs: { name: string; maxAbsError: number; ok: boolean }[] };
  readonly passes?: { pass: string; reports: { columns: string[]; rows: (string | number)[][] }[] }[];
}

/** The quantize report's "max abs err" (h) and "c max abs err" columns, two values per layer direction. */
function reportedErrors(j: CheckJson): number[] {
  const t = j.passes!.find((p) => p.pass === 'quantize')!.reports[0]!;
  const cols = ['max abs err', 'c max abs err'].map((c) => t.columns.indexOf(c));
  expect(cols).not.toContain(-1);
  return t.rows.flatMap((r) => cols.map((c) => r[c] as number));
}

let dir = '';
let off = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lstmc-tolerance-'));
  // The same input with torch's probabilities moved by 0.05: a fixed-point run cannot be that close.
  off = join(dir, 'off');
  cpSync(join(REPO, DATA), off, { recursive: true });
  const want = decodeTensorProto(readFileSync(join(REPO, DATA, 'output_0.pb')), 'output_0.pb');
  const moved = Float32Array.from(want.tensor.data as Float32Array, (v, i) => (i === 0 ? v + 0.05 : v));
  writeFileSync(join(off, 'output_0.pb'), encodeTensorProto(want.name, makeTensor('f32', want.tensor.dims, moved)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run --check', () => {
  it('float32: passes within the 1e-4 default, fails past --tolerance and past the default', async () => {
    const ok = await cli('run', MODEL, '--data', DATA, '--check');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^output_0 probs: max abs error \S+ \(tolerance 1\.000e-4, float32 default\)\n$/);
    const strict = await cli('run', MODEL, '--data', DATA, '--check', '--tolerance', '1e-12');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^error\[E-RUN-CHECK\]: 1 of 1 output\(s\) differ from .* by more than 1e-12 \(--tolerance\)\n$/);
    const moved = await cli('run', MODEL, '--data', off, '--check');
    expect(moved.code).toBe(1);
    expect(moved.stdout).toContain('FAIL');
  });

  it("fixed point: the default is the quantize pass's measured error; torch's outputs are within it", async () => {
    const r = await cli('run', MODEL, '--data', DATA, '--numerics', 'fixed', '--calibration', DATA, '--check', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as CheckJson;
    const reported = reportedErrors(j);
    expect(reported.length).toBe(4);
    expect(j.check.tolerance).toBe(Math.max(...reported) + 1e-4);
    expect(j.check.toleranceSource).toMatch(/quantize pass's measured error/);
    expect(j.check.outputs[0]!.maxAbsError).toBeGreaterThan(0);
    expect(j.check.outputs[0]!.maxAbsError).toBeLessThanOrEqual(j.check.tolerance);
    const moved = await cli('run', MODEL, '--data', off, '--numerics', 'fixed', '--calibration', DATA, '--check');
    expect(moved.code).toBe(1);
    expect(moved.stderr).toMatch(/^error\[E-RUN-CHECK\]: .*measured error on the calibration data \+ 0\.0001 for the float32 reference\)\n$/);
  });
});

describe('run --check on int8 weights (select-mode{cost=cpu,int8=on})', () => {
  const PIPELINE = 'fold,sparsity,select-mode{cost=cpu,int8=on}';

  it("the default is select-mode's measured int8 error, carried by the .lrg; torch's outputs are within it", async () => {
    const r = await cli('run', MODEL, '--pipeline', PIPELINE, '--data', DATA, '--calibration', DATA, '--check', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as CheckJson;
    const t = j.passes!.find((p) => p.pass === 'select-mode')!.reports.find((x) => x.columns.includes('max abs h'))!;
    const reported = t.rows.flatMap((row) => ['max abs h', 'max abs c'].map((c) => row[t.columns.indexOf(c)] as number));
    expect(reported).toHaveLength(4);
    expect(Math.max(...reported)).toBeGreaterThan(1e-3);
    expect(j.check.toleranceSource).toMatch(/^int8 weights: select-mode's measured error/);
    // the report rounds to 3 significant digits
    expect(j.check.tolerance - 1e-4).toBeCloseTo(Math.max(...reported), 3);
    // compiled to a runtime graph, the error travels in its metadata
    const lrg = join(dir, 'int8.lrg');
    expect((await cli('compile', MODEL, '--target', 'js', '--pipeline', PIPELINE, '--calibration', DATA, '-o', lrg)).code).toBe(0);
    const again = JSON.parse((await cli('run', lrg, '--data', DATA, '--check', '--json')).stdout) as CheckJson;
    expect(again.check.tolerance).toBe(j.check.tolerance);
    const moved = await cli('run', lrg, '--data', off, '--check');
    expect(moved.code).toBe(1);
  });

  it('compiled without calibration data: 1e-2, said so', async () => {
    const lrg = join(dir, 'int8-plain.lrg');
    expect((await cli('compile', MODEL, '--target', 'js', '--pipeline', PIPELINE, '-o', lrg)).code).toBe(0);
    const r = await cli('run', lrg, '--data', DATA, '--check');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(tolerance 1.000e-2, int8 weights, no measured error recorded: compiled without --calibration)\n');
  });
});

describe('sim --check', () => {
  let calibrated = '';
  let uncalibrated = '';
  beforeAll(async () => {
    calibrated = join(dir, 'cal.lxb');
    uncalibrated = join(dir, 'plain.lxb');
    expect((await cli('compile', MODEL, '--target', 'accel', '--calibration', DATA, '-o', calibrated)).code).toBe(0);
    expect((await cli('compile', MODEL, '--target', 'accel', '-o', uncalibrated)).code).toBe(0);
  });

  it('passes within the error the binary records from the quantize pass, and fails past it', async () => {
    const r = await cli('sim', calibrated, '--data', DATA, '--check', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as CheckJson;
    expect(j.check.toleranceSource).toMatch(/quantize pass's measured error/);
    expect(j.check.tolerance).toBeGreaterThan(0);
    expect(j.check.outputs[0]!.maxAbsError).toBeLessThanOrEqual(j.check.tolerance);
    const moved = await cli('sim', calibrated, '--data', off, '--check');
    expect(moved.code).toBe(1);
    expect(moved.stdout).toMatch(/output_0 probs: max abs error .*FAIL\n/);
    expect(moved.stderr).toMatch(/^error\[E-SIM-CHECK\]: 1 of 1 output\(s\) differ from .* by more than [0-9.e-]+ \(fixed point: the quantize pass's measured error on the calibration data \+ 0\.0001 for the float32 reference\)\n$/);
  });

  it('LSTMs that stay on the host in fixed point (Silero v5: inside Ifs on sr) count: their measured error is the default', async () => {
    const sdir = 'tools/test/corpus/silero/v5';
    const sdata = `${sdir}/test_data_set_0`;
    const lxb = join(dir, 'silero.lxb');
    expect((await cli('compile', `${sdir}/model.onnx`, '--target', 'accel', '--calibration', sdata, '-o', lxb)).code).toBe(0);
    const d = JSON.parse((await cli('dump', lxb, '--json')).stdout) as { io: { layers: unknown[]; hostSegments: { nodes: { op: string; qError?: number }[] }[] } };
    expect(d.io.layers).toEqual([]);
    const recorded = d.io.hostSegments.flatMap((seg) => seg.nodes.flatMap((n) => (n.qError !== undefined ? [n.qError] : [])));
    expect(recorded.length).toBeGreaterThan(0);
    const r = await cli('sim', lxb, '--data', sdata, '--check', '--json');
    expect(r.code, r.stdout).toBe(0);
    const j = JSON.parse(r.stdout) as CheckJson;
    expect(j.check.toleranceSource).toMatch(/quantize pass's measured error/);
    expect(j.check.tolerance).toBe(Math.max(...recorded) + 1e-4);
    const worst = Math.max(...j.check.outputs.map((o) => o.maxAbsError));
    expect(worst).toBeGreaterThan(1e-4);
    expect(worst).toBeLessThanOrEqual(j.check.tolerance);
    const strict = await cli('sim', lxb, '--data', sdata, '--check', '--tolerance', '1e-4');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^error\[E-SIM-CHECK\]: 1 of 2 output\(s\) differ from .* by more than 0\.0001 \(--tolerance\)\n$/);
  });

  it('without calibration data the binary records no error: 1e-2, said so; --tolerance overrides', async () => {
    const r = await cli('sim', uncalibrated, '--data', DATA, '--check');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('; tolerance 1.000e-2, fixed point, no measured error recorded: quantized without --calibration)\n');
    const moved = await cli('sim', uncalibrated, '--data', off, '--check');
    expect(moved.code).toBe(1);
    const strict = await cli('sim', uncalibrated, '--data', DATA, '--check', '--tolerance', '1e-9');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/by more than 1e-9 \(--tolerance\)/);
    const bad = await cli('sim', uncalibrated, '--data', DATA, '--check', '--tolerance', 'x');
    expect(bad.code).toBe(2);
  });
});
