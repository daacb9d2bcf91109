import { writeFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import type { Graph } from '@lstmc/ir';
import { fail } from '@lstmc/ir';
import { compileToRuntimeGraph } from '@lstmc/backend-js';
import { DEFAULT_MAX_SEQ_LEN, compileAccelBinary, placementTable, stageOrder } from '@lstmc/backend-accel';
import { PRESETS, formatReportTable, type ProgressSink } from '@lstmc/passes';
import type { Command, Io, ParsedArgs } from '../command.js';
import { flag, stringOpt, UsageError } from '../command.js';
import { LOAD_FLAG_OPTIONS, loadFlags, loadModel } from '../load-model.js';
import { PASS_FLAG_OPTIONS, isTextIr, loadTextIr, passResultsJson, runPassFlags, targetFromArgs, type PassFlagsResult } from '../pass-flags.js';
import { JSON_OPTION, printResult, wantsJson } from '../json-output.js';
import { QUIET_OPTION, progressOf } from '../progress.js';

/** What one `--target` produces from the (pipeline-processed) IR graph. */
export interface CompileTarget {
  readonly summary: string;
  /** Pipeline text run when neither -O nor --pipeline is given (default: none). */
  readonly defaultPipeline?: string;
  /** Extension of the default output file name (MODEL with this extension). */
  readonly ext: string;
  /** The output file's bytes, a one-line description for the report, and what --json adds about the back end's decisions. */
  emit(g: Graph, ctx: { readonly file: string; readonly args: ParsedArgs; readonly io: Io; readonly progress: ProgressSink }): Emitted | Promise<Emitted>;
}

export interface Emitted {
  readonly bytes: Uint8Array;
  readonly note: string;
  readonly json?: Readonly<Record<string, unknown>>;
}

/** Back ends of `lstmc compile`, keyed by --target name. */
export const COMPILE_TARGETS = {
  js: {
    summary: 'runtime graph (.lrg) for the lstmc JS runtime',
    defaultPipeline: PRESETS.js,
    ext: '.lrg',
    emit(g, { file, progress }) {
      progress({ stage: 'codegen', item: '', done: 0, total: 0 });
      const bytes = compileToRuntimeGraph(g, { file, verify: false });
      return { bytes, note: `runtime graph, ${bytes.length} bytes` };
    },
  },
  accel: {
    summary: 'accelerator binary (.lxb) for the sparse LSTM accelerator of --target-config (run it with lstmc sim)',
    defaultPipeline: PRESETS.accel,
    ext: '.lxb',
    emit(g, { args, io, progress }) {
      const text = stringOpt(args, 'max-seq-len');
      const maxSeqLen = text === undefined ? undefined : Number(text);
      if (maxSeqLen !== undefined && !(Number.isSafeInteger(maxSeqLen) && maxSeqLen >= 1 && maxSeqLen <= 1 << 20))
        throw new UsageError(`--max-seq-len wants an integer in 1..${1 << 20}, got '${text}'`);
      const r = compileAccelBinary(g, targetFromArgs(args, io), {
        ...(maxSeqLen === undefined ? {} : { maxSeqLen }),
        progress: (item, done, total) => progress({ stage: 'codegen', item, done, total }),
      });
      const placement = placementTable(r.partition);
      const stages = stageOrder(r.partition);
      // With the pass reports: what runs where (the partition of the pipeline's output) and in which order.
      if (flag(args, 'pass-reports') && !wantsJson(args)) io.stdout(`${formatReportTable(placement)}\n${['=== stages ===', ...stages].join('\n')}\n`);
      return { bytes: r.bytes, note: r.note, json: { placement, stages } };
    },
  },
} as const satisfies Record<string, CompileTarget>;

export type CompileTargetName = keyof typeof COMPILE_TARGETS;

/**
 * The IR between import and back end: the pass pipeline of the flags (-O, --pipeline, --plugin,
 * --print-ir-*, ...; see pass-flags.ts). Without them the target's default pipeline runs (its -O preset).
 * A `.lir` model is textual IR; a reproducer's recorded pipeline is its default.
 */
async function runPipeline(file: string, target: CompileTarget, args: ParsedArgs, io: Io, progress: ProgressSink): Promise<PassFlagsResult> {
  progress({ stage: 'import', item: file, done: 0, total: 0 });
  const lir = isTextIr(file) ? loadTextIr(file, io.cwd, loadFlags(args)) : undefined;
  // The imported graph is loaded by runPassFlags and not kept here: weights the pipeline replaces can be freed.
  return runPassFlags(lir ? lir.graph : () => loadModel(file, io.cwd, loadFlags(args)), args, io, { file, fallback: lir?.pipeline ?? target.defaultPipeline, progress });
}

export const compile: Command = {
  name: 'compile',
  summary: 'compile an ONNX model for a target: js (a runtime graph for the JS runtime) or accel (an accelerator binary)',
  args: ['MODEL'],
  options: {
    ...PASS_FLAG_OPTIONS,
    ...JSON_OPTION,
    ...LOAD_FLAG_OPTIONS,
    ...QUIET_OPTION,
    target: { type: 'string', value: 'NAME', help: `back end: ${Object.keys(COMPILE_TARGETS).join(', ')} (default js)` },
    'max-seq-len': { type: 'string', value: 'N', help: `accel: longest sequence the binary's DRAM layout holds when the model's sequence length is symbolic (default ${DEFAULT_MAX_SEQ_LEN}); lstmc sim refuses longer inputs` },
    output: { type: 'string', short: 'o', value: 'FILE', help: "output file (default: MODEL with the target's extension, in the current directory)" },
  },
  details: ['targets:', ...Object.entries(COMPILE_TARGETS).map(([k, t]) => `  ${k.padEnd(8)} ${t.summary}`)].join('\n'),
  async run(args, io) {
    const file = args.positionals[0]!;
    const name = stringOpt(args, 'target') ?? 'js';
    if (!Object.prototype.hasOwnProperty.call(COMPILE_TARGETS, name))
      throw new UsageError(`unknown target '${name}' (known: ${Object.keys(COMPILE_TARGETS).join(', ')})`);
    const target: CompileTarget = COMPILE_TARGETS[name as CompileTargetName];
    const progress = progressOf(flag(args, 'quiet'), io);
    const passes = await runPipeline(file, target, args, io, progress);
    const { bytes, note, json } = await target.emit(passes.graph, { file, args, io, progress });
    const out = stringOpt(args, 'output') ?? basename(file, extname(file)) + target.ext;
    try {
      writeFileSync(resolve(io.cwd, out), bytes);
    } catch (e) {
      fail('E-IO', `cannot write '${out}': ${(e as Error).message}`, { file: out });
    }
    printResult(args, io, { model: file, target: name, output: out, bytes: bytes.length, note, ...passResultsJson(passes), ...json }, () => [`wrote ${out} (${note})`]);
    return 0;
  },
};
