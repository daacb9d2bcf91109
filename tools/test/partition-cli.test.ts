/**
 * The partition from the command line, on torch's multi-segment export
 * (Linear + ReLU -> LSTM -> Linear + Tanh -> LSTM -> Gather + Gemm + Softmax):
 * compile --target accel reports what runs where, dump lists the stages, sim
 * writes the same bytes as run --numerics fixed, inspect shows the placement
 * (text and JSON), and only an op nothing runs is refused, in one line.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportOnnx, inferTypes, makeNode, updateGraph } from '@lstmc/ir';
import { randomModel } from '../../packages/backend-accel/test/random-model.js';
import { REPO, cli } from './helpers.js';

const FIX = join(REPO, 'packages/backend-accel/test/fixtures/partition/front-mid-head');
const MODEL = join(FIX, 'model.onnx');
const DATA = join(FIX, 'test_data_set_0');

describe('lstmc and the accelerator/host partition', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lstmc-partition-'));
  const bin = join(dir, 'model.lxb');

  it('compile --pass-reports, dump, sim == run --numerics fixed byte for byte', async () => {
    const c = await cli('compile', MODEL, '--target', 'accel', '--calibration', DATA, '-o', bin, '--pass-reports');
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/=== placement: 2 accel, 15 host; 2 accelerator phase\(s\), 3 host segment\(s\) ===/);
    expect(c.stdout).toMatch(/^\/fc\/Gemm\s+Gemm\s+host\s+segment 2\s+JS runtime, after the last accelerator phase/m);
    expect(c.stdout).toMatch(/^\/lstm2\/LSTM\s+LSTM\s+accel\s+phase 1\s+microcode/m);
    expect(c.stdout).toContain('=== stages ===\nhost segment 0: /front/MatMul, /front/Add, /Relu,');
    expect(c.stdout).toMatch(/2 accelerator phase\(s\), 3 host segment\(s\)\)\n$/);

    const d = await cli('dump', bin);
    expect(d.code).toBe(0);
    const stages = d.stdout.split('\n').filter((l) => l.startsWith('; stage '));
    expect(stages.map((l) => l.replace(/ \(\d+ bytes at \d+ of the host section\)/, '').replace(/:.*/, ''))).toEqual([
      '; stage 0',
      '; stage 1',
      '; stage 2',
      '; stage 3',
      '; stage 4',
    ]);
    expect(stages[2]).toMatch(/^; stage 2: host segment 1 on the JS runtime \(\d+ bytes at \d+ of the host section\): Squeeze '\/lstm1\/Squeeze', MatMul '\/mid\/MatMul', Add '\/mid\/Add', Tanh '\/Tanh'$/);
    expect(stages[3]).toMatch(/^; stage 3: accelerator phase 1, code @\d+, once per batch item: \/lstm2\/LSTM$/);
    const j = JSON.parse((await cli('dump', bin, '--json')).stdout);
    expect(j.stages.map((s: { kind: string; index: number }) => `${s.kind} ${s.index}`)).toEqual(['host 0', 'accel 0', 'host 1', 'accel 1', 'host 2']);
    // the listing still reassembles to the same bytes
    const src = join(dir, 'model.s');
    writeFileSync(src, d.stdout);
    expect((await cli('asm', src, '-o', join(dir, 'again.lxb'))).code).toBe(0);
    expect(readFileSync(join(dir, 'again.lxb'))).toEqual(readFileSync(bin));

    const s = await cli('sim', bin, '--data', DATA, '--out', join(dir, 'sim'), '--check');
    expect(s.code).toBe(0);
    const r = await cli('run', MODEL, '--numerics', 'fixed', '--calibration', DATA, '--data', DATA, '--out', join(dir, 'fixed'));
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'sim', 'output_0.pb'))).toEqual(readFileSync(join(dir, 'fixed', 'output_0.pb')));
  });

  it('inspect shows the placement, as text and JSON', async () => {
    const t = await cli('inspect', MODEL);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/=== placement: .*\(--target accel, before the pass pipeline\) ===/);
    expect(t.stdout).toContain('stages:\n  host segment 0: ');
    const j = JSON.parse((await cli('inspect', MODEL, '--json')).stdout);
    const byNode = Object.fromEntries(j.placement.nodes.map((p: { node: string; where: string; stage: number | null }) => [p.node, `${p.where} ${p.stage}`]));
    expect(byNode['/lstm1/LSTM']).toBe('accel 0');
    expect(byNode['/lstm2/LSTM']).toBe('accel 1');
    expect(byNode['/Tanh']).toBe('host 1');
    expect(byNode['/Softmax']).toBe('host 2');
    expect(j.placement.stages).toHaveLength(5);
  });

  it('an op neither the accelerator nor the JS runtime runs is refused by node, in one line', async () => {
    const { graph } = randomModel({ input: 4, T: 2, B: 1, seed: 3, sparsity: 0, layers: [{ hidden: 3, direction: 'forward' }] });
    const odd = makeNode({ op: 'FancyNorm', domain: 'com.example', name: 'odd', inputs: ['l0.out'], outputs: ['odd.out'] });
    const g = inferTypes(updateGraph(graph, { nodes: [...graph.nodes, odd], outputs: ['odd.out'], opsets: { ...graph.opsets, 'com.example': 1 } }));
    const file = join(dir, 'opaque.onnx');
    writeFileSync(file, exportOnnx(g));
    const i = await cli('inspect', file);
    expect(i.code).toBe(0);
    expect(i.stdout).toMatch(/^odd\s+FancyNorm\s+refused\s+segment 1\s+op 'FancyNorm' is opaque/m);
    const c = await cli('compile', file, '--target', 'accel', '-O', '0', '-o', join(dir, 'opaque.lxb'));
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/^error\[E-ACCEL-UNSUPPORTED\]: op 'FancyNorm' \(node 'odd'\) runs neither on the accelerator nor on the JS runtime \(.*node 'odd'.*\)\n$/);
  });
});
