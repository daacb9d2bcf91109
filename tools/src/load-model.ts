import { resolve } from 'node:path';
import { loadOnnxFile, verifyGraph, DiagnosticError, type Diagnostic, type Graph, type Node } from '@lstmc/ir';

import type { OptionSpec, ParsedArgs } from './command.js';
import { flag } from './command.js';

export interface LoadFlags {
  /** --allow-nonfinite: accept NaN and infinite weights (and, for run, inputs and outputs). */
  readonly allowNonFinite?: boolean;
}

/** The loader flags of the commands that compute with a model (compile, run, ir, prune). */
export const LOAD_FLAG_OPTIONS = {
  'allow-nonfinite': {
    type: 'boolean',
    help: 'accept NaN and infinite weights (refused by default: every output they reach would be NaN); run: warn about non-finite inputs and outputs instead of refusing them',
  },
} as const satisfies Record<string, OptionSpec>;

export function loadFlags(args: ParsedArgs): LoadFlags {
  return { allowNonFinite: flag(args, 'allow-nonfinite') };
}

/** Load an ONNX model given on the command line and verify it. */
export function loadModel(path: string, cwd: string, flags: LoadFlags = {}): Graph {
  const file = resolve(cwd, path);
  const g = loadOnnxFile(file, undefined, { allowNonFinite: flags.allowNonFinite ?? false });
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
  // inspect shows a model with NaN weights (the finite policy is for commands that compute with them)
  const graph = loadOnnxFile(resolve(cwd, path), undefined, { allowNonFinite: true, onInferError: (node, diagnostic) => problems.push({ node, diagnostic }) });
  return { graph, problems };
}
