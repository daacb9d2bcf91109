/**
 * The pass interface: a plain declared object. Built-in passes and plugin
 * passes implement exactly this.
 */
import type * as IR from '@lstmc/ir';
import type { Graph, Tensor } from '@lstmc/ir';
import type { Target } from '@lstmc/target';
import type { OptionSchema, OptionValues } from './options.js';
import type { GraphEvaluator } from './calibration/evaluator.js';
import type { Property } from './properties.js';

/** One calibration sample: graph input name -> tensor (an `input_N.pb` set). */
export type CalibrationSample = ReadonlyMap<string, Tensor>;

/** A table a pass reports (per matrix, per gate, per layer). Printed by the CLI. */
export interface ReportTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

export interface PassContext<O = Readonly<Record<string, unknown>>, C extends string = string> {
  /** The pass's options, typed and with defaults applied. */
  readonly options: O;
  /** The accelerator target (built-in defaults unless a target file was given). */
  readonly target: Target;
  /** Calibration samples; empty when none were given. */
  readonly calibration: readonly CalibrationSample[];
  /** Computes values of a graph on one sample (the evaluator the pipeline run was given, see RunOptions.evaluate). */
  readonly evaluate: GraphEvaluator;
  /** Add `value` to one of the pass's declared counters. */
  count(counter: C, value?: number): void;
  /** Attach a report table to this pass's results. */
  report(table: ReportTable): void;
  /** Say which item (matrix, layer) the pass starts now, `done` of `total` being finished; cheap, call per item. */
  progress(item: string, done: number, total: number): void;
  /**
   * The IR library (graph/tensor constructors, verifier). Plugins use this
   * instead of importing their own copy of @lstmc/ir.
   */
  readonly ir: typeof IR;
  /** Report a user error attributed to this pass (never returns). */
  fail(code: string, message: string, field?: string): never;
  /**
   * True when the graph is an If branch the pass reaches inside the model (built-in LSTM passes do):
   * `calibration` then holds the outer values the branch reads, as its inputs, on each outer sample
   * that takes the branch (empty when none does).
   */
  readonly inBranch?: boolean;
}

/**
 * A pass. `run` returns a new graph, or the same graph object when nothing
 * changed (the manager uses that identity to skip verification and
 * --print-ir-after-change dumps).
 */
export interface PassDef<O extends OptionSchema = OptionSchema, C extends string = string> {
  readonly name: string;
  readonly summary: string;
  readonly options: O;
  /** Properties that must hold before the pass runs (checked before any pass runs). */
  readonly requires: readonly Property[];
  /** Properties that hold after the pass. */
  readonly establishes: readonly Property[];
  /** Requirements that depend on option values (added to `requires`). */
  requiresWhen?(options: OptionValues<O>): readonly Property[];
  /** Established properties that depend on option values (added to `establishes`). */
  establishesWhen?(options: OptionValues<O>): readonly Property[];
  /** Properties the pass destroys; the manager strips their annotations from the graph. */
  readonly invalidates: readonly Property[];
  /** Counter name -> one-line meaning. */
  readonly counters: Readonly<Record<C, string>>;
  run(graph: Graph, ctx: PassContext<OptionValues<O>, C>): Graph | Promise<Graph>;
}

/** Any pass, whatever its option schema (what registries hold). */
// Methods are bivariant in TypeScript, so every PassDef<O, C> is assignable here.
export type AnyPass = PassDef<OptionSchema, string>;

/** Identity helper that infers a pass's option and counter types. */
export function definePass<const O extends OptionSchema, C extends string>(p: PassDef<O, C>): PassDef<O, C> {
  return Object.freeze(p);
}

/** All requirements of a pass for given option values. */
export function requirementsOf(p: AnyPass, options: OptionValues<OptionSchema>): readonly Property[] {
  return [...p.requires, ...(p.requiresWhen?.(options) ?? [])];
}

/** All established properties of a pass for given option values. */
export function establishedBy(p: AnyPass, options: OptionValues<OptionSchema>): readonly Property[] {
  return [...p.establishes, ...(p.establishesWhen?.(options) ?? [])];
}
