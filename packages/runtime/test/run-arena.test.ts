/**
 * The run arena (executor/run-arena.ts): a run's intermediate tensors are views into memory the next
 * run reuses, and nothing a caller holds ever is: outputs stay as they were after later runs, stream
 * state carries over, a run that fails or one nested in another leaves the next runs correct.
 * Expected values are computed here in plain JS (relu, sigmoid), or by a fresh model's first run.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '@lstmc/testing';
import { BUILTIN_KERNELS, createModel, createRuntime, defineKernel, type RtTensor, type RuntimeModel } from '../src/index.js';
import { RunArena } from '../src/executor/run-arena.js';
import { twoLayerLstmModel } from './helpers/sample-models.js';

const N = 40;
const relu = (v: number) => Math.max(0, v);
const sigmoid = (v: number) => Math.fround(1 / (1 + Math.exp(-v)));

/**
 * x -> Relu -> r (an output, and read on) -> r + r -> s -> Sigmoid -> y; with `probe`, s -> probe -> p
 * -> Identity -> q (an output that is an arena tensor, passed through) and s -> probe -> o (an output
 * the probe makes itself).
 */
const graph = (probe: boolean): RuntimeModel => ({
  values: [
    { name: 'x', dtype: 'f32', shape: [N] },
    { name: 'r', dtype: 'f32', shape: [N] },
    { name: 's', dtype: 'f32', shape: [N] },
    { name: 'y', dtype: 'f32', shape: [N] },
    ...(probe ? (['p', 'q', 'o'] as const).map((name) => ({ name, dtype: 'f32' as const, shape: [N] })) : []),
  ],
  inputs: [0],
  outputs: probe ? [1, 3, 5, 6] : [1, 3],
  nodes: [
    { kernel: 'Relu', name: 'relu', inputs: [0], outputs: [1], attrs: {} },
    { kernel: 'Add', name: 'add', inputs: [1, 1], outputs: [2], attrs: {} },
    { kernel: 'Sigmoid', name: 'sig', inputs: [2], outputs: [3], attrs: {} },
    ...(probe
      ? [
          { kernel: 'probe', name: 'probe', inputs: [2], outputs: [4], attrs: {} },
          { kernel: 'Identity', name: 'id', inputs: [4], outputs: [5], attrs: {} },
          { kernel: 'probe', name: 'probe_out', inputs: [2], outputs: [6], attrs: {} },
        ]
      : []),
  ],
});

const input = (seed: number): RtTensor => ({ dtype: 'f32', shape: [N], data: new Rng(seed).f32(N) });
const expected = (x: RtTensor) => {
  const r = Array.from(x.data as Float32Array, (v) => relu(v));
  return { r, y: r.map((v) => sigmoid(Math.fround(v + v))) };
};

