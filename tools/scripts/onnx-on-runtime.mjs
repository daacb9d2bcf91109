// What the bench scripts that run real ONNX models share (bench-vad.mjs, bench-corpus.mjs): the
// compiler and runtime bundled from source (load-sources.mjs), and an ONNX file's bytes compiled
// with `-O js` into a runtime model, as `lstmc compile --target js` and `lstmc run` would.
import { loadSources } from './load-sources.mjs';

const L = await loadSources([
  "export { importOnnx, decodeTensorProto } from '@lstmc/ir';",
  "export { lowerToRuntime, makeRuntimeEvaluator } from '@lstmc/backend-js';",
  "export { createModel } from '@lstmc/runtime';",
  "export { runPipeline, parsePipeline, presetPipeline, builtinRegistry } from '@lstmc/passes';",
]);

/** An ONNX TensorProto file's tensor (its dtype, dims and data). */
export const decodeTensorProto = L.decodeTensorProto;

/**
 * The runtime model of ONNX `bytes` (`file` names them in diagnostics; external data, as torch's dynamo
 * exporter writes it, is read from `baseDir`), compiled with `pipeline` (default: the -O js preset)
 * and loaded with `load` options.
 */
export async function onnxOnRuntime(bytes, file, load = {}, pipeline = L.presetPipeline('js'), baseDir = undefined) {
  const g = L.importOnnx(bytes, { file, ...(baseDir ? { baseDir } : {}) });
  const compiled = (await L.runPipeline(g, L.parsePipeline(pipeline, L.builtinRegistry()), { evaluate: L.makeRuntimeEvaluator() })).graph;
  return L.createModel(L.lowerToRuntime(compiled), load);
}
