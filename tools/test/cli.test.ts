import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../src/commands/index.js';
import { exportOnnx, makeGraph, makeNode, makeTensor, tensorType } from '@lstmc/ir';
import { cli, CONFORMANCE, REPO } from './helpers.js';

const peepholes = join(CONFORMANCE, 'onnx-node/test_lstm_with_peepholes/model.onnx');

describe('lstmc CLI conventions', () => {
  it('--help works for every command and exits 0', async () => {
    for (const name of Object.keys(COMMANDS)) {
      const r = await cli(name, '--help');
      expect(r.code, name).toBe(0);
      expect(r.stdout).toContain(`usage: lstmc ${name}`);
    }
    const top = await cli('--help');
    expect(top.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(top.stdout).toContain(name);
  });
  it('usage errors exit 2', async () => {
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('inspect')).code).toBe(2);
    expect((await cli('inspect', peepholes, '--no-such-flag')).code).toBe(2);
    expect((await cli()).code).toBe(2);
  });
  it('a missing file is a one-line user error, exit 1', async () => {
    const r = await cli('inspect', 'does/not/exist.onnx');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[E-IO[A-Z-]*\]: .*exist\.onnx/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
  it('a corrupt model is a one-line user error naming the file, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lstmc-'));
    const bad = join(dir, 'bad.onnx');
    writeFileSync(bad, readFileSync(peepholes).subarray(0, 40));
    const r = await cli('inspect', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[E-ONNX-[A-Z-]+\]: .*bad\.onnx/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('lstmc inspect', () => {
  it('reports the LSTM of an ONNX conformance model (1x2x4 -> 3, per its MANIFEST)', async () => {
    const r = await cli('inspect', peepholes, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.opsets['']).toBe(22);
    expect(j.opCounts).toEqual({ LSTM: 1 });
    expect(j.lstms).toHaveLength(1);
    const l = j.lstms[0];
    expect(l).toMatchObject({ direction: 'forward', inputSize: 4, hiddenSize: 3, layout: 0 });
    // W 4H*I + R 4H*H + B 8H + P 3H with H=3, I=4 (initializers and graph inputs alike)
    expect(l.parameters).toBe(48 + 36 + 24 + 9);
    expect(l.inputs).toMatchObject({ X: 'X', W: 'W', R: 'R', B: 'B', P: 'P' });
  });
  it("lists a torch nn.LSTMCell step, which has no LSTM node, as the cell the lstm-cell pass raises", async () => {
    const cell = join(REPO, 'tools/test/corpus/torch2/ts-cell-step-linear-dynb-op17/model.onnx');
    const j = JSON.parse((await cli('inspect', cell, '--json')).stdout);
    expect(j.lstms).toEqual([]);
    expect(j.lstmCells).toEqual([{ name: expect.any(String), input: 8, hidden: 16, h: 'hn', c: 'cn' }]);
    const text = (await cli('inspect', cell)).stdout;
    expect(text).toMatch(/LSTMCell steps \(Gemm, Split, Sigmoid, Tanh arithmetic\): 1; the lstm-cell pass of -O js and -O accel raises each to an LSTM/);
    expect(text).toContain("  h' hn, c' cn   input size I: 8   hidden size H: 16");
  });
  it('never refuses a model that parses: lists the opaque op, the value it leaves untyped and the node that fails on it', async () => {
    const g = makeGraph({
      name: 'g',
      opsets: { '': 14 },
      inputs: ['x'],
      outputs: ['b'],
      initializers: [],
      values: [['x', { name: 'x', type: tensorType('f32', [2, 3]) }]],
      nodes: [makeNode({ op: 'LSTMv2', name: 'mystery', inputs: ['x'], outputs: ['a'] }), makeNode({ op: 'Relu', name: 'after', inputs: ['a'], outputs: ['b'] })],
    });
    const file = join(mkdtempSync(join(tmpdir(), 'lstmc-inspect-')), 'opaque.onnx');
    writeFileSync(file, exportOnnx(g));
    const r = await cli('inspect', file, '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.unsupported).toEqual([{ node: 'mystery', op: 'LSTMv2', domain: '', scope: '' }]);
    expect(j.untyped).toContainEqual({ value: 'a', producer: 'mystery', op: 'LSTMv2' });
    expect(j.inferenceErrors).toEqual([expect.objectContaining({ node: 'after', op: 'Relu', code: 'E-IR-OPAQUE-INPUT' })]);
    const compile = await cli('compile', file, '--target', 'js', '-o', join(tmpdir(), 'opaque.lrg'));
    expect(compile.code).toBe(1);
    expect(compile.stderr).toMatch(/^error\[E-IR-OPAQUE-INPUT\]: input 'a' comes from 'LSTMv2' \(node 'mystery'\), an op lstmc does not know/);
    const run = await cli('run', file, '--input', 'x=/nonexistent.npy', '--out', tmpdir());
    expect(run.code).toBe(1);
  });
  it('a Conv with bad pads is one error line naming the node and the attribute', async () => {
    const g = makeGraph({
      name: 'g',
      opsets: { '': 14 },
      inputs: ['x'],
      outputs: ['y'],
      initializers: [['w', makeTensor('f32', [4, 2, 3], new Float32Array(24))]],
      values: [['x', { name: 'x', type: tensorType('f32', [1, 2, 10]) }]],
      nodes: [makeNode({ op: 'Conv', name: 'front/conv', inputs: ['x', 'w'], outputs: ['y'], attrs: { pads: { kind: 'ints', value: [1, 1, 1] } } })],
    });
    const file = join(mkdtempSync(join(tmpdir(), 'lstmc-conv-')), 'conv.onnx');
    writeFileSync(file, exportOnnx(g));
    const r = await cli('compile', file, '--target', 'js', '-o', join(tmpdir(), 'conv.lrg'));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error\[E-IR-ATTR-VALUE\]: Conv pads has 3 entries, expected 2 for 1 spatial dims .*node 'front\/conv', 'pads'/);
  });
  it('text output lists inputs, ops and the LSTM', async () => {
    const r = await cli('inspect', join(CONFORMANCE, 'onnx-node/test_lstm_batchwise/model.onnx'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('layout: 1');
    expect(r.stdout).toMatch(/LSTM\s+1/);
    expect(r.stdout).toContain('hidden size H: 7');
  });
});

describe('the installed bin', () => {
  it('runs the built CLI (tools/dist/lstmc.mjs, the package bin: one esbuild bundle, built on install)', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, [join(REPO, 'tools/dist/lstmc.mjs'), 'inspect', peepholes], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('hidden size H: 3');
    const bad = spawnSync(process.execPath, [join(REPO, 'tools/dist/lstmc.mjs'), 'inspect', '/nonexistent.onnx'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^error\[E-IO/);
  });

  it('compiles with calibration to the same bytes as the in-process CLI (calibration runs the plain module, whatever the bin enables)', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { REPO, cli } = await import('./helpers.js');
    const dir = mkdtempSync(join(tmpdir(), 'lstmc-bin-calib-'));
    const args = (out: string) => ['compile', join(REPO, 'examples/kws-lstm/model.onnx'), '--target', 'accel', '--calibration', join(REPO, 'examples/kws-lstm/test_data_set_0'), '-o', out];
    const r = spawnSync(process.execPath, [join(REPO, 'tools/dist/lstmc.mjs'), ...args(join(dir, 'bin.lxb'))], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect((await cli(...args(join(dir, 'in.lxb')))).code).toBe(0);
    expect(readFileSync(join(dir, 'bin.lxb'))).toEqual(readFileSync(join(dir, 'in.lxb')));
  });

  it('runs --matvec wasm-relaxed and auto (fused multiply-adds: the bin enables relaxed SIMD on Node 20) within the float tolerance', async () => {
    const { spawnSync } = await import('node:child_process');
    const { REPO } = await import('./helpers.js');
    for (const matvec of ['wasm-relaxed', 'auto']) {
      const r = spawnSync(process.execPath, [join(REPO, 'tools/dist/lstmc.mjs'), 'run', join(REPO, 'examples/kws-lstm/model.onnx'), '--data', join(REPO, 'examples/kws-lstm/test_data_set_0'), '--check', '--matvec', matvec], { encoding: 'utf8' });
      expect(r.stderr, matvec).toBe('');
      expect(r.status, matvec).toBe(0);
      expect(r.stdout).toMatch(/max abs error/);
    }
  });
});
