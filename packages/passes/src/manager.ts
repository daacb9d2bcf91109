/**
 * The pass manager: checks requirements before anything runs, runs each
 * step with a fresh context, verifies the graph after every step that
 * changed it (identity comparison), strips the annotations of invalidated
 * properties, records established properties in graph metadata, and calls
 * instrumentation hooks around every step.
 */
import * as ir from '@lstmc/ir';
import { type Diagnostic, type Graph, DiagnosticError, diag, fail, isDiagnosticError, updateGraph, verifyGraph } from '@lstmc/ir';
import { type Target, defaultTarget } from '@lstmc/target';
import { PROPERTY_ANNOTATIONS, dropAnnotations } from './annotations.js';
import type { CalibrationSample, PassContext, ReportTable } from './pass.js';
import type { ProgressSink } from './progress.js';
import type { OptionSchema, OptionValues } from './options.js';
import { type Pipeline, type PipelineStep, applyEffects, checkRequirements, printStep } from './pipeline/index.js';
import { type GraphEvaluator, missingEvaluator } from './calibration/evaluator.js';
import { PROPERTIES_KEY, formatProperties, graphProperties } from './properties.js';

export interface PassResult {
  readonly pass: string;
  /** Canonical text of the step, e.g. `prune{sparsity=0.9}`. */
  readonly step: string;
  readonly plugin?: string;
  readonly changed: boolean;
  readonly ms: number;
  readonly counters: Readonly<Record<string, number>>;
  readonly reports: readonly ReportTable[];
}

export interface StepEvent {
  readonly index: number;
  readonly step: PipelineStep;
  readonly plugin?: string;
}

/** Hooks called by the manager; printing IR, timing and reproducers are instrumentations. */
export interface Instrumentation {
  beforePass?(ev: StepEvent, graph: Graph): void;
  afterPass?(ev: StepEvent, graph: Graph, result: PassResult): void;
  /** Called with the graph the failing step received; the error is rethrown afterwards. */
  onFailure?(ev: StepEvent, graphBefore: Graph, error: unknown): void | Promise<void>;
}

export interface RunOptions {
  readonly target?: Target;
  readonly calibration?: readonly CalibrationSample[];
  /**
   * Runs graphs for the passes that need values computed: the calibration
   * traces of sparsity, quantize and delta (and plugin passes that call
   * ctx.evaluate). Passes cannot execute graphs themselves (that is a back
   * end's job): lstmc's commands give `makeRuntimeEvaluator()` of
   * @lstmc/backend-js. Without one, a pass that must run a graph fails with
   * `E-PASS-NO-EVALUATOR`.
   */
  readonly evaluate?: GraphEvaluator;
  readonly instrumentations?: readonly Instrumentation[];
  /** Plugin of each pass name (from the registry), to name plugins in errors. */
  readonly pluginOf?: (pass: string) => string | undefined;
  /** Verify after each changed step (default true). */
  readonly verify?: boolean;
  /** Receives each step's start and the progress its pass reports (stage = pass name). */
  readonly progress?: ProgressSink;
}

export interface PipelineRun {
  readonly graph: Graph;
  readonly results: readonly PassResult[];
}

function who(pass: string, plugin: string | undefined): string {
  return plugin ? `pass '${pass}' of plugin '${plugin}'` : `pass '${pass}'`;
}

/**
 * Run the pipeline on `input`. Not async itself: the steps run in `runSteps`, which holds only the
 * current graph, so a graph every later step has replaced (weights pruned) can be freed mid-run
 * (an async frame keeps its parameters alive across every await).
 */
export function runPipeline(input: Graph, pipeline: Pipeline, opts: RunOptions = {}): Promise<PipelineRun> {
  try {
    checkRequirements(pipeline, graphProperties(input));
  } catch (e) {
    return Promise.reject(e);
  }
  return runSteps(input, graphProperties(input), pipeline, opts);
}

