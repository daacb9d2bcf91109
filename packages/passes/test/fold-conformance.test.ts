/**
 * Folding against ONNX's own node test data: every single-node case of
 * ../shared/conformance/onnx-node-ops (files from ONNX's repository) and of
 * packages/ir/test/ops/fixtures/onnx-node (ONNX 1.12's generators, every op of
 * the table) is turned into a constant graph (inputs from input_N.pb become
 * initializers, an Identity keeps each output name) and folded by the ops'
 * reference evaluations; each folded value must equal output_N.pb: exactly
 * for integer and bool outputs, within 1e-5 scaled for float ones (f16
 * exactly, bf16 within 2^-8, as packages/ops/test/onnx-node.test.ts explains).
 * Left out: cases of ops without a reference evaluation (LSTM runs on its own
 * kernel) and those lstmc refuses on purpose (the manifest's `refused`).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeTensorProto, inferTypes, loadOnnxFile, makeGraph, makeNode, opDef, type Graph, type Tensor } from '@lstmc/ir';
import { tensorMismatch } from '@lstmc/testing';
import { builtinRegistry, parsePipeline, runPipeline } from '../src/index.js';

const SHARED = fileURLToPath(new URL('../../../../shared/conformance/onnx-node-ops', import.meta.url));
const OPS_FIXTURES = fileURLToPath(new URL('../../ir/test/ops/fixtures/onnx-node', import.meta.url));

const TOLERANCE: Readonly<Record<string, number>> = { f16: 0, bf16: 2 ** -8 };

interface Manifest {
  readonly cases: readonly { case: string; refused?: string }[];
}

/** Case folders of a root; the manifest, where there is one, names those refused on purpose. */
function caseNames(root: string): string[] {
  if (!existsSync(root)) return [];
  const manifest = join(root, 'MANIFEST.json');
  if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf-8')) as Manifest).cases.filter((c) => !c.refused).map((c) => c.case);
  return readdirSync(root).filter((d) => d.startsWith('test_'));
}

/** A test data tensor; bf16 stored as UINT16 bits (ONNX 1.12's numpy has no bfloat16) is read as bf16 where the model says so. */
function readTensor(file: string, declared: string | undefined): Tensor {
  const t = decodeTensorProto(readFileSync(file), file).tensor;
  if (declared !== 'bf16' || t.dtype !== 'u16') return t;
  return { dtype: 'bf16', dims: t.dims, data: new Float32Array(new Uint32Array(Array.from(t.data as Uint16Array, (b) => b << 16)).buffer) };
}

describe('fold evaluators on ONNX node test data', () => {
  const roots = [SHARED, OPS_FIXTURES].map((root) => ({ root, cases: caseNames(root) }));
  it('the conformance data is present', () => {
    expect(roots[0]!.cases.length).toBeGreaterThan(20);
    expect(roots[1]!.cases.length).toBeGreaterThan(300);
  });
  for (const { root, cases } of roots)
    for (const name of cases) {
      let g: Graph;
      try {
        g = loadOnnxFile(join(root, name, 'model.onnx'));
      } catch (e) {
        it(`${root === SHARED ? 'shared' : 'ops'}: ${name} (import)`, () => {
          throw e;
        });
        continue;
      }
      if (g.nodes.length !== 1 || !opDef(g.nodes[0]!.op, g.nodes[0]!.domain)?.eval) continue;
      it(`${root === SHARED ? 'shared' : 'ops'}: ${name}`, async () => {
        const data = join(root, name, 'test_data_set_0');
        const declared = (v: string) => g.values.get(v)?.type.dtype;
        const inits = new Map(g.initializers);
        g.inputs.forEach((input, i) => inits.set(input, readTensor(join(data, `input_${i}.pb`), declared(input))));
        const node = g.nodes[0]!;
        const outs = node.outputs.map((o) => (o ? `${o}.folded` : ''));
        const kept = node.outputs.filter((o) => o);
        const constant = inferTypes(
          makeGraph({
            name,
            opsets: { ...g.opsets },
            inputs: [],
            outputs: kept,
            initializers: inits,
            values: [],
            nodes: [
              makeNode({ ...node, outputs: outs }),
              ...node.outputs.flatMap((o, i) => (o ? [makeNode({ op: 'Identity', name: `keep_${o}`, inputs: [outs[i]!], outputs: [o] })] : [])),
            ],
          }),
        );
        const run = await runPipeline(constant, parsePipeline('fold', builtinRegistry()));
        g.outputs.forEach((o, i) => {
          const want = readTensor(join(data, `output_${i}.pb`), declared(o));
          const got = run.graph.initializers.get(`${o}.folded`)!;
          expect(got, `folded ${o}`).toBeDefined();
          expect(got.dims).toEqual(want.dims);
          expect(tensorMismatch(got, want, TOLERANCE[want.dtype] ?? 1e-5), o).toBeUndefined();
        });
      });
    }
});
