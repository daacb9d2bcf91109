import { writeFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { type Graph, exportOnnx, fail, walkNodes } from '@lstmc/ir';
import { makeRuntimeEvaluator } from '@lstmc/backend-js';
import { PRUNE_METHODS, builtinRegistry, dequantizedWeightsGraph, formatReportTable, parsePipeline, prunePass, runPipeline, stripAllAnnotations } from '@lstmc/passes';
import type { Command } from '../command.js';
import { UsageError, stringOpt } from '../command.js';
import { JSON_OPTION, printResult } from '../json-output.js';
import { LOAD_FLAG_OPTIONS, loadFlags, loadModel } from '../load-model.js';
import { readCalibration, targetFromArgs } from '../pass-flags.js';
import { measuredErrors } from '../tolerance.js';

/** Command flags that map one to one onto `prune` pass options. */
const PASSED_THROUGH = ['method', 'sparsity', 'w-sparsity', 'r-sparsity', 'scope', 'block', 'balance', 'max-gap', 'gap-repair'] as const satisfies readonly (keyof typeof prunePass.options)[];

/** True when some LSTM, inside If branches too, reads W or R from a node output (a Constant) rather than an initializer. */
function weightsFromNodes(g: Graph): boolean {
  let found = false;
  walkNodes(g, (n, scopes) => {
    if (n.op !== 'LSTM') return;
    for (const w of [n.inputs[1], n.inputs[2]]) found ||= !!w && !scopes.some((s) => s.initializers.has(w));
  });
  return found;
}

export const prune: Command = {
  name: 'prune',
  summary: 'prune the LSTM weights of an ONNX model and write a valid ONNX model (same graph, pruned weights; --quantize: fixed-point weights)',
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
    'gap-repair': { type: 'string', value: 'true|false', help: "--method balanced without --max-gap: choose each PE's weights so that no gap needs a padding entry, as --max-gap auto (default true; false: each PE's largest weights)" },
    'target-config': { type: 'string', value: 'FILE', help: 'accelerator target (PE count and relIndexBits for --method balanced)' },
    quantize: { type: 'boolean', help: "then quantize (the quantize pass for the target): W and R stored as the target's integers, read through DequantizeLinear (or Cast+Mul)" },
    calibration: { type: 'string', value: 'DIR', help: '--quantize: calibration data (input_N.pb, or test_data_set_*/) for the formats and the measured error' },
    output: { type: 'string', short: 'o', value: 'FILE', help: 'output model (default: MODEL.pruned.onnx, or MODEL.quantized.onnx with --quantize, in the current directory)' },
    quiet: { type: 'boolean', short: 'q', help: 'do not print the per-matrix report' },
    ...JSON_OPTION,
  },
  details:
    'The pipeline run is prune{...} with these options (then quantize with --quantize); see docs/passes.md. LSTMs inside If branches are pruned and quantized too. When an LSTM reads W or R from a node (a Constant) rather than an initializer, fold runs first. torch nn.LSTMCell steps (Gemm, Split, Sigmoid, Tanh arithmetic) are raised to LSTM nodes first (lstm-cell), so the written model has a one-step LSTM in place of each.',
  async run(args, io) {
    const file = args.positionals[0]!;
    const given = PASSED_THROUGH.filter((k) => stringOpt(args, k) !== undefined);
    if (stringOpt(args, 'sparsity') === undefined && !(stringOpt(args, 'w-sparsity') !== undefined && stringOpt(args, 'r-sparsity') !== undefined))
      throw new UsageError('--sparsity S is required (or both --w-sparsity and --r-sparsity)');
    const quantize = args.options.quantize === true;
    const calibDir = stringOpt(args, 'calibration');
    if (calibDir !== undefined && !quantize) throw new UsageError('--calibration is for --quantize');
    const g0 = loadModel(file, io.cwd, loadFlags(args));
    // Passes read LSTM weights from initializers; some exporters (spox: Silero VAD) write them as Constant nodes, which fold hoists.
    const folds = weightsFromNodes(g0);
    // lstm-cell leaves a graph without torch LSTMCell steps as it is
    const text = `lstm-cell,${folds ? 'fold,' : ''}prune{${given.map((k) => `${k}=${stringOpt(args, k)}`).join(',')}}${quantize ? ',quantize' : ''}`;
    const pipeline = parsePipeline(text, builtinRegistry());
    const calibration = calibDir === undefined ? [] : readCalibration(calibDir, g0, io.cwd);
    const run = await runPipeline(g0, pipeline, { target: targetFromArgs(args, io), evaluate: makeRuntimeEvaluator(), calibration });
    const out = stringOpt(args, 'output') ?? `${basename(file, extname(file))}.${quantize ? 'quantized' : 'pruned'}.onnx`;
    const dq = quantize ? dequantizedWeightsGraph(run.graph) : undefined;
    const bytes = exportOnnx(stripAllAnnotations(dq ? dq.graph : run.graph));
    try {
      writeFileSync(resolve(io.cwd, out), bytes);
    } catch (e) {
      fail('E-IO', `cannot write '${out}': ${(e as Error).message}`, { file: out });
    }
    const r = run.results.find((x) => x.pass === 'prune')!;
    const q = run.results.find((x) => x.pass === 'quantize');
    const errors = quantize ? measuredErrors(run.graph) : [];
    const result = {
      model: file,
      output: out,
      step: r.step,
      counters: r.counters,
      reports: r.reports,
      ...(q && dq ? { quantize: { counters: q.counters, reports: q.reports, measuredError: errors.length ? Math.max(...errors) : null, matrices: dq.matrices } } : {}),
    };
    printResult(args, io, result, () => {
      const forms = dq ? [...new Set(dq.matrices.map((m) => `int${m.bits} via ${m.form}`))].join(', ') : '';
      const err = errors.length ? `, measured error ${Math.max(...errors).toExponential(3)}` : dq ? ', no error measured (give --calibration)' : '';
      return [
        ...(args.options.quiet !== true ? [...r.reports, ...(q?.reports ?? [])].map((t) => formatReportTable(t)) : []),
        `wrote ${out} (${r.counters['weights-zeroed']} weights zeroed${dq ? `; ${dq.matrices.length} matrices ${forms}${err}` : ''})`,
      ];
    });
    return 0;
  },
};
