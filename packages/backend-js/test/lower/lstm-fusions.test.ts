/** The lowering's LSTM transpose fusions (src/lower/lstm-fusions.ts): y_interleaved and states_dbh. */
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

  it('the runtime refuses states_dbh with layout 0 at load', () => {
    const rt = lowerToRuntime(bidirExport({ T: 2, B: 1, I: 2, H: 2, dirs: 2, yOut: false, sparse: false, seed: 3 }));
    const nodes = rt.nodes.map((n) => (n.kernel === 'lstm.dense.f32' ? { ...n, attrs: { ...n.attrs, y_interleaved: { type: 'int' as const, value: 0 }, states_dbh: { type: 'int' as const, value: 1 } } } : n));
    expect(() => createModel({ ...rt, nodes })).toThrow(/states_dbh needs layout 1/);
  });

  it('the runtime refuses y_interleaved with layout 1 at load, naming the node', () => {
    const rt = lowerToRuntime(bidirExport({ T: 2, B: 1, I: 2, H: 2, dirs: 2, yOut: false, sparse: false, seed: 3 }));
    const nodes = rt.nodes.map((n) => (n.kernel === 'lstm.dense.f32' ? { ...n, attrs: { ...n.attrs, layout: { type: 'int' as const, value: 1 } } } : n));
    expect(() => createModel({ ...rt, nodes })).toThrow(/lstm.*y_interleaved needs layout 0/s);
  });
});

/**
 * A layout-1 LSTM whose states pass through Transpose [1, 0, 2] both ways (what the batch-major pass
 * leaves of a batch-first streaming export): h0 and c0 graph inputs [D, B, H], or one of them a
 * constant (which keeps the transposes), Y_h also read by a Relu (which keeps them too).
 */
function batchMajorStates(o: { readonly constC0: boolean; readonly extraReader: boolean; readonly seed: number }): Graph {
  const r = new Rng(o.seed);
  const [T, B, I, H, D] = [3, 2, 3, 2, 2];
  const swap = (name: string, input: string, output: string) => makeNode({ op: 'Transpose', name, inputs: [input], outputs: [output], attrs: { perm: { kind: 'ints', value: [1, 0, 2] } } });
  const inits: [string, Tensor][] = [
    ['W', makeTensor('f32', [D, 4 * H, I], r.f32(D * 4 * H * I, -0.6, 0.6))],
    ['R', makeTensor('f32', [D, 4 * H, H], r.f32(D * 4 * H * H, -0.6, 0.6))],
  ];
  if (o.constC0) inits.push(['c0', makeTensor('f32', [D, B, H], r.f32(D * B * H, -1, 1))]);
  const nodes: Node[] = [
    swap('h0.bm', 'h0', 'h0_bm'),
    swap('c0.bm', 'c0', 'c0_bm'),
    makeNode({ op: 'LSTM', name: 'lstm', inputs: ['X', 'W', 'R', '', '', 'h0_bm', 'c0_bm'], outputs: ['Y', 'Yh_bm', 'Yc_bm'], attrs: { hidden_size: { kind: 'int', value: H }, direction: { kind: 'string', value: 'bidirectional' }, layout: { kind: 'int', value: 1 } } }),
    swap('Yh.rebuild', 'Yh_bm', 'Y_h'),
    swap('Yc.rebuild', 'Yc_bm', 'Y_c'),
    ...(o.extraReader ? [makeNode({ op: 'Relu', name: 'relu', inputs: ['Yh_bm'], outputs: ['r'] })] : []),
  ];
  const inputs = o.constC0 ? ['X', 'h0'] : ['X', 'h0', 'c0'];
  const types: [string, { name: string; type: ReturnType<typeof tensorType> }][] = [
    ['X', { name: 'X', type: tensorType('f32', [B, T, I]) }],
    ['h0', { name: 'h0', type: tensorType('f32', [D, B, H]) }],
    ...(o.constC0 ? [] : [['c0', { name: 'c0', type: tensorType('f32', [D, B, H]) }] as [string, { name: string; type: ReturnType<typeof tensorType> }]]),
  ];
  return inferTypes(makeGraph({ name: 'states', opsets: { '': 14 }, inputs, outputs: ['Y', 'Y_h', 'Y_c', ...(o.extraReader ? ['r'] : [])], initializers: inits, values: types, nodes }));
}