describe('run arena', () => {
  it('keeps every output of a run as it was after later runs', () => {
    const m = createModel(graph(false));
    const runs = [1, 2, 3, 4].map((seed) => ({ x: input(seed), out: m.run({ x: input(seed) }) }));
    for (const { x, out } of runs) {
      const want = expected(x);
      expect(Array.from(out['r']!.data as Float32Array)).toEqual(want.r);
      expect(Array.from(out['y']!.data as Float32Array)).toEqual(want.y);
    }
    const buffers = runs.flatMap(({ out }) => [out['r']!.data.buffer, out['y']!.data.buffer]);
    expect(new Set(buffers).size).toBe(buffers.length);
  });

  it('gives kernels views into one buffer from the second run on, zeroed, and copies outputs out of it', () => {
    // The probe sees its input (the intermediate s, an Add output) and its own output's allocation.
    const seen: { s: ArrayBufferLike; out: ArrayBufferLike; zero: boolean }[] = [];
    const direct: boolean[] = []; // probe_out, whose output is a graph output: an allocator or none
    
    const probe = defineKernel({
      name: 'probe',
      inputs: [1, 1],
      requiredInputs: 1,
      outputs: [1, 1],
      attrs: {},
      run: (call) => {
        const s = call.inputs[0]!;
        if (call.nodeName === 'probe_out') {
          direct.push(call.alloc !== undefined);
          return [{ dtype: 'f32', shape: [N], data: Float32Array.from(s.data as Float32Array) }];
        }
        const out = call.alloc!('f32', N) as Float32Array;
        seen.push({ s: s.data.buffer, out: out.buffer, zero: out.every((v) => v === 0) });
        out.set(s.data as Float32Array);
        out[0] = 7; // dirty it: the next run's piece here must come zeroed
        return [{ dtype: 'f32', shape: [N], data: out }];
      },
    });
    const m = createRuntime({ kernels: { ...BUILTIN_KERNELS, probe } }).createModel(graph(true));
    const outs = [5, 6, 7].map((seed) => m.run({ x: input(seed) }));
    // Run 1 sizes the arena (new arrays); runs 2 and 3 reuse its buffer.
    expect(seen[0]!.s).not.toBe(seen[1]!.s);
    expect(seen[1]!.s).toBe(seen[2]!.s);
    expect(seen[1]!.out).toBe(seen[1]!.s);
    expect(seen.every((v) => v.zero)).toBe(true);
    // A node that makes a graph output takes no arena memory (the caller keeps it).
    expect(direct).toEqual([false, false, false]);
    // The probe's output, a graph output through Identity, is copied out of the arena: each run's stays its own.
    [5, 6, 7].forEach((seed, i) => {
      const p = outs[i]!['q']!.data as Float32Array;
      expect(p.buffer).not.toBe(seen[2]!.s);
      expect(Array.from(p.subarray(1))).toEqual(expected(input(seed)).r.slice(1).map((v) => Math.fround(v + v)));
    });
  });

  it('copies out an output that is a view into an arena tensor (a Slice of leading rows shares its input)', () => {
    const rows = 8;
    const m = createModel({
      values: [
        { name: 'x', dtype: 'f32', shape: [rows, N] },
        { name: 'r', dtype: 'f32', shape: [rows, N] },
        { name: 'starts', dtype: 'i64', shape: [1], data: { dtype: 'i64', shape: [1], data: BigInt64Array.of(2n) } },
        { name: 'ends', dtype: 'i64', shape: [1], data: { dtype: 'i64', shape: [1], data: BigInt64Array.of(6n) } },
        { name: 'top', dtype: 'f32', shape: [4, N] },
      ],
      inputs: [0],
      outputs: [4],
      nodes: [
        { kernel: 'Relu', name: 'relu', inputs: [0], outputs: [1], attrs: {} },
        { kernel: 'Slice', name: 'rows', inputs: [1, 2, 3], outputs: [4], attrs: {} },
      ],
    });
    const x = (seed: number): RtTensor => ({ dtype: 'f32', shape: [rows, N], data: new Rng(seed).f32(rows * N) });
    const runs = [1, 2, 3].map((seed) => ({ x: x(seed), top: m.run({ x: x(seed) })['top']! }));
    for (const { x: xi, top } of runs) expect(Array.from(top.data as Float32Array)).toEqual(Array.from((xi.data as Float32Array).subarray(2 * N, 6 * N), relu));
  });

  it('runs nested in an onNode callback, and after a failed run, with correct results', () => {
    const m = createModel(graph(false));
    m.run({ x: input(7) }); // the arena holds this graph's tensors from now on
    let inner: Record<string, RtTensor> | undefined;
    const outer = m.run({ x: input(8) }, { onNode: (t) => void (t.node === 'add' && !inner && (inner = m.run({ x: input(9) }))) });
    expect(Array.from(outer['y']!.data as Float32Array)).toEqual(expected(input(8)).y);
    expect(Array.from(inner!['y']!.data as Float32Array)).toEqual(expected(input(9)).y);
    expect(() => m.run({ x: { dtype: 'f32', shape: [N + 1], data: new Float32Array(N + 1) } })).toThrow();
    expect(() =>
      m.run({ x: input(10) }, {
        onNode: () => {
          throw new Error('stop');
        },
      }),
    ).toThrow('stop');
    expect(Array.from(m.run({ x: input(11) })['y']!.data as Float32Array)).toEqual(expected(input(11)).y);
  });

  it('carries LSTM stream state across pushes as one whole-sequence run does', () => {
    const model = twoLayerLstmModel(new Rng(21), { I: 5, H: 12, C: 3 });
    const T = 9;
    const x = { dtype: 'f32' as const, shape: [T, 1, 5], data: new Rng(22).f32(T * 5) };
    const whole = createModel(model).run({ input: x });
    const m = createModel(model);
    const s = m.createStream();
    const chunks = [[0, 4], [4, 5], [5, 9]].map(([a, b]) => s.push({ input: { dtype: 'f32', shape: [b! - a!, 1, 5], data: (x.data as Float32Array).slice(a! * 5, b! * 5) } }));
    const last = chunks[chunks.length - 1]!;
    for (const k of Object.keys(whole)) {
      if (whole[k]!.shape[0] !== T) expect(Array.from(last[k]!.data as Float32Array), k).toEqual(Array.from(whole[k]!.data as Float32Array));
    }
    // and each earlier chunk's outputs are untouched by the later pushes
    const again = createModel(model).createStream().push({ input: { dtype: 'f32', shape: [4, 1, 5], data: (x.data as Float32Array).slice(0, 20) } });
    for (const k of Object.keys(again)) expect(Array.from(chunks[0]![k]!.data as Float32Array), k).toEqual(Array.from(again[k]!.data as Float32Array));
  });
});

describe('RunArena', () => {
  it('hands out aligned zeroed views inside a run only, for arrays of 65 bytes to 256 KiB, and grows to what a run asked for', () => {
    const a = new RunArena();
    const owned = (v: { buffer: ArrayBufferLike }) => a.owns(v.buffer);
    expect(owned(a.alloc('f32', 100) as Float32Array)).toBe(false); // outside a run
    expect(a.begin()).toBe(true);
    expect(a.begin()).toBe(false); // nested: no arena for it
    expect(owned(a.alloc('f32', 100) as Float32Array)).toBe(false); // the first run sizes the arena
    a.end();
    const pieces = () => [a.alloc('f32', 17) as Float32Array, a.alloc('u8', 65) as Uint8Array] as const;
    a.begin();
    const [f, b] = pieces();
    const small = a.alloc('f32', 16) as Float32Array; // 64 bytes: V8's heap
    const big = a.alloc('f32', 65537) as Float32Array; // above 256 KiB
    expect([owned(f), owned(b), owned(small), owned(big)]).toEqual([true, true, false, false]);
    expect([f.byteOffset % 16, b.byteOffset % 16]).toEqual([0, 0]);
    expect(b.byteOffset).toBeGreaterThanOrEqual(f.byteOffset + f.byteLength);
    f.fill(3);
    b.fill(4);
    a.end();
    a.begin();
    const [f2, b2] = pieces();
    expect([f2.byteOffset, b2.byteOffset]).toEqual([f.byteOffset, b.byteOffset]);
    expect([f2.every((v) => v === 0), b2.every((v) => v === 0)]).toEqual([true, true]);
    expect(owned(a.alloc('f32', 2000) as Float32Array)).toBe(false); // more than the arena holds yet
    a.end();
    a.begin();
    pieces();
    expect(owned(a.alloc('f32', 2000) as Float32Array)).toBe(true);
    a.end();
  });
});
