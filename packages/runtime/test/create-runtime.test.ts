/**
 * createRuntime: a runtime of only some kernels (what `lstmc runtime-entry` writes) loads graphs of
 * those kernels with the same results as the whole runtime, refuses others naming the kernel, and,
 * built without a thread pool, runs `threads: N` on one thread.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '@lstmc/testing';
import { BUILTIN_KERNELS, RuntimeError, createRuntime, loadModel, opKernel } from '../src/index.js';
import { HardSwish } from '../src/ops.js';
import { writeRuntimeGraph } from '../src/writer.js';
import { twoLayerLstmModel } from './helpers/sample-models.js';

const DIMS = { I: 5, H: 8, C: 4 };
const bytes = writeRuntimeGraph(twoLayerLstmModel(new Rng(3), DIMS));
const kernelsOf = (m: { nodes: readonly { kernel: string }[] }) => [...new Set(m.nodes.map((n) => n.kernel))];

describe('createRuntime', () => {
  const used = kernelsOf(loadModel(bytes).runtimeModel);
  const kernels = Object.fromEntries(used.map((k) => [k, BUILTIN_KERNELS[k]!]));
  const input = { dtype: 'f32' as const, shape: [6, 2, DIMS.I], data: new Rng(9).f32(6 * 2 * DIMS.I) };

  it('runs a graph of its kernels as the whole runtime does, on one thread without a thread pool', async () => {
    const small = createRuntime({ kernels });
    const m = small.loadModel(bytes, { threads: 2 });
    expect(await m.threadsReady()).toBe(1);
    const got = m.run({ input });
    const want = loadModel(bytes).run({ input });
    for (const k of Object.keys(want)) expect(Array.from(got[k]!.data as Float32Array), k).toEqual(Array.from(want[k]!.data as Float32Array));
    expect(m.threadStats().threads).toBe(1);
    expect(small.createModel(small.readRuntimeGraph(bytes)).run({ input }).probs!.data).toEqual(want.probs!.data);
  });

  it('refuses a graph with a kernel it lacks, naming the kernel and the node', () => {
    const missing = used.find((k) => k.startsWith('lstm.'))!;
    const small = createRuntime({ kernels: Object.fromEntries(Object.entries(kernels).filter(([k]) => k !== missing)) });
    let err: unknown;
    try {
      small.loadModel(bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).code).toBe('E-RT-KERNEL');
    expect((err as RuntimeError).message).toContain(`unknown kernel '${missing}' (not in this runtime's registry)`);
    expect((err as RuntimeError).field).toMatch(/^nodes\[\d+\]\.kernel$/);
  });

  it("opKernel of an op's own definition enforces the op's opset range, as the built-in kernel does", () => {
    const x = { name: 'x', dtype: 'f32', shape: [2] };
    for (const k of [opKernel('HardSwish', HardSwish), BUILTIN_KERNELS.HardSwish!]) {
      expect(k.check?.({ opset: 13 } as never, { inputs: [x], outputs: [x] } as never)).toBe('HardSwish exists in opsets 14 to now; the model imports opset 13');
      expect(k.check?.({ opset: 14 } as never, { inputs: [x], outputs: [x] } as never)).toBeUndefined();
    }
    const { eval: _, ...noEval } = HardSwish;
    expect(() => opKernel('HardSwish', noEval)).toThrow(/E-RT-KERNEL|has no reference evaluation/);
  });
});