/** g's LSTM time-major: X transposed to [T, B, I], the states [D, B, H] fed as they are, Y transposed back to [B, T, D, H]. */
function timeMajorTwin(g: Graph): Graph {
  const lstm = g.nodes.find((n) => n.op === 'LSTM')!;
  const t = (name: string, input: string, output: string, perm: number[]) => makeNode({ op: 'Transpose', name, inputs: [input], outputs: [output], attrs: { perm: { kind: 'ints', value: perm } } });
  const nodes = [
    t('x.tm', 'X', 'X_tm', [1, 0, 2]),
    makeNode({ ...lstm, inputs: ['X_tm', 'W', 'R', '', '', 'h0', 'c0'], outputs: ['Y_tm', 'Y_h', 'Y_c'], attrs: { ...lstm.attrs, layout: { kind: 'int', value: 0 } } }),
    t('y.bm', 'Y_tm', 'Y', [2, 0, 1, 3]),
  ];
  return inferTypes(makeGraph({ name: 'twin', opsets: { '': 14 }, inputs: g.inputs, outputs: ['Y', 'Y_h', 'Y_c'], initializers: g.initializers, values: g.inputs.map((i) => [i, g.values.get(i)!] as [string, typeof g.values extends ReadonlyMap<string, infer V> ? V : never]), nodes }));
}

describe('lowering: a layout-1 LSTM reads and writes its states in [D, B, H] itself', () => {
  it('fuses the state transposes where every state passes through one (states_dbh), and matches onnxruntime within 1e-5', async () => {
    for (const [constC0, extraReader, fuses] of [[false, false, true], [true, false, false], [false, true, false]] as const) {
      const g = batchMajorStates({ constC0, extraReader, seed: 5 });
      const rt = lowerToRuntime(g);
      const lstm = rt.nodes.find((n) => n.kernel === 'lstm.dense.f32')!;
      const what = `constant c0 ${constC0}, Y_h read elsewhere ${extraReader}`;
      expect(lstm.attrs['states_dbh']?.value ?? 0, what).toBe(fuses ? 1 : 0);
      expect(rt.nodes.filter((n) => n.kernel === 'Transpose').length, what).toBe(fuses ? 0 : constC0 ? 3 : 4);
      const r = new Rng(9);
      const feeds: Record<string, RtTensor> = { X: { dtype: 'f32', shape: [2, 3, 3], data: r.f32(18, -2, 2) }, h0: { dtype: 'f32', shape: [2, 2, 2], data: r.f32(8, -1, 1) } };
      if (!constC0) feeds['c0'] = { dtype: 'f32', shape: [2, 2, 2], data: r.f32(8, -1, 1) };
      // onnxruntime refuses layout 1: it runs the time-major twin (X transposed in, Y transposed out,
      // the states as given), the same LSTM
      const want = await runOrt(await ortSession(exportOnnx(timeMajorTwin(g))), feeds);
      const got = createModel(rt).run(feeds);
      for (const name of ['Y', 'Y_h', 'Y_c']) {
        expect(got[name]!.shape, name).toEqual(want[name]!.shape);
        let m = 0;
        for (let i = 0; i < want[name]!.data.length; i++) m = Math.max(m, Math.abs(Number(got[name]!.data[i]) - Number(want[name]!.data[i])));
        expect(m, `${name}, ${what}`).toBeLessThanOrEqual(1e-5);
      }
    }
  });
});