async function runSteps(g: Graph, props: ReturnType<typeof graphProperties>, pipeline: Pipeline, opts: RunOptions): Promise<PipelineRun> {
  const target = opts.target ?? defaultTarget;
  const calibration = opts.calibration ?? [];
  const hooks = opts.instrumentations ?? [];
  const results: PassResult[] = [];
  for (const [index, step] of pipeline.steps.entries()) {
    const name = step.pass.name;
    const plugin = opts.pluginOf?.(name);
    const ev: StepEvent = { index, step, ...(plugin ? { plugin } : {}) };
    for (const h of hooks) h.beforePass?.(ev, g);
    const counters: Record<string, number> = {};
    for (const c of Object.keys(step.pass.counters)) counters[c] = 0;
    const reports: ReportTable[] = [];
    const failAs = (code: string, message: string, field?: string): never =>
      fail(code, `${plugin ? who(name, plugin) : name}: ${message}`, { field: field ?? name, ...(plugin ? { file: plugin } : {}) });
    const ctx: PassContext<OptionValues<OptionSchema>> = {
      options: step.options,
      target,
      calibration,
      evaluate: opts.evaluate ?? missingEvaluator(failAs),
      ir,
      count(counter, value = 1) {
        if (!(counter in counters)) throw new Error(`${who(name, plugin)} counts undeclared counter '${counter}'`);
        counters[counter] += value;
      },
      report(t) {
        reports.push(t);
      },
      progress(item, done, total) {
        opts.progress?.({ stage: name, item, done, total });
      },
      fail: failAs,
    };
    const before = g;
    opts.progress?.({ stage: name, item: '', done: 0, total: 0 });
    const t0 = performance.now();
    let out: Graph;
    try {
      out = await step.pass.run(g, ctx);
      if (!out || typeof out !== 'object' || !Array.isArray(out.nodes) || !(out.initializers instanceof Map))
        fail('E-PASS-RESULT', `${who(name, plugin)} did not return a graph`, { field: name });
      if (out !== before && opts.verify !== false) {
        const problems = verifyGraph(out);
        if (problems.length) throw invalidGraph(name, plugin, problems);
      }
    } catch (e) {
      const err = isDiagnosticError(e) || !plugin ? e : pluginThrew(name, plugin, e);
      for (const h of hooks) await h.onFailure?.(ev, before, err);
      throw err;
    }
    const ms = performance.now() - t0;
    const changed = out !== before;
    if (changed) {
      const dropped = step.pass.invalidates.flatMap((p) => (p in PROPERTY_ANNOTATIONS ? PROPERTY_ANNOTATIONS[p as keyof typeof PROPERTY_ANNOTATIONS] : []));
      out = dropAnnotations(out, dropped);
    }
    applyEffects(props, step);
    const recorded = formatProperties(props);
    if ((out.metadata[PROPERTIES_KEY] ?? '') !== recorded) out = updateGraph(out, { metadata: { ...out.metadata, [PROPERTIES_KEY]: recorded } });
    g = out;
    const result: PassResult = { pass: name, step: printStep(step), ...(plugin ? { plugin } : {}), changed, ms, counters, reports };
    results.push(result);
    for (const h of hooks) h.afterPass?.(ev, g, result);
  }
  return { graph: g, results };
}

function invalidGraph(pass: string, plugin: string | undefined, problems: readonly Diagnostic[]): DiagnosticError {
  const first = problems[0];
  return new DiagnosticError(
    diag(
      plugin ? 'E-PLUGIN-INVALID-GRAPH' : 'E-PASS-INVALID-GRAPH',
      `${who(pass, plugin)} produced an invalid graph: [${first.code}] ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
      { ...first.loc, ...(plugin ? { file: plugin } : {}) },
    ),
  );
}

function pluginThrew(pass: string, plugin: string, e: unknown): DiagnosticError {
  const msg = e instanceof Error ? e.message : String(e);
  return new DiagnosticError(diag('E-PLUGIN-THREW', `${who(pass, plugin)} threw: ${msg}`, { file: plugin, field: pass }));
}

/** Requirements alone, without running: throws the first unmet one. */
export function checkPipeline(input: Graph, pipeline: Pipeline): void {
  checkRequirements(pipeline, graphProperties(input));
}
