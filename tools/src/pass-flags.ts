/**
 * The pass-pipeline flags shared by commands that run passes (compile):
 * -O/--preset, --pipeline, --plugin, --print-pipeline, --print-ir-*,
 * --pass-timing, --pass-reports, --calibration, --target-config,
 * --error-budget, --reproducer. `runPassFlags` parses them and runs the
 * pipeline; on a pass failure it writes a reproducer before re-throwing.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { type Graph, type Tensor, checkFiniteConstants, decodeTensorProto, fail, parseGraph, printGraph } from '@lstmc/ir';
import type { LoadFlags } from './load-model.js';
import { makeRuntimeEvaluator } from '@lstmc/backend-js';
import {
  type CalibrationSample,
  type Instrumentation,
  type Pipeline,
  type PipelineRun,
  type ProgressSink,
  type Registry,
  builtinRegistry,
  formatPassTiming,
  formatReportTable,
  loadPlugin,
  makeReproducer,
  parsePipeline,
  presetPipeline,
  printIrInstrumentation,
  printPipeline,
  reproducerPipeline,
  runPipeline,
} from '@lstmc/passes';
import { type Target, defaultTarget, loadTargetFile } from '@lstmc/target';
import type { Io, OptionSpec, ParsedArgs } from './command.js';
import { UsageError, flag, listOpt, stringOpt } from './command.js';
import { bindInputs, shapeInputs } from './bind-inputs.js';
import { writeReproducerFile } from './reproducer-file.js';
import { wantsJson } from './json-output.js';

export const PASS_FLAG_OPTIONS = {
  preset: { type: 'string', short: 'O', value: 'PRESET', help: 'named pipeline preset: 0, js, accel (see --print-pipeline)' },
  pipeline: { type: 'string', value: 'TEXT', help: "pass pipeline, e.g. 'fold,prune{method=balanced,sparsity=0.9},encode'" },
  plugin: { type: 'string', multiple: true, value: 'MODULE', help: 'load passes from an ES module path or package name' },
  'print-pipeline': { type: 'boolean', help: 'print the pipeline text that will run (presets expanded)' },
  'print-ir-before': { type: 'string', multiple: true, value: 'PASS', help: 'dump the IR (stderr) before each run of PASS' },
  'print-ir-after': { type: 'string', multiple: true, value: 'PASS', help: 'dump the IR (stderr) after each run of PASS' },
  'print-ir-after-all': { type: 'boolean', help: 'dump the IR after every pass' },
  'print-ir-after-change': { type: 'boolean', help: 'dump the IR after every pass that changed it' },
  'pass-timing': { type: 'boolean', help: 'print a table of pass times and counters (stderr)' },
  'pass-reports': { type: 'boolean', help: "print the passes' report tables (sparsity, decisions, sizes, errors)" },
  calibration: { type: 'string', value: 'DIR', help: 'calibration data: input_N.pb files, or sub-folders of them (one set each)' },
  'target-config': { type: 'string', value: 'FILE', help: 'accelerator target description (JSON); default: built-in target' },
  'error-budget': { type: 'string', value: 'E', help: "quantize fails when a layer output error exceeds E; select-mode{cost=cpu} keeps f32 weights for a layer whose int8 error exceeds E" },
  bind: { type: 'string', multiple: true, value: 'NAME=V', help: 'make graph input NAME the constant V (comma-separated values) before the passes; what depends on it folds away' },
  'input-shape': {
    type: 'string',
    multiple: true,
    value: 'NAME=D,..',
    help: "make graph input NAME's shape static (comma-separated dims; a symbolic dim it declares takes that size in every input); shape-dependent If nodes fold away",
  },
  reproducer: { type: 'string', value: 'FILE', help: 'where a failing pass writes its reproducer (default: next to the model, NAME.reproducer.lir or the first free NAME.reproducer.N.lir)' },
} as const satisfies Record<string, OptionSpec>;

/** The target of --target-config, or the built-in default. */
export function targetFromArgs(args: ParsedArgs, io: Io): Target {
  const f = stringOpt(args, 'target-config');
  return f === undefined ? defaultTarget : loadTargetFile(resolve(io.cwd, f));
}

/** A model file: ONNX, or textual IR (`.lir`, e.g. a reproducer). */
export function isTextIr(file: string): boolean {
  return extname(file) === '.lir';
}

