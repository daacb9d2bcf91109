import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeTensorProto, loadOnnxFile, updateGraph, type Graph, type Tensor } from '@lstmc/ir';

/** ONNX's conformance data, in the shared/ folder beside the repository. */
export const CONFORMANCE = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/conformance');

export interface Case {
  readonly name: string;
  readonly graph: Graph;
  /** Non-constant inputs (X, sequence_lens, initial states) by graph input name. */
  readonly inputs: Map<string, Tensor>;
  readonly expected: Map<string, Tensor>;
}

/** Graph inputs in these positions of an LSTM are weights: bound as initializers. */
const WEIGHT_SLOTS = [1, 2, 3, 7];

/** Every LSTM case of the conformance folders, with W, R, B and P bound as initializers. */
export function lstmCases(): Case[] {
  const out: Case[] = [];
  for (const suite of ['onnx-node', 'onnx-node-pr2923']) {
    const dir = join(CONFORMANCE, suite);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((d) => d.startsWith('test_lstm')).sort()) {
      const g0 = loadOnnxFile(join(dir, name, 'model.onnx'));
      const data = join(dir, name, 'test_data_set_0');
      const ins = g0.inputs.filter((i) => !g0.initializers.has(i));
      const inputs = new Map<string, Tensor>();
      ins.forEach((nm, k) => inputs.set(nm, decodeTensorProto(readFileSync(join(data, `input_${k}.pb`)), nm).tensor));
      const expected = new Map<string, Tensor>();
      g0.outputs.forEach((nm, k) => expected.set(nm, decodeTensorProto(readFileSync(join(data, `output_${k}.pb`)), nm).tensor));
      const lstm = g0.nodes.find((n) => n.op === 'LSTM')!;
      const consts = new Set(WEIGHT_SLOTS.map((s) => lstm.inputs[s]).filter((v) => v && inputs.has(v)));
      const inits = new Map(g0.initializers);
      for (const c of consts) {
        inits.set(c, inputs.get(c)!);
        inputs.delete(c);
      }
      const graph = updateGraph(g0, { inputs: g0.inputs.filter((i) => !consts.has(i)), initializers: inits });
      out.push({ name: `${suite}/${name}`, graph, inputs, expected });
    }
  }
  return out;
}
