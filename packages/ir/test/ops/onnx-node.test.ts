/**
 * Every op definition against ONNX's own node test data (fixtures/onnx-node,
 * written by fixtures/make_onnx_node_cases.py from ONNX 1.12's generators,
 * whose expected outputs are ONNX's numpy reference). For each single-node
 * case the op's `infer` runs on the inputs' types with their values known as
 * constants and must give each output's exact dtype and shape; the IR's import
 * (the same `infer`, values unknown) must give a compatible type; `eval` on the
 * inputs must give output_N.pb: exactly for integer and bool outputs, within
 * 1e-5 scaled (absolute up to magnitude 1, relative above; float32 results
 * against numpy's float64 math) for float ones. Cases whose expected output is
 * rounded to float16 or bfloat16 get that type's precision (2^-10, 2^-7).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeTensorProto, importOnnx, opAttrValues, parseAttrs, toOpTensor, type Diagnostic } from '@lstmc/ir';
import { tensorMismatch } from '@lstmc/testing';
import { opDef, type Dim, type OpTensor, type TensorType } from '@lstmc/ops';
import { codeOf, inferContext } from '../../../ops/test/helpers/infer-context.js';

const ROOT = fileURLToPath(new URL('./fixtures/onnx-node', import.meta.url));

interface Manifest {
  /** `refused`: the diagnostic code lstmc refuses the case with, on purpose (training-mode ops). */
  readonly cases: readonly { case: string; op: string; opset: number; refused?: string }[];
}

/** Per output dtype: f16 exact (numpy rounds to nearest even, as lstmc); bf16 one unit of its 8-bit precision, ONNX 1.12 truncating where the spec rounds. */
const TOLERANCE: Readonly<Record<string, number>> = { f16: 0, bf16: 2 ** -8 };


/**
 * A test data tensor; ONNX 1.12 writes bfloat16 data as UINT16 tensors of its bits
 * (numpy has no bfloat16), which are read back as bf16 where the model declares bf16.
 */
function readTensor(file: string, declared: string | undefined): OpTensor {
  const t = toOpTensor(decodeTensorProto(readFileSync(file), file).tensor);
  if (declared !== 'bf16' || t.dtype !== 'u16') return t;
  const bits = new Uint32Array(Array.from(t.data as Uint16Array, (b) => b << 16));
  return { dtype: 'bf16', shape: t.shape, data: new Float32Array(bits.buffer) };
}

function formatTypeOf(t: { dtype: string; shape: readonly Dim[] | undefined }): string {
  return `${t.dtype}${t.shape ? `[${t.shape.join(',')}]` : '*'}`;
}

/** Same dtype, same rank, equal wherever both dims are numbers. */
function compatible(a: TensorType, want: OpTensor): boolean {
  if (a.dtype !== want.dtype) return false;
  if (!a.shape) return true;
  return a.shape.length === want.shape.length && a.shape.every((d, i) => typeof d !== 'number' || d === want.shape[i]);
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'MANIFEST.json'), 'utf-8')) as Manifest;

describe('op definitions on ONNX node test data', () => {
  it('the fixtures are present and every case folder is in the manifest', () => {
    const dirs = readdirSync(ROOT).filter((d) => d.startsWith('test_'));
    expect(manifest.cases.length).toBeGreaterThan(300);
    expect(dirs.sort()).toEqual(manifest.cases.map((c) => c.case).sort());
  });

  for (const { case: name, op, refused: refusal } of manifest.cases) {
    it(`${op}: ${name}${refusal ? ` (refused: ${refusal})` : ''}`, () => {
      const dir = join(ROOT, name);
      const file = join(dir, 'model.onnx');
      const importErrors: Diagnostic[] = [];
      const g = importOnnx(readFileSync(file), { file, onInferError: (_node, d) => importErrors.push(d) });
      expect(g.nodes.length).toBe(1);
      const node = g.nodes[0]!;
      const def = opDef(node.op, node.domain);
      expect(def, `${node.op} is in the op table`).toBeDefined();
      const data = join(dir, 'test_data_set_0');
      const byName = new Map<string, OpTensor>();
      const declared = (v: string) => g.values.get(v)?.type.dtype;
      g.inputs.forEach((input, i) => byName.set(input, readTensor(join(data, `input_${i}.pb`), declared(input))));
      for (const [k, t] of g.initializers) byName.set(k, toOpTensor(t));
      const want = new Map<string, OpTensor>(g.outputs.map((o, i) => [o, readTensor(join(data, `output_${i}.pb`), declared(o))]));
      const inputs = node.inputs.map((i) => (i ? byName.get(i) : undefined));
      const opset = g.opsets[''] ?? 0;
      const inferKnown = () => {
        const attrs = opAttrValues(parseAttrs(node, def!));
        return { attrs, types: def!.infer(inferContext({ op: node.op, name: node.name, outputs: node.outputs }, inputs, attrs, opset)) };
      };

      if (refusal) {
        const code = importErrors[0]?.code ?? codeOf(inferKnown);
        expect(code, 'diagnostic code of the refusal').toBe(refusal);
        return;
      }
      expect(importErrors.map((d) => `error[${d.code}]: ${d.message}`), 'import-time inference').toEqual([]);
      const { attrs, types } = inferKnown();
      node.outputs.forEach((o, i) => {
        const w = want.get(o);
        if (!o || !w) return;
        const t = types[i];
        expect(t && formatTypeOf(t), `inferred type of output ${i} (inputs known)`).toBe(formatTypeOf(w));
        const imported = g.values.get(o)!.type;
        expect(compatible(imported, w), `imported type ${formatTypeOf(imported)} of output ${i} vs ${formatTypeOf(w)}`).toBe(true);
      });

      if (!def!.eval) return;
      const got = def!.eval({
        inputs,
        attrs,
        opset,
        wanted: node.outputs.map((o) => o !== ''),
        fail: (message) => {
          throw new Error(`eval failed: ${message}`);
        },
      });
      node.outputs.forEach((o, i) => {
        const w = want.get(o);
        if (!o || !w) return;
        const t = got[i];
        expect(t, `eval produced output ${i}`).toBeDefined();
        expect([...t!.shape], `shape of output ${i}`).toEqual([...w.shape]);
        expect(tensorMismatch(t!, w, TOLERANCE[w.dtype] ?? 1e-5), `output ${i}`).toBeUndefined();
      });
    });
  }
});
