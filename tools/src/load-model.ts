import { resolve } from 'node:path';
import { loadOnnxFile, verifyGraph, DiagnosticError, type Graph } from '@lstmc/ir';

/** Load an ONNX model given on the command line and verify it. */
export function loadModel(path: string, cwd: string): Graph {
  const file = resolve(cwd, path);
  const g = loadOnnxFile(file);
  const errs = verifyGraph(g, { file: path });
  if (errs.length) throw new DiagnosticError(errs[0]);
  return g;
}
