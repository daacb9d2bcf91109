import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeTensorProto, exportOnnx, encodeTensorProto } from '@lstmc/ir';
import { randomModel } from '../../packages/backend-accel/test/random-model.js';
import { cli } from './helpers.js';

describe('lstmc compile --target accel, dump, asm, sim', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lstmc-accel-'));
  const { graph, inputs } = randomModel({ input: 6, T: 4, B: 2, seed: 21, sparsity: 0.85, inputSparsity: 0.5, layers: [{ hidden: 8, direction: 'bidirectional' }, { hidden: 5, direction: 'forward' }] });
  const model = join(dir, 'model.onnx');
  writeFileSync(model, exportOnnx(graph));
  const data = join(dir, 'data');
  mkdirSync(data);
  writeFileSync(join(data, 'input_0.pb'), encodeTensorProto('X', inputs.get('X')!));
  const target = join(dir, 'target.json');
  writeFileSync(target, JSON.stringify({ pes: 4, denseLanes: 2 }));
  const bin = join(dir, 'model.lxb');

  it('compiles, dumps, reassembles byte for byte and simulates', async () => {
    const c = await cli('compile', model, '--target', 'accel', '--target-config', target, '-o', bin);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    const d = await cli('dump', bin);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/; code\s+0x[0-9a-f]+\s+\d+\s+0x[0-9a-f]{8}/);
    expect(d.stdout).toMatch(/^\s+0: [0-9a-f]{16}  \S+/m);
    const src = join(dir, 'model.s');
    writeFileSync(src, d.stdout);
    const again = join(dir, 'again.lxb');
    const a = await cli('asm', src, '-o', again);
    expect(a.code).toBe(0);
    expect(readFileSync(again)).toEqual(readFileSync(bin));
    const j = JSON.parse((await cli('dump', bin, '--json')).stdout);
    expect(j.code.length).toBeGreaterThan(10);

    const out = join(dir, 'out');
    const s = await cli('sim', bin, '--data', data, '--out', out, '--stats', join(dir, 'stats.json'), '--trace', join(dir, 'trace.json'), '--target-config', target);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/^cycles \d+/);
    expect(existsSync(join(out, 'output_0.pb'))).toBe(true);
    const stats = JSON.parse(readFileSync(join(dir, 'stats.json'), 'utf8'));
    expect(stats.cycles).toBeGreaterThan(0);
    expect(Object.keys(stats.cyclesByLayer)).toEqual(expect.arrayContaining(['lstm0/fwd', 'lstm0/rev', 'lstm1']));
    const trace = JSON.parse(readFileSync(join(dir, 'trace.json'), 'utf8'));
    expect(trace.traceEvents.some((e: { ph: string; name: string }) => e.ph === 'X' && e.name.startsWith('mv.'))).toBe(true);
  });

  it('reports a corrupted binary with its byte offset, and a target mismatch', async () => {
    const bad = readFileSync(bin);
    bad[40] ^= 0xff;
    const broken = join(dir, 'broken.lxb');
    writeFileSync(broken, bad);
    const d = await cli('dump', broken);
    expect(d.code).not.toBe(0);
    expect(d.stderr).toMatch(/E-LXB-CRC.*byte offset 16/);
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ pes: 8 }));
    const s = await cli('sim', bin, '--data', data, '--target-config', other);
    expect(s.stderr).toMatch(/E-SIM-TARGET/);
  });
});

describe('lstmc sim equals lstmc run --numerics fixed, bit for bit', () => {
  const readOut = (p: string) => Array.from(decodeTensorProto(readFileSync(p), p).tensor.data as Float32Array);
  for (const layers of [
    [{ hidden: 7, direction: 'bidirectional' as const }],
    [{ hidden: 6, direction: 'forward' as const }, { hidden: 5, direction: 'reverse' as const }],
  ]) {
    it(`${layers.length} layer(s)`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lstmc-accel-eq-'));
      const { graph, inputs } = randomModel({ input: 5, T: 5, B: 2, seed: 33 + layers.length, sparsity: 0.6, inputSparsity: 0.3, layers });
      const model = join(dir, 'model.onnx');
      writeFileSync(model, exportOnnx(graph));
      const data = join(dir, 'data');
      mkdirSync(data);
      writeFileSync(join(data, 'input_0.pb'), encodeTensorProto('X', inputs.get('X')!));
      const target = join(dir, 'target.json');
      writeFileSync(target, JSON.stringify({ pes: 4 }));
      const r = await cli('run', model, '--numerics', 'fixed', '--target-config', target, '--data', data, '--out', join(dir, 'run'));
      expect(r.stderr).toBe('');
      const c = await cli('compile', model, '--target', 'accel', '--target-config', target, '-o', join(dir, 'm.lxb'));
      expect(c.stderr).toBe('');
      const s = await cli('sim', join(dir, 'm.lxb'), '--data', data, '--out', join(dir, 'sim'));
      expect(s.stderr).toBe('');
      for (const k of [0, 1]) expect(readOut(join(dir, 'sim', `output_${k}.pb`))).toEqual(readOut(join(dir, 'run', `output_${k}.pb`)));
    });
  }
});

describe('host section: examples/kws-lstm (LSTM x2 on the accelerator, Gemm + Softmax on the JS runtime)', () => {
  it('compiles, simulates, and equals lstmc run --numerics fixed byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lstmc-kws-'));
    const bin = join(dir, 'kws.lxb');
    const c = await cli('compile', 'examples/kws-lstm/model.onnx', '--target', 'accel', '-o', bin);
    expect(c.stderr).toBe('');
    const s = await cli('sim', bin, '--data', 'examples/kws-lstm/test_data_set_0', '--out', join(dir, 'sim'), '--check');
    expect(s.stderr).toBe('');
    const err = Number(/output_0 probs: max abs error (\S+)/.exec(s.stdout)![1]);
    expect(err).toBeLessThan(1e-3);
    const r = await cli('run', 'examples/kws-lstm/model.onnx', '--numerics', 'fixed', '--data', 'examples/kws-lstm/test_data_set_0', '--out', join(dir, 'run'));
    expect(r.stderr).toBe('');
    expect(readFileSync(join(dir, 'sim', 'output_0.pb'))).toEqual(readFileSync(join(dir, 'run', 'output_0.pb')));
    // the listing carries the host section too: dump -> asm is still byte-identical
    const d = await cli('dump', bin);
    writeFileSync(join(dir, 'kws.s'), d.stdout);
    await cli('asm', join(dir, 'kws.s'), '-o', join(dir, 'again.lxb'));
    expect(readFileSync(join(dir, 'again.lxb'))).toEqual(readFileSync(bin));
  });
});
