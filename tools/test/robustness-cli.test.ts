/**
 * The mutation classes of issue 12, each through the CLI: one line `error[CODE]: ...`, exit 1, no
 * stack trace, well under 2 s. Models are in fixtures/robustness (gen_fixtures.py); binaries are
 * compiled here and mutated with the fuzzer's container helpers (checksums recomputed).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HEADER_FIELDS } from '@lstmc/runtime';
import { fixLrgCrcs, rewriteLxbJson } from './fuzz/containers.js';
import { cli, REPO } from './helpers.js';

const FX = join(REPO, 'tools/test/fixtures/robustness');
const fx = (f: string) => join(FX, f);
const dir = mkdtempSync(join(tmpdir(), 'lstmc-robust-'));
const at = (f: string) => join(dir, f);

/** Data folder with one input file. */
function data(name: string, file: string): string {
  const d = at(name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'input_0.pb'), readFileSync(fx(file)));
  return d;
}

async function refused(code: string, ...argv: string[]): Promise<string> {
  const t0 = performance.now();
  const r = await cli(...argv);
  const ms = performance.now() - t0;
  // One error line; a compile that fails in a pass may say first where it wrote the reproducer.
  expect(r.stderr).toMatch(new RegExp(`^(note: wrote reproducer [^\\n]+\\n)?error\\[${code}\\]: [^\\n]+\\n$`));
  expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  expect(r.code).toBe(1);
  expect(ms).toBeLessThan(10_000); // no hang (a loaded 2-core CI machine is far slower than this one)
  return r.stderr;
}

