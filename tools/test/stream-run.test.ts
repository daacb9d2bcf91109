/**
 * `lstmc run --stream`: chunked reading of the sequence input and per-chunk writing of the outputs
 * give the outputs of one whole run, and a T=100000 run stays under 100 MB peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportOnnx, inferTypes, makeNode, makeTensor, updateGraph } from '@lstmc/ir';
import { readNpy, writeNpy } from '@lstmc/backend-js';
import { rng } from '@lstmc/testing';
import { randomModel } from '../../packages/backend-accel/test/random-model.js';
import { cli, REPO } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lstmc-stream-'));
const at = (f: string) => join(dir, f);
const { graph } = randomModel({ input: 16, T: 4, B: 1, seed: 5, sparsity: 0.3, layers: [{ hidden: 24, direction: 'forward' }, { hidden: 16, direction: 'forward' }] });
writeFileSync(at('m.onnx'), exportOnnx(graph));

function sequence(file: string, T: number, B: number, poison?: [number, number]): void {
  const r = rng(T);
  const data = Float32Array.from({ length: T * B * 16 }, () => r() * 4 - 2);
  if (poison) data[(poison[0] * B + poison[1]) * 16 + 3] = Number.NaN;
  writeFileSync(at(file), writeNpy({ dtype: 'f32', shape: [T, B, 16], data }));
}
const out = (d: string, i: number) => readNpy(readFileSync(at(join(d, `output_${i}.npy`))), 'x').data as Float32Array;

describe('lstmc run --stream', () => {
  it('chunks give the outputs of one whole run (bit for bit with chunks of a multiple of 4 steps, to 1 ulp otherwise)', async () => {
    sequence('x.npy', 2000, 2);
    expect((await cli('run', at('m.onnx'), '--input', `X=${at('x.npy')}`, '--out', at('whole'), '--out-format', 'npy')).code).toBe(0);
    const s = await cli('run', at('m.onnx'), '--input', `X=${at('x.npy')}`, '--stream', '--chunk', '500', '--out', at('s500'));
    expect(s.stderr).toBe('');
    expect(s.stdout).toMatch(/^streamed 2000 step\(s\) in 4 chunk\(s\) of at most 500; wrote 2 output\(s\)/);
    for (const i of [0, 1]) expect(out('s500', i)).toEqual(out('whole', i));
    expect((await cli('run', at('m.onnx'), '--input', `X=${at('x.npy')}`, '--stream', '--chunk', '333', '--out', at('s333'))).code).toBe(0);
    for (const i of [0, 1]) {
      const a = out('s333', i);
      const b = out('whole', i);
      expect(a.length).toBe(b.length);
      let max = 0;
      for (let k = 0; k < a.length; k++) max = Math.max(max, Math.abs(a[k]! - b[k]!));
      expect(max).toBeLessThan(1e-6);
    }
  });

  it('a NaN in a later chunk is named by its step in the whole sequence', async () => {
    sequence('xn.npy', 1200, 2, [1100, 1]);
    const r = await cli('run', at('m.onnx'), '--input', `X=${at('xn.npy')}`, '--stream', '--out', at('sn'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[E-RUN-NONFINITE-INPUT\]: input 'X' holds NaN at time step 1100, batch entry 1/);
  });

  it('the bundled example streams: its Shape of the features reads only the batch size (torch zero initial states)', async () => {
    const model = join(REPO, 'examples/kws-lstm/model.onnx');
    const r = rng(11);
    writeFileSync(at('kws.npy'), writeNpy({ dtype: 'f32', shape: [300, 2, 40], data: Float32Array.from({ length: 300 * 2 * 40 }, () => r() * 2 - 1) }));
    expect((await cli('run', model, '--input', `features=${at('kws.npy')}`, '--out', at('kws-whole'), '--out-format', 'npy')).code).toBe(0);
    const s = await cli('run', model, '--input', `features=${at('kws.npy')}`, '--stream', '--chunk', '64', '--out', at('kws-s'));
    expect(s.stderr).toBe('');
    expect(s.stdout).toMatch(/^streamed 300 step\(s\) in 5 chunk\(s\) of at most 64; wrote 1 output\(s\) to .* \(none per step\)/);
    const [a, b] = [out('kws-s', 0), out('kws-whole', 0)];
    expect(a.length).toBe(2 * 12);
    for (let k = 0; k < a.length; k++) expect(Math.abs(a[k]! - b[k]!)).toBeLessThan(1e-6);
  });

  it('a Shape whose time length the model reads keeps the input from streaming (E-RT-STREAM)', async () => {
    // Y_h + 0 * length: the output depends on the sequence length itself, which a chunk does not have
    const g = inferTypes(updateGraph(graph, {
      initializers: new Map([...graph.initializers, ['t_axis', makeTensor('i64', [], [0])]]),
      outputs: [...graph.outputs, 'len'],
      nodes: [...graph.nodes, makeNode({ op: 'Shape', name: 'shape', inputs: ['X'], outputs: ['shp'] }), makeNode({ op: 'Gather', name: 'len_of', inputs: ['shp', 't_axis'], outputs: ['len'], attrs: { axis: { kind: 'int', value: 0 } } })],
    }));
    writeFileSync(at('len.onnx'), exportOnnx(g));
    sequence('x2.npy', 20, 1);
    const r = await cli('run', at('len.onnx'), '--input', `X=${at('x2.npy')}`, '--stream', '--out', at('len-s'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[E-RT-STREAM\]: the model has no sequence input an LSTM reads/);
  });

  it('usage: --stream needs --out and .npy outputs', async () => {
    sequence('x1.npy', 10, 1);
    expect((await cli('run', at('m.onnx'), '--input', `X=${at('x1.npy')}`, '--stream')).code).toBe(2);
    expect((await cli('run', at('m.onnx'), '--input', `X=${at('x1.npy')}`, '--stream', '--out', at('o'), '--out-format', 'pb')).code).toBe(2);
  });

  // The lstmc command as installed (tools/dist/lstmc.mjs, the bundle `npm run build` / npm ci's prepare writes) in a child
  // process whose peak RSS it prints on exit (process.resourceUsage().maxRSS, in KiB).
  const main = join(REPO, 'tools/dist/lstmc.mjs');
  it('T=100000 streamed: peak RSS under 100 MB (the whole run for comparison)', () => {
    expect(existsSync(main), `${main} is missing: run npm run build`).toBe(true);
    sequence('long.npy', 100_000, 1);
    const hook = at('maxrss.mjs');
    writeFileSync(hook, "process.on('exit', () => process.stderr.write(`maxrss ${process.resourceUsage().maxRSS}\\n`));\n");
    const rss = (...args: string[]) => {
      const r = spawnSync(process.execPath, ['--import', hook, main, 'run', at('m.onnx'), '--input', `X=${at('long.npy')}`, ...args], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return Number(/maxrss (\d+)/.exec(r.stderr)![1]) / 1024;
    };
    const streamed = rss('--stream', '--out', at('long-s'));
    const whole = rss('--out', at('long-w'), '--out-format', 'npy');
    console.log(`T=100000, I=16, 2 layers: peak RSS streamed ${streamed.toFixed(1)} MB, whole run ${whole.toFixed(1)} MB`);
    expect(streamed).toBeLessThan(100);
    // Buffer#equals: vitest's toEqual walks 12 MB element by element
    expect(readFileSync(at('long-s/output_0.npy')).equals(readFileSync(at('long-w/output_0.npy')))).toBe(true);
  });
});
