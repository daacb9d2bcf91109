import { describe, expect, it } from 'vitest';
import { createModel, loadModel, readRuntimeGraph, RuntimeError, type RtNode, type RuntimeModel, type RtTensor } from '../src/index.js';
import { writeRuntimeGraph } from '../src/writer.js';
import { editManifest, sealFile, splitFile } from './helpers/repack.js';

const f32 = (data: number[]): RtTensor => ({ dtype: 'f32', shape: [data.length], data: Float32Array.from(data) });
const bool = (v: boolean): RtTensor => ({ dtype: 'bool', shape: [], data: Uint8Array.of(v ? 1 : 0) });

/**
 * z = If(cond, then: Relu(x), else: Mul(x, k)) + x, where the branches read the outer x and k.
 * Values: 0 cond, 1 x, 2 y (If output), 3 t (then), 4 e (else), 5 k (constant), 6 z.
 */
function model(): RuntimeModel {
  const node = (kernel: string, name: string, inputs: number[], outputs: number[]): RtNode => ({ kernel, name, inputs, outputs, attrs: {} });
  return {
    values: [
      { name: 'cond', dtype: 'bool', shape: [] },
      { name: 'x', dtype: 'f32', shape: [3] },
      { name: 'y', dtype: 'f32', shape: [3] },
      { name: 't', dtype: 'f32', shape: [3] },
      { name: 'e', dtype: 'f32', shape: [3] },
      { name: 'k', dtype: 'f32', shape: [3], data: f32([2, 3, 4]) },
      { name: 'z', dtype: 'f32', shape: [3] },
    ],
    inputs: [0, 1],
    outputs: [6],
    nodes: [
      {
        ...node('If', 'if', [0], [2]),
        branches: { then_branch: { nodes: [node('Relu', 'relu', [1], [3])], outputs: [3] }, else_branch: { nodes: [node('Mul', 'mul', [1, 5], [4])], outputs: [4] } },
      },
      node('Add', 'add', [2, 1], [6]),
    ],
  };
}

const X = f32([-1, 0.5, 2]);

function codeOf(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof RuntimeError) return `${e.code} ${e.field ?? ''}`.trim();
    throw e;
  }
}

describe('control flow: If', () => {
  it('runs the branch the condition picks, reading outer values and constants', () => {
    const m = createModel(model());
    expect(Array.from(m.run({ cond: bool(true), x: X }).z!.data as Float32Array)).toEqual([-1, 1, 4]); // relu(x) + x
    expect(Array.from(m.run({ cond: bool(false), x: X }).z!.data as Float32Array)).toEqual([-3, 2, 10]); // x*k + x
  });

  it('onNode hears every kernel node that runs, in order, with its kernel and a time: the branch taken, not the If', () => {
    const m = createModel(model());
    for (const [cond, branch] of [[true, ['relu', 'Relu']], [false, ['mul', 'Mul']]] as const) {
      const heard: { node: string; kernel: string; ms: number }[] = [];
      const z = m.run({ cond: bool(cond), x: X }, { onNode: (t) => heard.push(t) }).z!;
      expect(heard.map((t) => [t.node, t.kernel])).toEqual([branch, ['add', 'Add']]);
      for (const t of heard) expect(t.ms).toBeGreaterThanOrEqual(0);
      // the same outputs as a run without the hook
      expect(z.data).toEqual(m.run({ cond: bool(cond), x: X }).z!.data);
    }
  });

  it('round-trips through the .lrg format (version 1.1) byte for byte', () => {
    const bytes = writeRuntimeGraph(model());
    expect(new DataView(bytes.buffer).getUint16(10, true)).toBe(1);
    expect(writeRuntimeGraph(readRuntimeGraph(bytes))).toEqual(bytes);
    expect(Array.from(loadModel(bytes).run({ cond: bool(false), x: X }).z!.data as Float32Array)).toEqual([-3, 2, 10]);
  });

  it('refuses branches in a file that says format 1.0', () => {
    const { manifest, blob } = splitFile(writeRuntimeGraph(model()));
    expect(codeOf(() => readRuntimeGraph(sealFile(manifest, blob, 0)))).toBe('E-RT-MANIFEST nodes[0].branches');
    expect(codeOf(() => readRuntimeGraph(sealFile(manifest, blob, 1)))).toBe('ok');
  });

  it('rejects a condition with more than one element at run time', () => {
    const m = createModel(model());
    expect(codeOf(() => m.run({ cond: { dtype: 'bool', shape: [2], data: Uint8Array.of(1, 0) }, x: X }))).toMatch(/^E-RT-INPUT-SHAPE/);
    const m0 = model();
    // The condition declared with an unknown shape: only the executor can catch a wrong size.
    const loose: RuntimeModel = { ...m0, values: m0.values.map((v, i) => (i === 0 ? { ...v, shape: null } : v)) };
    expect(codeOf(() => createModel(loose).run({ cond: { dtype: 'bool', shape: [2], data: Uint8Array.of(1, 0) }, x: X }))).toBe('E-RT-EXEC if');
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const cases: [string, (m: any) => void, string][] = [
    ['a branch yielding the wrong number of values', (m) => m.nodes[0].branches.then_branch.outputs.push(3), 'E-RT-GRAPH nodes[0].branches.then_branch.outputs'],
    ['a missing branch', (m) => delete m.nodes[0].branches.else_branch, 'E-RT-GRAPH nodes[0].branches'],
    ['an unknown branch', (m) => (m.nodes[0].branches.maybe = { nodes: [], outputs: [3] }), 'E-RT-GRAPH nodes[0].branches.maybe'],
    ['a branch reading the other branch', (m) => (m.nodes[0].branches.else_branch.nodes[0].inputs[0] = 3), 'E-RT-GRAPH nodes[0].branches.else_branch.nodes[0].inputs[0]'],
    [
      'a value defined in both branches',
      (m) => {
        m.nodes[0].branches.else_branch.nodes[0].outputs[0] = 3;
        m.nodes[0].branches.else_branch.outputs[0] = 3;
      },
      // Branches are checked in name order: else_branch defines it first.
      'E-RT-GRAPH nodes[0].branches.then_branch.nodes[0].outputs[0]',
    ],
    ['a branch value read after the If', (m) => (m.nodes[1].inputs[0] = 3), 'E-RT-GRAPH nodes[1].inputs[0]'],
    ['a branch output that nothing produces', (m) => (m.nodes[0].branches.then_branch.outputs[0] = 6), 'E-RT-GRAPH nodes[0].branches.then_branch.outputs[0]'],
    ['a condition that is not bool', (m) => (m.nodes[0].inputs[0] = 1), 'E-RT-GRAPH nodes[0].inputs[0]'],
    ['attributes on an If', (m) => (m.nodes[0].attrs.x = { type: 'int', value: 1 }), 'E-RT-ATTR nodes[0].attrs'],
    ['branches on a kernel node', (m) => (m.nodes[1].branches = {}), 'E-RT-GRAPH nodes[1].branches'],
    ['an unknown kernel inside a branch', (m) => (m.nodes[0].branches.then_branch.nodes[0].kernel = 'Nope'), 'E-RT-KERNEL nodes[0].branches.then_branch.nodes[0].kernel'],
  ];
  for (const [what, edit, want] of cases)
    it(`rejects ${what} (${want})`, () => {
      const bytes = editManifest(writeRuntimeGraph(model()), edit);
      const { manifest, blob } = splitFile(bytes);
      expect(codeOf(() => readRuntimeGraph(sealFile(manifest, blob, 1)))).toBe(want);
    });
});