describe('issue 12 mutation classes: one-line diagnostics, exit 1', () => {
  let lxb: Uint8Array;
  let lrg: Uint8Array;
  beforeAll(async () => {
    expect((await cli('compile', fx('lstm.onnx'), '--target', 'accel', '-o', at('m.lxb'))).code).toBe(0);
    expect((await cli('compile', fx('lstm.onnx'), '--target', 'js', '-o', at('m.lrg'))).code).toBe(0);
    lxb = readFileSync(at('m.lxb'));
    lrg = readFileSync(at('m.lrg'));
  });

  for (const [what, path, value] of [
    ["an io output naming a field that does not exist ('Y_h' -> 'I')", ['outputs', 0, 'which'], 'I'],
    ['an io output naming a node that does not exist', ['outputs', 0, 'node'], 'nope'],
    ['a phase running a node without DRAM regions', ['phases', 0, 'nodes'], ['nope']],
    ['a graph output nothing produces', ['graphOutputs', 0], 'nope'],
    ['a tensor region past the end of DRAM', ['tensors', 0, 'addr'], 1e6],
  ] as const)
    it(`.lxb with valid checksums, ${what}: dump and sim both refuse it`, async () => {
      const bytes = rewriteLxbJson(lxb, 'io', (io) => {
        const copy = structuredClone(io) as Record<string, unknown>;
        let o = copy as Record<string | number, unknown>;
        for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
        o[path[path.length - 1]!] = value;
        return copy;
      });
      writeFileSync(at('bad.lxb'), bytes);
      const d = await refused('E-LXB-(FIELD|JSON)', 'dump', at('bad.lxb'));
      const s = await refused('E-LXB-(FIELD|JSON)', 'sim', at('bad.lxb'), '--data', data('d', 'x.pb'));
      expect(s).toBe(d);
    });

  it('ir_version 999: inspect and compile refuse it with E-ONNX-IR-VERSION', async () => {
    await refused('E-ONNX-IR-VERSION', 'compile', fx('ir-version-999.onnx'), '--target', 'accel', '-o', at('x.lxb'));
    await refused('E-ONNX-IR-VERSION', 'inspect', fx('ir-version-999.onnx'));
  });

  it('an unknown op and a recursive local function are named as the reason', async () => {
    expect(await refused('E-ACCEL-UNSUPPORTED', 'compile', fx('unknown-op.onnx'), '--target', 'accel', '-o', at('x.lxb'))).toMatch(/op 'LSTMv2' \(node 'lstm'\) runs neither on the accelerator nor on the JS runtime/);
    expect(await refused('E-JS-UNSUPPORTED-OP', 'compile', fx('unknown-op.onnx'), '--target', 'js', '-o', at('x.lrg'))).toMatch(/LSTMv2/);
    expect(await refused('E-IR-OPAQUE-INPUT', 'compile', fx('recursive-function.onnx'), '--target', 'js', '-o', at('x.lrg'))).toMatch(/local function 'local\.f', which is recursive/);
  });

  it('a Tanh gate activation is refused as such, not as "uses Tanh; implements Tanh"', async () => {
    // the failed pass's reproducer goes to the temp dir, not next to the fixture
    const e = await refused('E-QUANT-UNSUPPORTED', 'compile', fx('tanh-gate.onnx'), '--target', 'accel', '-o', at('x.lxb'), '--reproducer', at('tanh.reproducer.lir'));
    expect(existsSync(at('tanh.reproducer.lir'))).toBe(true);
    expect(e).toMatch(/activation f is Tanh: as f \(the gate activation\) the accelerator's look-up tables hold Sigmoid only/);
  });

  it('NaN weights: refused by the ONNX loader and the .lrg loader; --allow-nonfinite runs them with a warning', async () => {
    await refused('E-ONNX-NONFINITE', 'run', fx('nan-weight.onnx'), '--data', data('d', 'x.pb'));
    await refused('E-ONNX-NONFINITE', 'compile', fx('nan-weight.onnx'), '--target', 'accel', '-o', at('x.lxb'));
    const bad = new Uint8Array(lrg); // a copy with its own buffer (Buffer#slice is a view)
    const blob = new DataView(bad.buffer).getUint32(HEADER_FIELDS.blobOffset, true);
    new DataView(bad.buffer).setFloat32(blob, Number.NaN, true);
    writeFileSync(at('nan.lrg'), fixLrgCrcs(bad));
    expect(await refused('E-RT-NONFINITE', 'run', at('nan.lrg'), '--data', data('d', 'x.pb'))).toMatch(/constant '[^']+' holds NaN/);
    const allowed = await cli('run', at('nan.lrg'), '--data', data('d', 'x.pb'), '--allow-nonfinite');
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toMatch(/^warning\[E-RUN-NONFINITE-OUTPUT\]: output 'Y_h' became NaN/);
  });

  it('NaN and Inf inputs: run and sim name the input, time step and batch entry', async () => {
    expect(await refused('E-RUN-NONFINITE-INPUT', 'run', fx('lstm.onnx'), '--data', data('n', 'x-nan.pb'))).toMatch(/input 'X' holds NaN at time step 3, batch entry 1/);
    expect(await refused('E-RUN-NONFINITE-INPUT', 'run', at('m.lrg'), '--data', data('i', 'x-inf.pb'))).toMatch(/input 'X' holds Infinity at time step 1, batch entry 0/);
    expect(await refused('E-SIM-NONFINITE', 'sim', at('m.lxb'), '--data', data('n', 'x-nan.pb'))).toMatch(/input 'X' holds NaN at time step 3, batch entry 1/);
    expect(await refused('E-RUN-NONFINITE-INPUT', 'run', fx('lstm.onnx'), '--numerics', 'fixed', '--data', data('n', 'x-nan.pb'))).toMatch(/time step 3, batch entry 1/);
  });

  it('an empty sequence: the LSTM gives empty Y and the initial state (as onnxruntime); a model needing the last step says so', async () => {
    const r = await cli('run', fx('lstm.onnx'), '--data', data('e', 'x-empty.pb'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Y_h: f32\[1, 2, 4\] \[0\.00000, 0\.00000/);
    expect(await refused('E-RUN-EMPTY-SEQUENCE', 'run', fx('last-step.onnx'), '--data', data('e', 'x-empty.pb'))).toMatch(/input 'X' has 0 time steps/);
  });

  it('saturation is reported with tensor and step, the same by run --numerics fixed and sim', async () => {
    const satLine = (out: string) => out.split('\n').find((l) => l.startsWith('saturation in LSTM'));
    const large = data('large', 'x-large.pb');
    const run = await cli('run', fx('lstm.onnx'), '--numerics', 'fixed', '--data', large);
    expect(run.code).toBe(0);
    expect(satLine(run.stdout)).toMatch(/^saturation in LSTM 'lstm': x: \d+ of 30 values saturated, first at step \d+, batch entry \d, element \d$/);
    const sim = await cli('sim', at('m.lxb'), '--data', large);
    expect(satLine(sim.stdout)).toBe(satLine(run.stdout));
    expect(satLine((await cli('run', fx('lstm.onnx'), '--numerics', 'fixed', '--data', data('d', 'x.pb'))).stdout)).toBe("saturation in LSTM 'lstm': none");

    // h0 >= 1 does not fit the accelerator's [-1, 1) state format
    const d = data('h0', 'x.pb');
    writeFileSync(join(d, 'input_1.pb'), readFileSync(fx('h0-large.pb')));
    const r = await cli('run', fx('with-h0.onnx'), '--numerics', 'fixed', '--data', d);
    expect(r.code).toBe(0);
    expect(satLine(r.stdout)).toMatch(/initial_h: 1 of 8 values saturated, first at batch entry 1, element 2/);
    expect((await cli('compile', fx('with-h0.onnx'), '--target', 'accel', '-o', at('h0.lxb'))).code).toBe(0);
    expect(satLine((await cli('sim', at('h0.lxb'), '--data', d)).stdout)).toMatch(/initial_h: 1 of 8 values saturated, first at batch entry 1, element 2/);
  });

  it('quantize says when it assumed ranges without calibration data', async () => {
    const r = await cli('compile', fx('lstm.onnx'), '--target', 'accel', '--pass-reports', '-o', at('q.lxb'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no calibration data: input and cell ranges assumed within ±8/);
    expect(r.stdout).toMatch(/x: assumed ±8, c: assumed ±8/);
    const c = await cli('compile', fx('lstm.onnx'), '--target', 'accel', '--pass-reports', '--calibration', data('large', 'x-large.pb'), '-o', at('q.lxb'));
    expect(c.stdout).not.toMatch(/ranges assumed/);
    expect(c.stdout).toMatch(/x: calibration, c: calibration/);
  });

  it('sim states its sequence limit when it refuses', async () => {
    const long = readFileSync(fx('x.pb'));
    expect(long.length).toBeGreaterThan(0);
    expect((await cli('compile', fx('lstm.onnx'), '--target', 'accel', '--max-seq-len', '4', '-o', at('short.lxb'))).code).toBe(0);
    expect(await refused('E-SIM-INPUT', 'sim', at('short.lxb'), '--data', data('d', 'x.pb'))).toMatch(/sequence length 5 exceeds the 4 steps this binary's DRAM layout holds/);
  });
});
