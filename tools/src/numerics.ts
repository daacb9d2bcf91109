/**
 * `lstmc run --numerics float|fixed` and the pass flags of `lstmc run`.
 * Fixed numerics emulate the accelerator target's arithmetic: the graph goes
 * through the pass pipeline (default `-O accel`, whose quantize pass chooses
 * the formats), LSTMs lower to the runtime's `lstm.fixed` kernel (the
 * fixed-point semantics shared with the simulator), and the same pipeline
 * output lowered to float32 runs beside it as the reference for the error
 * report.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Graph } from '@lstmc/ir';
import { MAGIC, createModel, type LoadOptions, type Model, type RtTensor } from '@lstmc/runtime';
import { formatSaturation, type SaturationLog } from '@lstmc/runtime/fixed';
import { lowerToRuntime, type FixedWidths } from '@lstmc/backend-js';
import { presetPipeline } from '@lstmc/passes';
import type { Target } from '@lstmc/target';
import type { Io, OptionSpec, ParsedArgs } from './command.js';
import { stringOpt, UsageError } from './command.js';
import { loadFlags, loadModel } from './load-model.js';
import { PASS_FLAG_OPTIONS, isTextIr, loadTextIr, runPassFlags, targetFromArgs, type PassFlagsResult } from './pass-flags.js';
import { hasRuntimeGraphMagic } from './runtime-graph-file.js';

export const NUMERICS = ['float', 'fixed'] as const;
export type Numerics = (typeof NUMERICS)[number];

export const NUMERICS_OPTIONS = {
  numerics: {
    type: 'string',
    value: 'float|fixed',
    help: "fixed: emulate the accelerator target's fixed point (-O accel unless a pipeline is given) and print each output's error vs float32",
  },
  ...PASS_FLAG_OPTIONS,
} as const satisfies Record<string, OptionSpec>;

/** Flags that only make sense when the model is compiled here (not for a .lrg). */
const COMPILE_FLAGS = Object.keys(PASS_FLAG_OPTIONS);

export function numericsOf(args: ParsedArgs): Numerics {
  const v = stringOpt(args, 'numerics') ?? 'float';
  if (!(NUMERICS as readonly string[]).includes(v)) throw new UsageError(`--numerics must be one of ${NUMERICS.join(', ')}, got '${v}'`);
  return v as Numerics;
}

/** True when the run needs the IR for more than -O js (pass flags or fixed numerics). */
export function needsPipeline(args: ParsedArgs): boolean {
  return numericsOf(args) === 'fixed' || COMPILE_FLAGS.some((k) => args.options[k] !== undefined);
}

/** The widths fixed numerics take from the target (the formats come from the quantize pass). */
export function fixedWidths(t: Target): FixedWidths {
  return { actBits: t.actBits, accBits: t.accBits, lutEntries: t.lutEntries };
}

/** True when the file starts with the runtime graph magic (unreadable files: false, the loader reports them). */
export function isRuntimeGraphFile(file: string, cwd: string): boolean {
  try {
    const fd = openSync(resolve(cwd, file), 'r');
    const head = new Uint8Array(MAGIC.length);
    const n = readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    return hasRuntimeGraphMagic(head.subarray(0, n));
  } catch {
    return false;
  }
}

export interface CompiledRun {
  readonly model: Model;
  /** Fixed numerics: the same graph in float32, the reference of the error report. */
  readonly reference?: Model;
  readonly graph: Graph;
  readonly passes: PassFlagsResult;
  /** Fixed numerics: each run's saturation counts per LSTM node, appended as the model runs. */
  readonly saturation?: SaturationLog[];
}

/** An .onnx or .lir model through the pass flags' pipeline, lowered with the requested numerics. */
export async function compileForRun(file: string, args: ParsedArgs, io: Io, load: LoadOptions = {}): Promise<CompiledRun> {
  const numerics = numericsOf(args);
  if (isRuntimeGraphFile(file, io.cwd))
    throw new UsageError(`'${file}' is a runtime graph, already lowered: --numerics fixed and the pass flags need the .onnx or .lir model`);
  const lir = isTextIr(file) ? loadTextIr(file, io.cwd, loadFlags(args)) : undefined;
  const g0 = lir ? lir.graph : loadModel(file, io.cwd, loadFlags(args));
  const fallback = numerics === 'fixed' ? presetPipeline('accel') : (lir?.pipeline ?? presetPipeline('js'));
  const passes = await runPassFlags(g0, args, io, { file, fallback });
  const { graph } = passes;
  const float = () => createModel(lowerToRuntime(graph, { file, verify: false }), load);
  if (numerics === 'float') return { model: float(), graph, passes };
  const saturation: SaturationLog[] = [];
  const fixed = createModel(lowerToRuntime(graph, { file, verify: false, fixed: fixedWidths(targetFromArgs(args, io)) }), { ...load, onSaturation: (l) => saturation.push(l) });
  return { model: fixed, reference: float(), graph, passes, saturation };
}

/** One line per fixed-point LSTM run: where values saturated (tensor, count, first step), or that none did. */
export function saturationReport(logs: readonly SaturationLog[]): string[] {
  return logs.map((l) => {
    const lines = formatSaturation(l);
    return `saturation in LSTM '${l.node}': ${lines.length ? lines.join('; ') : 'none'}\n`;
  });
}

export interface ErrorStats {
  readonly maxAbs: number;
  readonly rms: number;
}

/** Max abs and RMS of got - want over two tensors of one shape (NaN against a number counts as Infinity). */
export function errorStats(got: RtTensor, want: RtTensor): ErrorStats {
  if (got.data.length !== want.data.length) return { maxAbs: Infinity, rms: Infinity };
  let max = 0;
  let sq = 0;
  for (let i = 0; i < got.data.length; i++) {
    const a = Number(got.data[i]);
    const b = Number(want.data[i]);
    const e = Number.isNaN(a) && Number.isNaN(b) ? 0 : Math.abs(a - b);
    const v = Number.isNaN(e) ? Infinity : e;
    if (v > max) max = v;
    sq += v * v;
  }
  return { maxAbs: max, rms: got.data.length ? Math.sqrt(sq / got.data.length) : 0 };
}

/** Per graph output: the fixed-point error against the float32 run of the same graph on the same inputs. */
export function fixedErrors(model: Model, fixed: Record<string, RtTensor>, float: Record<string, RtTensor>): ({ readonly name: string } & ErrorStats)[] {
  return model.outputs.map((o) => ({ name: o.name, ...errorStats(fixed[o.name]!, float[o.name]!) }));
}
