import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPS, OP_KINDS, inferTypes, makeGraph, makeNode, makeTensor, tensorType, type Tensor } from '@lstmc/ir';
import { loweringRule, lowerToRuntime } from '@lstmc/backend-js';
import { BUILTIN_KERNELS, createModel } from '@lstmc/runtime';
import { builtinRegistry, parsePipeline, runPipeline } from '@lstmc/passes';
import { REPO } from './helpers.js';

// Every op is described once, in packages/ops/src/ops/: its ports, attributes, inference and
// reference evaluation. Nothing else lists ops, so adding one is that file plus its test. These
// checks fail when a second description of an op creeps back in.

/** Ops other packages name on purpose, and why. Any other op named outside packages/ops is a second description. */
const NAMED_ELSEWHERE: Readonly<Record<string, string>> = {
  LSTM: 'the back ends compile it (dense/sparse/fixed kernels, microcode)',
  Constant: 'becomes an initializer or a runtime constant value',
  Identity: 'bypassed by fold; the accelerator host glue passes it through',
  Transpose: 'a batch-first Transpose is the LSTM layout (accelerator, streams)',
  Reshape: 'host glue between accelerator layers',
  Squeeze: 'host glue between accelerator layers (torch squeezes the direction axis)',
  Unsqueeze: 'host glue between accelerator layers',
  Gather: 'the accelerator compiler recognizes shape computations around its LSTMs',
  Slice: 'the accelerator compiler recognizes shape computations around its LSTMs',
  Shape: 'the accelerator compiler recognizes shape computations around its LSTMs',
  Cast: 'the accelerator compiler recognizes shape computations around its LSTMs; the quantized ONNX export dequantizes weights with Cast + Mul',
  DequantizeLinear: 'the quantized ONNX export (prune --quantize) reads integer weights through it',
  Mul: 'the quantized ONNX export (prune --quantize) dequantizes integer weights with Cast + Mul where the opset has no DequantizeLinear for their type; an element-wise kernel of the runtime (vector-kernels.ts), as Add',
  ConstantOfShape: "torch's zero initial state, recognized by the accelerator compiler",
  Expand: "torch's zero initial state, recognized by the accelerator compiler",
  Concat: 'shape computations',
  Sigmoid: 'an LSTM activation name (the LSTM attribute), not the op; a gate of the torch LSTMCell pattern the lstm-cell pass raises',
  Tanh: 'an LSTM activation name (the LSTM attribute), not the op; a gate of the torch LSTMCell pattern the lstm-cell pass raises',
  Split: 'the gates of the torch LSTMCell pattern the lstm-cell pass raises to an LSTM',
  If: 'control flow is structural: inference types it from its branches, fold inlines it, lowering and the executor run its branches',
  Conv: "the runtime's Conv kernel is the op's kernel (its definition, check and reference evaluation) with a product engine for constant float32 weights",
  Gemm: "the runtime's Gemm kernel is the op's kernel (its definition, check and reference evaluation) with a product engine for a constant float32 B",
  MatMul: "the runtime's MatMul kernel is the op's kernel (its definition, check and reference evaluation) with a product engine for a constant 2-D float32 B",
  Log: "the runtime's Log kernel is the op's kernel (its definition, check and reference evaluation) with float32 data on the engine's vector logarithm",
  Add: "the runtime's element-wise kernels (vector-kernels.ts) are the ops' kernels (definition, check and reference evaluation) with float32 data on WebAssembly SIMD",
  Sub: 'an element-wise kernel of the runtime (vector-kernels.ts), as Add',
  Div: 'an element-wise kernel of the runtime (vector-kernels.ts), as Add',
  Pow: 'an element-wise kernel of the runtime (vector-kernels.ts, an exponent of 2), as Add',
  Relu: 'an element-wise kernel of the runtime (vector-kernels.ts), as Add',
  Sqrt: 'an element-wise kernel of the runtime (vector-kernels.ts), as Add',
  Neg: 'an element-wise kernel of the runtime (vector-kernels.ts), as Add',
  Abs: 'an element-wise kernel of the runtime (vector-kernels.ts), as Add',
};

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

describe('one definition per op', () => {
  it('every op of the table lowers to a runtime kernel of its own name (or a special rule), with no per-op lowering code', () => {
    for (const op of OP_KINDS) {
      // If has no rule: lowerToRuntime lowers its branches itself (lower-if.ts), the executor runs them.
      if (op !== 'If') expect(loweringRule(op, ''), op).toBeDefined();
      if (OPS[op].eval) expect(BUILTIN_KERNELS[op]?.name, op).toBe(op);
    }
  });

  it('no source outside packages/ops names an op, except those listed with a reason', () => {
    const roots = ['packages/ir/src', 'packages/passes/src', 'packages/runtime/src', 'packages/backend-js/src', 'packages/backend-accel/src', 'packages/target/src', 'tools/src'];
    const found = new Map<string, string[]>();
    for (const root of roots)
      for (const file of sources(join(REPO, root))) {
        const text = readFileSync(file, 'utf8');
        for (const op of OP_KINDS) {
          if (NAMED_ELSEWHERE[op]) continue;
          if (text.includes(`'${op}'`) || text.includes(`"${op}"`)) found.set(op, [...(found.get(op) ?? []), relative(REPO, file)]);
        }
      }
    expect(Object.fromEntries(found)).toEqual({});
  });

  it('folding and the runtime run the same evaluation: a Where/Erf/Pad chain folded equals it run', async () => {
    const c = (name: string, dims: number[], data: number[]): [string, Tensor] => [name, makeTensor('f32', dims, Float32Array.from(data))];
    const nodes = [
      makeNode({ op: 'Less', name: 'lt', inputs: ['a', 'b'], outputs: ['m'] }),
      makeNode({ op: 'Erf', name: 'erf', inputs: ['a'], outputs: ['e'] }),
      makeNode({ op: 'Where', name: 'where', inputs: ['m', 'e', 'b'], outputs: ['w'] }),
      makeNode({ op: 'Pad', name: 'pad', inputs: ['w', 'pads'], outputs: ['p'], attrs: { mode: { kind: 'string', value: 'reflect' } } }),
      makeNode({ op: 'Add', name: 'out', inputs: ['p', 'x'], outputs: ['y'] }),
    ];
    const g = inferTypes(
      makeGraph({
        opsets: { '': 17 },
        inputs: ['x'],
        outputs: ['y'],
        initializers: [c('a', [2, 3], [-1, 0.5, 2, -0.25, 1, 3]), c('b', [3], [0, 1, -1]), ['pads', makeTensor('i64', [4], BigInt64Array.of(0n, 1n, 0n, 2n))]],
        values: [['x', { name: 'x', type: tensorType('f32', [2, 6]) }]],
        nodes,
      }),
    );
    const x = { dtype: 'f32' as const, shape: [2, 6], data: new Float32Array(12) };
    const unfolded = createModel(lowerToRuntime(g)).run({ x }).y!;
    const folded = await runPipeline(g, parsePipeline('fold', builtinRegistry()));
    expect(folded.graph.nodes.map((n) => n.op)).toEqual(['Add']);
    const viaFold = createModel(lowerToRuntime(folded.graph)).run({ x }).y!;
    expect(Array.from(viaFold.data as Float32Array)).toEqual(Array.from(unfolded.data as Float32Array));
    expect([...unfolded.shape]).toEqual([2, 6]);
  });
});
