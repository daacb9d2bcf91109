/**
 * Folding against ONNX's own node test data: every single-node case of
 * ../shared/conformance/onnx-node-ops is turned into a constant graph
 * (inputs from input_N.pb become initializers, an Identity keeps the output
 * name) and folded by the ops' reference evaluations; the folded value
 * must equal output_N.pb: exactly for integer outputs, within 1e-5 for float
 * ones.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeTensorProto, inferTypes, loadOnnxFile, makeGraph, makeNode, type Tensor } from '@lstmc/ir';
import { builtinRegistry, parsePipeline, runPipeline } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../../../shared/conformance/onnx-node-ops', import.meta.url));

function numbers(t: Tensor): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}

describe('fold evaluators on ONNX node test data', () => {
  const cases = existsSync(ROOT) ? readdirSync(ROOT).filter((d) => d.startsWith('test_')) : [];
  it('the conformance data is present', () => expect(cases.length).toBeGreaterThan(20));
  let covered = 0;
  for (const name of cases) {
    const g = loadOnnxFile(join(ROOT, name, 'model.onnx'));
    if (g.nodes.length !== 1) continue;
    const exact = !['f32', 'f64'].includes(g.values.get(g.outputs[0])?.type.dtype ?? 'f32');
    covered++;
    it(name, async () => {
      const data = join(ROOT, name, 'test_data_set_0');
      const inits = new Map(g.initializers);
      g.inputs.forEach((input, i) => inits.set(input, decodeTensorProto(readFileSync(join(data, `input_${i}.pb`)), 'input').tensor));
      const node = g.nodes[0];
      const outs = node.outputs.map((o) => `${o}.folded`);
      const constant = inferTypes(
        makeGraph({
          name,
          opsets: { ...g.opsets },
          inputs: [],
          outputs: node.outputs,
          initializers: inits,
          values: [],
          nodes: [
            makeNode({ ...node, outputs: outs }),
            ...node.outputs.map((o, i) => makeNode({ op: 'Identity', name: `keep_${o}`, inputs: [outs[i]], outputs: [o] })),
          ],
        }),
      );
      const run = await runPipeline(constant, parsePipeline('fold', builtinRegistry()));
      expect(run.results[0].counters['nodes-folded']).toBe(1);
      node.outputs.forEach((o, i) => {
        const want = decodeTensorProto(readFileSync(join(data, `output_${i}.pb`)), 'output').tensor;
        const got = run.graph.initializers.get(outs[i])!;
        expect(got.dims).toEqual(want.dims);
        expect(got.dtype).toBe(want.dtype);
        if (exact) expect(numbers(got)).toEqual(numbers(want));
        else {
          const a = numbers(got);
          const b = numbers(want);
          expect(Math.max(...a.map((v, k) => Math.abs(v - b[k])))).toBeLessThanOrEqual(1e-5);
        }
      });
    });
  }
  it('covers every single-node case of the data', () => expect(covered).toBe(cases.length));
});
