import { describe, expect, it } from 'vitest';
import { type Attrs, type Graph, type Node, type Tensor, exportOnnx, inferTypes, makeGraph, makeNode, makeTensor, tensorType } from '@lstmc/ir';
import { createModel, loadModel, type RtTensor } from '@lstmc/runtime';
import { writeRuntimeGraph } from '@lstmc/runtime/writer';
import { lowerToRuntime } from '../../src/index.js';
import { ortSession, runOrt } from '../support/ort.js';
import { Rng } from '../support/rng.js';

/**
 * The lowering fuses the Transpose [0, 2, 1, 3] that every bidirectional time-major export applies to
 * Y into the LSTM (`y_interleaved`). Checked against onnxruntime on the same ONNX bytes, for the dense
 * and the compressed-row kernels, and left alone where something else reads Y.
 */
interface Case {
  readonly T: number;
  readonly B: number;
  readonly I: number;
  readonly H: number;
  readonly dirs: 1 | 2;
  /** Also a graph output: Y itself (so the transpose stays), Y_h. */
  readonly yOut: boolean;
  readonly sparse: boolean;
  readonly seed: number;
}

function bidirExport(c: Case): Graph {
  const r = new Rng(c.seed);
  const D = c.dirs;
  const w = (n: number) => {
    const d = r.f32(n, -0.6, 0.6);
    if (c.sparse) for (let i = 0; i < n; i++) if (r.next() < 0.9) d[i] = 0;
    return d;
  };
  const inits: [string, Tensor][] = [
    ['W', makeTensor('f32', [D, 4 * c.H, c.I], w(D * 4 * c.H * c.I))],
    ['R', makeTensor('f32', [D, 4 * c.H, c.H], w(D * 4 * c.H * c.H))],
    ['B', makeTensor('f32', [D, 8 * c.H], r.f32(D * 8 * c.H, -0.3, 0.3))],
    ['merge', makeTensor('i64', [3], [0, 0, -1])],
  ];
  const mode: Attrs = c.sparse ? { 'lstmc.mode.W': { kind: 'strings', value: Array(D).fill('sparse-weight') }, 'lstmc.mode.R': { kind: 'strings', value: Array(D).fill('sparse-weight') } } : {};
  const nodes: Node[] = [
    makeNode({ op: 'LSTM', name: 'lstm', inputs: ['X', 'W', 'R', 'B'], outputs: ['Y', 'Y_h'], attrs: { hidden_size: { kind: 'int', value: c.H }, direction: { kind: 'string', value: D === 2 ? 'bidirectional' : 'forward' }, ...mode } }),
    makeNode({ op: 'Transpose', name: 'interleave', inputs: ['Y'], outputs: ['Yt'], attrs: { perm: { kind: 'ints', value: [0, 2, 1, 3] } } }),
    makeNode({ op: 'Reshape', name: 'merge_dirs', inputs: ['Yt', 'merge'], outputs: ['y'] }),
  ];
  return inferTypes(
    makeGraph({ name: 'bidir', opsets: { '': 14 }, inputs: ['X'], outputs: c.yOut ? ['y', 'Y_h', 'Y'] : ['y', 'Y_h'], initializers: inits, values: [['X', { name: 'X', type: tensorType('f32', [c.T, c.B, c.I]) }]], nodes }),
  );
}

const stripModes = (g: Graph): Graph => ({ ...g, nodes: g.nodes.map((n) => makeNode({ ...n, attrs: Object.fromEntries(Object.entries(n.attrs).filter(([k]) => !k.startsWith('lstmc.'))) })) });

describe('lowering: Y [T, D, B, H] transposed to [T, B, D, H] is written so by the LSTM', () => {
  it('fuses the transpose (dense and compressed-row kernels, 1 or 2 directions) and matches onnxruntime within 1e-5', async () => {
    for (let seed = 1; seed <= 24; seed++) {
      const r = new Rng(seed * 7919);
      const c: Case = { T: r.int(1, 7), B: r.int(1, 4), I: r.int(1, 9), H: r.int(1, 9), dirs: r.bool() ? 2 : 1, yOut: seed % 4 === 0, sparse: seed % 3 === 0, seed };
      const g = bidirExport(c);
      const rt = lowerToRuntime(g);
      const lstm = rt.nodes.find((n) => n.kernel.startsWith('lstm.') && !n.kernel.includes('pack'))!;
      expect(lstm.kernel, JSON.stringify(c)).toBe(c.sparse ? 'lstm.sparse.f32' : 'lstm.dense.f32');
      // Fused unless Y is read by something else too (here: it is a graph output).
      expect(rt.nodes.some((n) => n.kernel === 'Transpose'), JSON.stringify(c)).toBe(c.yOut);
      expect(lstm.attrs['y_interleaved']?.value ?? 0).toBe(c.yOut ? 0 : 1);
      const X = new Rng(seed).f32(c.T * c.B * c.I, -2, 2);
      const feeds = { X: { dtype: 'f32', shape: [c.T, c.B, c.I], data: X } as RtTensor };
      const want = await runOrt(await ortSession(exportOnnx(stripModes(g))), feeds);
      // Through the .lrg format too: the attribute is written and read back.
      const got = loadModel(writeRuntimeGraph(rt)).run(feeds);
      for (const name of g.outputs) {
        expect(got[name]!.shape, `${name} ${JSON.stringify(c)}`).toEqual(want[name]!.shape);
        let m = 0;
        for (let i = 0; i < want[name]!.data.length; i++) m = Math.max(m, Math.abs(Number(got[name]!.data[i]) - Number(want[name]!.data[i])));
        expect(m, `${name} ${JSON.stringify(c)}`).toBeLessThanOrEqual(1e-5);
      }
    }
  });

  it('the runtime refuses y_interleaved with layout 1 at load, naming the node', () => {
    const rt = lowerToRuntime(bidirExport({ T: 2, B: 1, I: 2, H: 2, dirs: 2, yOut: false, sparse: false, seed: 3 }));
    const nodes = rt.nodes.map((n) => (n.kernel === 'lstm.dense.f32' ? { ...n, attrs: { ...n.attrs, layout: { type: 'int' as const, value: 1 } } } : n));
    expect(() => createModel({ ...rt, nodes })).toThrow(/lstm.*y_interleaved needs layout 0/s);
  });
});
