import { writeFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { exportOnnx, fail } from '@lstmc/ir';
import { makeRuntimeEvaluator } from '@lstmc/backend-js';
import { PRUNE_METHODS, builtinRegistry, formatReportTable, parsePipeline, prunePass, runPipeline, stripAllAnnotations } from '@lstmc/passes';
import type { Command } from '../command.js';
import { UsageError, stringOpt } from '../command.js';
import { LOAD_FLAG_OPTIONS, loadFlags, loadModel } from '../load-model.js';
import { targetFromArgs } from '../pass-flags.js';

/** Command flags that map one to one onto `prune` pass options. */
const PASSED_THROUGH = ['method', 'sparsity', 'w-sparsity', 'r-sparsity', 'scope', 'block', 'balance', 'max-gap'] as const satisfies readonly (keyof typeof prunePass.options)[];

export const prune: Command = {
  name: 'prune',
  summary: 'prune the LSTM weights of an ONNX model and write a valid ONNX model (same graph, pruned weights)',
  args: ['MODEL'],
  options: {
    ...LOAD_FLAG_OPTIONS,
    sparsity: { type: 'string', value: 'S', help: 'fraction of weights set to zero, 0..1 (required unless --w-sparsity and --r-sparsity)' },
    method: { type: 'string', value: 'M', help: `${PRUNE_METHODS.join('|')} (default magnitude)` },
    'w-sparsity': { type: 'string', value: 'S', help: 'sparsity of the W (input) matrices (default: --sparsity)' },
    'r-sparsity': { type: 'string', value: 'S', help: 'sparsity of the R (recurrent) matrices (default: --sparsity)' },
    scope: { type: 'string', value: 'per-matrix|global', help: 'magnitude: one threshold per matrix (default) or over all matrices' },
    block: { type: 'string', value: 'RxC', help: 'block shape for --method block (default 4x4)' },
    balance: { type: 'string', value: 'nnz|entries', help: '--method balanced: equal non-zeros per PE (default) or equal encoded entries' },
    'max-gap': { type: 'string', value: 'auto|N', help: '--method balanced: no gap longer than N rows in a PE column, so the sparse encoding needs no padding entries (auto: from the target\'s relIndexBits)' },
    'target-config': { type: 'string', value: 'FILE', help: 'accelerator target (PE count for --method balanced)' },
    output: { type: 'string', short: 'o', value: 'FILE', help: 'output model (default: MODEL.pruned.onnx in the current directory)' },
    quiet: { type: 'boolean', short: 'q', help: 'do not print the per-matrix report' },
  },
  details: 'The pipeline run is prune{...} with these options; see docs/passes.md.',
  async run(args, io) {
    const file = args.positionals[0]!;
    const given = PASSED_THROUGH.filter((k) => stringOpt(args, k) !== undefined);
    if (stringOpt(args, 'sparsity') === undefined && !(stringOpt(args, 'w-sparsity') !== undefined && stringOpt(args, 'r-sparsity') !== undefined))
      throw new UsageError('--sparsity S is required (or both --w-sparsity and --r-sparsity)');
    const text = `prune{${given.map((k) => `${k}=${stringOpt(args, k)}`).join(',')}}`;
    const pipeline = parsePipeline(text, builtinRegistry());
    const run = await runPipeline(loadModel(file, io.cwd, loadFlags(args)), pipeline, { target: targetFromArgs(args, io), evaluate: makeRuntimeEvaluator() });
    const out = stringOpt(args, 'output') ?? `${basename(file, extname(file))}.pruned.onnx`;
    const bytes = exportOnnx(stripAllAnnotations(run.graph));
    try {
      writeFileSync(resolve(io.cwd, out), bytes);
    } catch (e) {
      fail('E-IO', `cannot write '${out}': ${(e as Error).message}`, { file: out });
    }
    if (args.options.quiet !== true) for (const t of run.results[0].reports) io.stdout(`${formatReportTable(t)}\n`);
    io.stdout(`wrote ${out} (${run.results[0].counters['weights-zeroed']} weights zeroed)\n`);
    return 0;
  },
};
