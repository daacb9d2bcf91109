import { resolve } from 'node:path';
import { loadOnnxFile, verifyGraph, DiagnosticError, type Diagnostic, type Graph, type Node } from '@lstmc/ir';

/** Load an ONNX model given on the command line and verify it. */
export function loadModel(path: string, cwd: string): Graph {
  const file = resolve(cwd, path);
  const g = loadOnnxFile(file);
  const errs = verifyGraph(g, { file: path });
  if (errs.length) throw new DiagnosticError(errs[0]);
  return g;
}

/** A node whose type inference failed, with the diagnostic `run` and `compile` would stop at. */
export interface InferProblem {
  readonly node: Node;
  readonly diagnostic: Diagnostic;
}

/**
 * Load an ONNX model for inspection: nodes whose inference fails do not stop the import; their
 * outputs stay untyped and each failure is returned, so a model that parses is always shown.
 */
export function loadModelLenient(path: string, cwd: string): { graph: Graph; problems: InferProblem[] } {
  const problems: InferProblem[] = [];
  const graph = loadOnnxFile(resolve(cwd, path), undefined, { onInferError: (node, diagnostic) => problems.push({ node, diagnostic }) });
  return { graph, problems };
}
