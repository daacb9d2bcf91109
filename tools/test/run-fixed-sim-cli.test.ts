/**
 * End to end through the CLI: `lstmc compile --target accel` + `lstmc sim`
 * and `lstmc run --numerics fixed` on the same ONNX file, target and
 * calibration write the same output values, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeTensorProto, encodeTensorProto, exportOnnx } from '@lstmc/ir';
import { randomModel } from '../../packages/backend-accel/test/random-model.js';
import { cli } from './helpers.js';

function outputsOf(dir: string, n: number): { name: string; dims: readonly number[]; data: number[] }[] {
  return Array.from({ length: n }, (_, i) => {
    const { name, tensor } = decodeTensorProto(readFileSync(join(dir, `output_${i}.pb`)), `output_${i}.pb`);
    return { name, dims: tensor.dims, data: Array.from(tensor.data as Float32Array) };
  });
}

describe('lstmc sim == lstmc run --numerics fixed (CLI, output files)', () => {
  it('a 2-layer model (bidirectional -> forward) on a small target file, with calibration', async () => {
    const d = mkdtempSync(join(tmpdir(), 'lstmc-sim-run-'));
    const { graph, inputs } = randomModel({ input: 5, T: 6, B: 2, seed: 31, sparsity: 0.7, layers: [{ hidden: 6, direction: 'bidirectional' }, { hidden: 5, direction: 'forward', peephole: true }] });
    writeFileSync(join(d, 'model.onnx'), exportOnnx(graph));
    const data = join(d, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'input_0.pb'), encodeTensorProto('X', inputs.get('X')!));
    writeFileSync(join(d, 'target.json'), JSON.stringify({ pes: 4, denseLanes: 2, relIndexBits: 2 }));
    const common = ['--target-config', join(d, 'target.json'), '--calibration', data];
    const c = await cli('compile', join(d, 'model.onnx'), '--target', 'accel', '-o', join(d, 'model.lxb'), ...common);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    const s = await cli('sim', join(d, 'model.lxb'), '--data', data, '--out', join(d, 'sim'));
    expect(s.code, s.stderr).toBe(0);
    const r = await cli('run', join(d, 'model.onnx'), '--numerics', 'fixed', '--data', data, '--out', join(d, 'run'), ...common);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^output_1 \S+: fixed point vs float32: max abs error/m);
    const a = outputsOf(join(d, 'sim'), graph.outputs.length);
    const b = outputsOf(join(d, 'run'), graph.outputs.length);
    expect(a.map((o) => o.name)).toEqual([...graph.outputs]);
    expect(b).toEqual(a);
  });
});
