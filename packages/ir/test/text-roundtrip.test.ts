import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Graph, makeGraph, makeNode, updateGraph } from '../src/graph.js';
import { makeTensor, type Tensor } from '../src/tensor.js';
import { tensorType } from '../src/types.js';
import { parseGraph, printGraph, printGraphWithResources } from '../src/text/index.js';
import { diffGraphs, diffTensors, xorshift32 } from './text-helpers.js';
import { branchGraph, SAMPLES } from './text-samples.js';

const ELISIONS = [0, 8, 64, Infinity] as const;

describe('text round trip on hand-built graphs', () => {
  for (const [name, make] of Object.entries(SAMPLES)) {
    for (const elideAbove of ELISIONS) {
      it(`${name}, elideAbove=${elideAbove}`, () => {
        const g = make();
        const { text, resources } = printGraphWithResources(g, { elideAbove });
        const back = parseGraph(text, { file: `${name}.lir`, resources });
        expect(diffGraphs(g, back)).toEqual([]);
        expect(printGraph(back, { elideAbove })).toBe(text);
      });
    }
  }

  it('resources are handed back as the same tensor objects the graph holds', () => {
    const g = SAMPLES.kitchenSink!();
    const { text, resources } = printGraphWithResources(g, { elideAbove: 64 });
    expect([...resources.keys()]).toEqual(['W', ':t_big']);
    expect(resources.get('W')).toBe(g.initializers.get('W'));
    expect(text).toMatch(/init %W = dense_resource<"W", sha256 = "[0-9a-f]{16}"> : f32\[1, 16, 8\]/);
  });
});

/** Puts raw bit patterns into a one-initializer graph and reads them back. */
function roundTripData(data: Float32Array | Float64Array): Float32Array | Float64Array {
  const dtype = data instanceof Float32Array ? 'f32' : 'f64';
  const t = makeTensor(dtype, [data.length], data);
  const g = makeGraph({ inputs: [], outputs: [], initializers: [['t', t]], values: [['t', { name: 't', type: tensorType(dtype, [data.length]) }]], nodes: [] });
  const back = parseGraph(printGraph(g, { elideAbove: Infinity }), { file: 'bits.lir' });
  const u = back.initializers.get('t')!;
  expect(diffTensors(t, u, 't')).toEqual([]);
  return u.data as Float32Array | Float64Array;
}

describe('float bits survive the text form', () => {
  it('20000 random float32 bit patterns (every NaN payload, subnormal, infinity, -0)', () => {
    const next = xorshift32(12345);
    const bits = new Uint32Array(20000).map(() => next());
    roundTripData(new Float32Array(bits.buffer));
  });

  it('10000 random float64 bit patterns', () => {
    const next = xorshift32(777);
    const bits = new Uint32Array(20000).map(() => next());
    roundTripData(new Float64Array(bits.buffer));
  });
});

interface FloatRepr {
  readonly f32: readonly [number, string][];
  readonly f64: readonly [string, string][];
}

describe('shortest float forms agree with numpy (float32) and CPython (float64)', () => {
  // float-repr.json comes from gen-float-repr.py: numpy's Dragon4 and CPython's repr, not this code.
  const ref = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/text/float-repr.json'), 'utf8')) as FloatRepr;
  const elemTexts = (text: string): string[] => /dense<\[([^\]]*)\]>/.exec(text)![1]!.trim().split(/,\s*/);
  const num = (s: string): number => Number(s.replace('inf', 'Infinity'));
  const same = (ref: string, ours: string): boolean => num(ref) === num(ours) && ref.startsWith('-') === ours.startsWith('-');

  it(`${ref.f32.length} float32 values print as the same decimal numpy prints`, () => {
    const data = new Float32Array(new Uint32Array(ref.f32.map(([b]) => b)).buffer);
    const g = makeGraph({ inputs: [], outputs: [], initializers: [['t', makeTensor('f32', [data.length], data)]], values: [], nodes: [] });
    const texts = elemTexts(printGraph(g, { elideAbove: Infinity }));
    const mismatches = ref.f32.filter(([, np], i) => !same(np, texts[i]!));
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it(`${ref.f64.length} float64 values print as the same decimal CPython prints`, () => {
    const data = new Float64Array(new BigUint64Array(ref.f64.map(([h]) => BigInt(`0x${h}`))).buffer);
    const g = makeGraph({ inputs: [], outputs: [], initializers: [['t', makeTensor('f64', [data.length], data)]], values: [], nodes: [] });
    const texts = elemTexts(printGraph(g, { elideAbove: Infinity }));
    const mismatches = ref.f64.filter(([, py], i) => !same(py, texts[i]!));
    expect(mismatches.slice(0, 5)).toEqual([]);
    roundTripData(data);
  });
});

describe('diffGraphs sees every kind of difference (so the round-trip checks can fail)', () => {
  const base = SAMPLES.kitchenSink!;
  const g = base();
  const variants: Record<string, Graph> = {
    'node order': updateGraph(g, { nodes: [g.nodes[1]!, g.nodes[0]!, ...g.nodes.slice(2)] }),
    'node name': updateGraph(g, { nodes: g.nodes.map((n, i) => (i === 0 ? makeNode({ ...n, name: 'other' }) : n)) }),
    'omitted input': updateGraph(g, { nodes: g.nodes.map((n, i) => (i === 0 ? makeNode({ ...n, inputs: n.inputs.slice(0, -1) }) : n)) }),
    'float attr bits': updateGraph(g, {
      nodes: g.nodes.map((n, i) => (i === 0 ? makeNode({ ...n, attrs: { ...n.attrs, clip: { kind: 'float', value: 0.1 } } }) : n)),
    }),
    'attr kind': updateGraph(g, {
      nodes: g.nodes.map((n, i) => (i === 0 ? makeNode({ ...n, attrs: { ...n.attrs, hidden_size: { kind: 'float', value: 4 } } }) : n)),
    }),
    'NaN payload': updateGraph(g, {
      initializers: [...g.initializers].map(([k, t]): [string, Tensor] => {
        if (k !== 't_f32') return [k, t];
        const bits = new Uint32Array(new Float32Array(t.data as Float32Array).buffer);
        bits[5] = 0x7fc00002;
        return [k, makeTensor('f32', t.dims, new Float32Array(bits.buffer))];
      }),
    }),
    'symbolic dim': updateGraph(g, { values: [...g.values].map(([k, v]) => [k, k === 'x' ? { name: k, type: tensorType('f32', ['batch2', 4]) } : v]) }),
    'fixed frac': updateGraph(g, { values: [...g.values].map(([k, v]) => [k, k === 'y_c' ? { name: k, type: tensorType('i16', v.type.shape, { frac: 11 }) } : v]) }),
    'subgraph': updateGraph(g, {
      nodes: g.nodes.map((n, i) => (i === 1 ? makeNode({ ...n, attrs: { ...n.attrs, then_branch: { kind: 'graph', value: branchGraph('then_branch', 'cond') } } }) : n)),
    }),
    'metadata': updateGraph(g, { metadata: { ...g.metadata, producer: 'other' } }),
  };
  for (const [what, v] of Object.entries(variants)) {
    it(what, () => {
      expect(diffGraphs(g, base())).toEqual([]);
      expect(diffGraphs(g, v).length).toBeGreaterThan(0);
    });
  }
});