export function loadTextIr(file: string, cwd: string, flags: LoadFlags = {}): { graph: Graph; pipeline: string | undefined } {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (e) {
    return fail('E-IO', `cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { file });
  }
  const graph = parseGraph(text, { file });
  if (!flags.allowNonFinite) checkFiniteConstants(graph, 'E-TEXT-NONFINITE', { file });
  return { graph, pipeline: reproducerPipeline(text) };
}

/** Calibration samples from DIR (input_N.pb) or DIR/* (one set per sub-folder), bound to graph inputs in order. */
export function readCalibration(dir: string, g: Graph, cwd: string): CalibrationSample[] {
  const root = resolve(cwd, dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) fail('E-CALIB-DIR', `calibration folder '${dir}' does not exist`, { file: dir });
  const sets = existsSync(join(root, 'input_0.pb'))
    ? [root]
    : readdirSync(root)
        .sort()
        .map((d) => join(root, d))
        .filter((d) => statSync(d).isDirectory() && existsSync(join(d, 'input_0.pb')));
  if (sets.length === 0) fail('E-CALIB-DIR', `calibration folder '${dir}' has no input_0.pb (nor sub-folders with one)`, { file: dir });
  const inputs = g.inputs.filter((i) => !g.initializers.has(i));
  return sets.map((s) => {
    const sample = new Map<string, Tensor>();
    inputs.forEach((name, k) => {
      const f = join(s, `input_${k}.pb`);
      if (!existsSync(f)) fail('E-CALIB-INPUT', `calibration set '${s}' lacks input_${k}.pb for graph input '${name}'`, { file: f });
      sample.set(name, decodeTensorProto(readFileSync(f), f).tensor);
    });
    return sample;
  });
}

export interface PassFlagsResult extends PipelineRun {
  readonly pipeline: Pipeline;
}

/**
 * Resolve the pipeline of the flags (`fallback` when neither -O nor
 * --pipeline is given) and run it on the graph. Prints what the print flags ask
 * for; writes a reproducer when a pass fails. Given as a function, the graph is
 * loaded once the plugins are, and no frame here keeps it: weights a pass
 * replaces (prune) can be freed while the pipeline runs.
 */
export async function runPassFlags(
  graph: Graph | (() => Graph),
  args: ParsedArgs,
  io: Io,
  o: { file: string; fallback?: string; progress?: ProgressSink },
): Promise<PassFlagsResult> {
  const load = typeof graph === 'function' ? graph : () => graph;
  const presetName = stringOpt(args, 'preset');
  const text = stringOpt(args, 'pipeline');
  if (presetName !== undefined && text !== undefined) throw new UsageError('give either -O PRESET or --pipeline TEXT, not both');
  const pipelineText = text ?? (presetName !== undefined ? presetPipeline(presetName) : (o.fallback ?? ''));
  let reg: Registry = builtinRegistry();
  for (const p of listOpt(args, 'plugin')) reg = await loadPlugin(p, reg, { cwd: io.cwd });
  let pipeline = parsePipeline(pipelineText, reg);
  const budget = stringOpt(args, 'error-budget');
  if (budget !== undefined) pipeline = withErrorBudget(pipeline, budget);
  // With --json the pipeline and the reports are part of the command's JSON document (passResultsJson).
  const json = wantsJson(args);
  if (flag(args, 'print-pipeline') && !json) io.stdout(`${printPipeline(pipeline)}\n`);
  const run = await startPipeline(load, pipeline, reg, args, io, o);
  if (flag(args, 'pass-reports') && !json) for (const r of run.results) for (const t of r.reports) io.stdout(`${formatReportTable(t)}\n`);
  if (flag(args, 'pass-timing')) io.stderr(`${formatPassTiming(run.results)}\n`);
  return { ...run, pipeline };
}

/** The input graph (inputs bound and shaped) and its calibration, handed to runPipeline; not async, so no frame outlives the call holding the graph. */
function startPipeline(load: () => Graph, pipeline: Pipeline, reg: Registry, args: ParsedArgs, io: Io, o: { file: string; progress?: ProgressSink }): Promise<PipelineRun> {
  const g = bindInputs(shapeInputs(load(), listOpt(args, 'input-shape'), o.file), listOpt(args, 'bind'), o.file);
  const calibDir = stringOpt(args, 'calibration');
  const calibration = calibDir === undefined ? [] : readCalibration(calibDir, g, io.cwd);
  const instrumentations: Instrumentation[] = [
    printIrInstrumentation({
      before: listOpt(args, 'print-ir-before'),
      after: listOpt(args, 'print-ir-after'),
      afterAll: flag(args, 'print-ir-after-all'),
      afterChange: flag(args, 'print-ir-after-change'),
      print: (x) => printGraph(x),
      write: io.stderr,
    }),
    reproducerWriter(pipeline, io, o.file, stringOpt(args, 'reproducer')),
  ];
  return runPipeline(g, pipeline, {
    target: targetFromArgs(args, io),
    calibration,
    // Passes cannot execute graphs; the CLI gives them the JS runtime (calibration traces, fold).
    evaluate: makeRuntimeEvaluator(),
    instrumentations,
    pluginOf: (n) => reg.passes.get(n)?.plugin,
    ...(o.progress ? { progress: o.progress } : {}),
  });
}

/** The pipeline run as --json prints it: the pipeline text and each pass's counters and report tables. */
export function passResultsJson(run: PassFlagsResult) {
  return {
    pipeline: printPipeline(run.pipeline),
    passes: run.results.map((r) => ({ pass: r.pass, step: r.step, ...(r.plugin ? { plugin: r.plugin } : {}), changed: r.changed, ms: r.ms, counters: r.counters, reports: r.reports })),
  };
}

/** --error-budget sets the `error-budget` of quantize and select-mode wherever the pipeline text did not. */
function withErrorBudget(p: Pipeline, text: string): Pipeline {
  const v = Number(text);
  if (!(v >= 0)) throw new UsageError(`--error-budget needs a non-negative number, got '${text}'`);
  return {
    steps: p.steps.map((s) =>
      // Recorded as explicit, so printed pipelines (and reproducers) carry the budget.
      (s.pass.name === 'quantize' || s.pass.name === 'select-mode') && !s.explicit.includes('error-budget')
        ? { ...s, options: { ...s.options, 'error-budget': v }, explicit: Object.keys(s.pass.options).filter((k) => k === 'error-budget' || s.explicit.includes(k)) }
        : s,
    ),
  };
}

function reproducerWriter(pipeline: Pipeline, io: Io, model: string, explicit: string | undefined): Instrumentation {
  return {
    onFailure(ev, before, error) {
      const msg = error instanceof Error ? error.message : String(error);
      const text = makeReproducer({ pipeline, failedStep: ev.index, irText: printGraph(before, { elideAbove: Infinity }), error: msg });
      const file = writeReproducerFile(model, io.cwd, text, explicit);
      io.stderr(file === undefined ? `note: could not write a reproducer${explicit === undefined ? ` next to ${model}` : ` to ${explicit}`}\n` : `note: wrote reproducer ${file} (run: lstmc compile ${file})\n`);
    },
  };
}
