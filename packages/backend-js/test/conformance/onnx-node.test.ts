import { describe, expect, it } from 'vitest';
import { basename, join } from 'node:path';
import { loadOnnxFile } from '@lstmc/ir';
import { loadModel, readRuntimeGraph } from '@lstmc/runtime';
import { writeRuntimeGraph } from '@lstmc/runtime/writer';
import { lowerToRuntime } from '../../src/index.js';
import { caseDirs, maxAbsDiff, readPbs } from '../helpers.js';

/**
 * Every case of ONNX's node tests: model.onnx -> IR -> runtime graph -> .lrg bytes -> read back ->
 * run on test_data_set_0/input_N.pb (graph-input order) -> compare with output_N.pb.
 */
for (const suite of ['onnx-node', 'onnx-node-pr2923', 'onnx-node-ops']) {
  describe(suite, () => {
    for (const dir of caseDirs(suite)) {
      it(basename(dir), () => {
        const g = loadOnnxFile(join(dir, 'model.onnx'));
        const bytes = writeRuntimeGraph(lowerToRuntime(g));
        const model = loadModel(bytes);
        expect(readRuntimeGraph(bytes).inputs.length).toBe(model.inputs.length);
        const data = join(dir, 'test_data_set_0');
        const ins = readPbs(data, 'input');
        const outs = readPbs(data, 'output');
        expect(ins.length).toBe(model.inputs.length);
        expect(outs.length).toBe(model.outputs.length);
        const feed: Record<string, (typeof ins)[number]['tensor']> = {};
        model.inputs.forEach((io, i) => (feed[io.name] = ins[i]!.tensor));
        const got = model.run(feed);
        model.outputs.forEach((io, i) => {
          expect(io.name).toBe(outs[i]!.name);
          const err = maxAbsDiff(got[io.name]!, outs[i]!.tensor);
          expect(err, `${io.name}: max abs error`).toBeLessThanOrEqual(1e-5);
        });
      });
    }
  });
}
