import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fail } from '@lstmc/ir';
import { isRuntimeError, loadModel as loadRuntimeGraph, type IoInfo, type LoadOptions, type Model, type RtTensor } from '@lstmc/runtime';
import { TENSOR_FILE_FORMATS, compareTensors, readTensorFile, tensorFileBytes, type TensorFileFormat } from '@lstmc/backend-js';
import { readDataSetInputs, skippedNote } from '../data-set.js';
import type { Command, Io, ParsedArgs } from '../command.js';
import { flag, listOpt, stringOpt, UsageError } from '../command.js';
import { LOAD_FLAG_OPTIONS, loadFlags, type LoadFlags } from '../load-model.js';
import { checkFiniteInputs, checkFiniteOutputs } from '../finite.js';
import { runStreamed } from '../stream-run.js';
import { passResultsJson } from '../pass-flags.js';
import { NUMERICS_OPTIONS, compileForRun, fixedErrors, isRuntimeGraphFile, needsPipeline, saturationReport, type CompiledRun } from '../numerics.js';
import { TOLERANCE_OPTION, int8Errors, measuredErrors, toleranceOf } from '../tolerance.js';
import { JSON_OPTION, printResult } from '../json-output.js';
import { LOAD_OPTIONS, loadOptionsOf } from '../load-options.js';
import { withFile } from '../runtime-graph-file.js';
import { profileLines, profileRepeats, timed, timeRepeats } from '../repeat-timing.js';

/** A runtime graph (.lrg) as it is. */
function loadRunnable(path: string, cwd: string, flags: LoadFlags, load: LoadOptions): Model {
  const full = resolve(cwd, path);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(full);
  } catch (e) {
    fail('E-IO', `cannot read '${path}': ${(e as Error).message}`, { file: path });
  }
  return withFile({ file: path }, () => loadRuntimeGraph(bytes, { ...load, allowNonFinite: flags.allowNonFinite ?? false }));
}

interface Source {
  readonly file: string;
  readonly tensor: RtTensor;
}

function checkAgainst(info: IoInfo, src: Source): void {
  const loc = { file: src.file, field: info.name };
  const t = src.tensor;
  if (t.dtype !== info.dtype) fail('E-RUN-INPUT-DTYPE', `input '${info.name}' must be ${info.dtype}, '${src.file}' holds ${t.dtype}`, loc);
  if (!info.shape) return;
  const want = `[${info.shape.join(', ')}]`;
  if (t.shape.length !== info.shape.length || info.shape.some((d, i) => typeof d === 'number' && d !== t.shape[i]))
    fail('E-RUN-INPUT-SHAPE', `input '${info.name}' has shape ${want}, '${src.file}' holds [${t.shape.join(', ')}]`, loc);
}

/** Inputs from --data DIR (input_N.pb in graph-input order, or by tensor name) and --input NAME=FILE (which wins). */
function gatherInputs(model: Model, dataDir: string | undefined, specs: readonly string[], io: Io): Map<string, Source> {
  const cwd = io.cwd;
  const names = model.inputs.map((i) => i.name);
  const sources = new Map<string, Source>();
  if (dataDir !== undefined) {
    const ds = readDataSetInputs(dataDir, names, cwd);
    io.stderr(skippedNote(ds.skipped));
    for (const [name, f] of ds.byInput) sources.set(name, { file: f.shown, tensor: f.tensor });
  }
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--input wants NAME=FILE, got '${spec}'`);
    const name = spec.slice(0, eq);
    const file = spec.slice(eq + 1);
    if (!names.includes(name)) fail('E-RUN-INPUT-UNKNOWN', `the model has no input '${name}' (inputs: ${names.join(', ')})`, { file, field: name });
    sources.set(name, { file, tensor: readTensorFile(resolve(cwd, file), file).tensor });
  }
  names.forEach((name, i) => {
    if (!sources.has(name)) {
      const where = dataDir !== undefined ? `${join(dataDir, `input_${i}.pb`)} or ` : '';
      fail('E-RUN-INPUT-MISSING', `no value for input '${name}' (input ${i}): give ${where}--input ${name}=FILE`, { field: name });
    }
  });
  model.inputs.forEach((info) => checkAgainst(info, sources.get(info.name)!));
  return sources;
}

/** --repeat N: the number of timed runs after the first (a positive integer), or 0 without the flag. */
function repeatOf(args: ParsedArgs): number {
  const text = stringOpt(args, 'repeat');
  if (text === undefined) return 0;
  const n = Number(text);
  if (!(Number.isSafeInteger(n) && n >= 1)) throw new UsageError(`--repeat wants a positive integer, got '${text}'`);
  if (flag(args, 'stream')) throw new UsageError('--repeat times whole runs on --data or --input; it does not combine with --stream');
  return n;
}

/** --profile: per-node times over --repeat's count of further runs (a usage error without --repeat). */
function profileOf(args: ParsedArgs, repeat: number): boolean {
  if (!flag(args, 'profile')) return false;
  if (repeat === 0) throw new UsageError('--profile times the nodes of the --repeat runs: give --repeat N');
  return true;
}

function preview(t: RtTensor): string {
  const n = Math.min(t.data.length, 8);
  const vals = Array.from({ length: n }, (_, i) => (t.dtype === 'f32' || t.dtype === 'f64' ? Number(t.data[i]).toPrecision(6) : String(t.data[i])));
  return `[${vals.join(', ')}${t.data.length > n ? ', ...' : ''}]`;
}

export const run: Command = {
  name: 'run',
  summary: 'run a model (.onnx or .lir, compiled on the fly, or a .lrg runtime graph) on the lstmc JS runtime',
  args: ['MODEL'],
  options: {
    data: { type: 'string', value: 'DIR', help: 'folder with input_N.pb in graph-input order (ONNX test data layout); with --check, also output_N.pb' },
    input: { type: 'string', multiple: true, value: 'NAME=FILE', help: 'one input from a .npy or TensorProto .pb file (wins over --data)' },
    out: { type: 'string', value: 'DIR', help: 'write output_N.<format> in graph-output order' },
    'out-format': { type: 'string', value: 'pb|npy', help: 'format of the files --out writes (default pb, names set)' },
    check: { type: 'boolean', help: 'compare with output_N.pb in --data DIR; print max abs error per output; exit 1 above --tolerance' },
    ...TOLERANCE_OPTION,
    stream: { type: 'boolean', help: 'read sequence inputs (--input NAME=FILE.npy) and write outputs (.npy in --out) chunk by chunk, LSTM state carried across chunks: memory does not grow with the sequence length' },
    chunk: { type: 'string', value: 'N', help: 'time steps per chunk with --stream (default 1000)' },
    repeat: { type: 'string', value: 'N', help: 'after the first run, run the model N more times on the same inputs and print the time of the first run and the median, minimum and 90th percentile of the others; exit 1 if a repeat\'s outputs differ from the first run\'s' },
    profile: { type: 'boolean', help: 'with --repeat N: N further runs that time every kernel node; print the median time per kernel and of the slowest nodes, with their share of a run (--json: every node)' },
    ...NUMERICS_OPTIONS,
    ...LOAD_FLAG_OPTIONS,
    ...LOAD_OPTIONS,
    ...JSON_OPTION,
  },
  async run(args, io) {
    const modelFile = args.positionals[0]!;
    const dataDir = stringOpt(args, 'data');
    const specs = listOpt(args, 'input');
    const check = flag(args, 'check');
    const format = stringOpt(args, 'out-format') ?? 'pb';
    if (!(TENSOR_FILE_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--out-format must be one of ${TENSOR_FILE_FORMATS.join(', ')}, got '${format}'`);
    if (dataDir === undefined && specs.length === 0) throw new UsageError('give the inputs with --data DIR or --input NAME=FILE');
    if (check && dataDir === undefined) throw new UsageError('--check compares with output_N.pb in --data DIR');
    const repeat = repeatOf(args);
    const profile = profileOf(args, repeat);

    const load = loadOptionsOf(args);
    // An .onnx or .lir model is compiled on the fly with -O js (or the pipeline the flags give), as
    // `lstmc compile --target js` would; a runtime graph (.lrg) is loaded as it is.
    const compiled = needsPipeline(args) || !isRuntimeGraphFile(modelFile, io.cwd) ? await compileForRun(modelFile, args, io, load) : undefined;
    const model = compiled?.model ?? loadRunnable(modelFile, io.cwd, loadFlags(args), load);
    // The worker threads of --threads end with the command.
    try {
      await model.threadsReady();
      return await runModel(model, compiled, args, io, repeat, profile);
    } finally {
      model.close();
      compiled?.reference?.close();
    }
  },
};

/**
 * The rest of `run` on the loaded model (and, for fixed numerics, its float32 reference); repeat: --repeat's
 * count (0 without it); profile: --profile (per-node times over another `repeat` runs).
 */
async function runModel(model: Model, compiled: CompiledRun | undefined, args: ParsedArgs, io: Io, repeat: number, profile: boolean): Promise<number> {
  const modelFile = args.positionals[0]!;
  const dataDir = stringOpt(args, 'data');
  const specs = listOpt(args, 'input');
  const outDir = stringOpt(args, 'out');
  const check = flag(args, 'check');
  const format = (stringOpt(args, 'out-format') ?? 'pb') as TensorFileFormat;
  const reference = compiled?.reference;
  const saturation = compiled?.saturation;
  const int8 = int8Errors(model.runtimeModel);
  const tolerance = reference ? toleranceOf(args, measuredErrors(compiled!.graph)) : int8 ? toleranceOf(args, int8, 'int8 weights') : toleranceOf(args, undefined);
  if (flag(args, 'stream')) {
    const chunkText = stringOpt(args, 'chunk') ?? '1000';
    const chunk = Number(chunkText);
    if (!(Number.isSafeInteger(chunk) && chunk >= 1)) throw new UsageError(`--chunk wants a positive integer, got '${chunkText}'`);
    if (outDir === undefined) throw new UsageError('--stream writes its outputs as it goes: give --out DIR');
    if (check || dataDir !== undefined) throw new UsageError('--stream takes its inputs from --input NAME=FILE.npy (not --data) and does not --check');
    if (stringOpt(args, 'out-format') !== undefined && format !== 'npy') throw new UsageError('--stream writes .npy outputs (--out-format npy)');
    mkdirSync(resolve(io.cwd, outDir), { recursive: true });
    const sources = specs.map((spec) => {
      const eq = spec.indexOf('=');
      if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--input wants NAME=FILE, got '${spec}'`);
      return { name: spec.slice(0, eq), file: spec.slice(eq + 1) };
    });
    for (const s of sources) if (!model.inputs.some((i) => i.name === s.name)) fail('E-RUN-INPUT-UNKNOWN', `the model has no input '${s.name}' (inputs: ${model.inputs.map((i) => i.name).join(', ')})`, { file: s.file, field: s.name });
    runStreamed(model, sources, chunk, outDir, io, { allow: loadFlags(args).allowNonFinite, warn: io.stderr, files: new Map(sources.map((s) => [s.name, s.file])), modelFile }, saturation);
    return 0;
  }
  const sources = gatherInputs(model, dataDir, specs, io);
  const feed: Record<string, RtTensor> = {};
  for (const [name, s] of sources) feed[name] = s.tensor;
  const finite = { allow: loadFlags(args).allowNonFinite, warn: io.stderr, files: new Map([...sources].map(([k, s]) => [k, s.file])), modelFile };
  checkFiniteInputs(model, feed, finite);
  let outputs: Record<string, RtTensor>;
  let firstMs = 0;
  try {
    const first = timed(() => model.run(feed));
    firstMs = first.ms;
    outputs = checkFiniteOutputs(first.value, finite);
  } catch (e) {
    // Input errors found by the runtime (symbolic dims bound inconsistently) name the input: add its file.
    if (isRuntimeError(e) && e.code.startsWith('E-RT-INPUT') && e.field !== undefined && sources.has(e.field))
      fail(e.code, e.message, { file: sources.get(e.field)!.file, field: e.field });
    // A zero-length sequence runs the LSTMs (empty Y, initial state as Y_h/Y_c, as onnxruntime does);
    // what fails after them (the last step taken by Gather -1) fails for want of a step: say so.
    const empty = [...model.sequenceAxes()].find(([name, axis]) => feed[name]?.shape[axis] === 0);
    if (isRuntimeError(e) && empty)
      fail('E-RUN-EMPTY-SEQUENCE', `input '${empty[0]}' has 0 time steps, and the model needs at least one: ${e.message}`, { file: sources.get(empty[0])!.file, field: empty[0] });
    if (isRuntimeError(e)) fail(e.code, e.message, { file: modelFile, ...(e.field !== undefined ? { field: e.field } : {}) });
    throw e;
  }

  // The saturation log is the first run's: repeats on the same inputs would only append copies.
  const logged = saturation?.length ?? 0;
  const timing = repeat > 0 ? timeRepeats(model, feed, outputs, firstMs, repeat) : undefined;
  const nodeTimes = profile ? profileRepeats(model, feed, repeat) : undefined;
  if (saturation) saturation.length = logged;
  const written = outDir !== undefined ? model.outputs.map((o, i) => join(outDir, `output_${i}.${format}`)) : undefined;
  if (outDir !== undefined) {
    mkdirSync(resolve(io.cwd, outDir), { recursive: true });
    model.outputs.forEach((o, i) => writeFileSync(resolve(io.cwd, written![i]!), tensorFileBytes(format, o.name, outputs[o.name]!)));
  }
  const fixed = reference ? fixedErrors(model, outputs, reference.run(feed)) : undefined;
  const checked = check
    ? model.outputs.map((o, i) => {
        const shown = join(dataDir!, `output_${i}.pb`);
        const path = resolve(io.cwd, shown);
        if (!existsSync(path)) fail('E-RUN-CHECK-MISSING', `no expected value for output '${o.name}': '${shown}' does not exist`, { file: shown, field: o.name });
        const c = compareTensors(outputs[o.name]!, readTensorFile(path, shown).tensor);
        return { name: o.name, expected: shown, maxAbsError: c.ok ? c.maxAbsError : null, ...(c.ok ? {} : { mismatch: c.reason }), ok: c.ok && c.maxAbsError <= tolerance.value };
      })
    : undefined;
  const bad = checked?.filter((c) => !c.ok).length ?? 0;
  const result = {
    model: modelFile,
    outputs: model.outputs.map((o, i) => ({ name: o.name, dtype: outputs[o.name]!.dtype, shape: outputs[o.name]!.shape, ...(written ? { file: written[i] } : {}) })),
    ...(compiled ? passResultsJson(compiled.passes) : {}),
    ...(fixed ? { fixedVsFloat32: fixed } : {}),
    ...(saturation ? { saturation } : {}),
    ...(checked ? { check: { tolerance: tolerance.value, toleranceSource: tolerance.source, ok: bad === 0, outputs: checked } } : {}),
    ...(timing ? { timing } : {}),
    ...(nodeTimes ? { profile: nodeTimes } : {}),
  };
  printResult(args, io, result, () => {
    const lines: string[] = [];
    if (written) lines.push(`wrote ${model.outputs.length} output(s) to ${outDir}`);
    fixed?.forEach((s, i) => lines.push(`output_${i} ${s.name}: fixed point vs float32: max abs error ${s.maxAbs.toExponential(3)}, rms error ${s.rms.toExponential(3)}`));
    for (const line of saturationReport(saturation ?? [])) lines.push(line.trimEnd());
    if (!checked && !written) for (const o of model.outputs) lines.push(`${o.name}: ${outputs[o.name]!.dtype}[${outputs[o.name]!.shape.join(', ')}] ${preview(outputs[o.name]!)}`);
    const tol = `tolerance ${tolerance.value.toExponential(3)}, ${tolerance.source}`;
    checked?.forEach((c, i) => lines.push(`output_${i} ${c.name}: ${c.maxAbsError !== null ? `max abs error ${c.maxAbsError.toExponential(3)} (${tol})` : `mismatch: ${c.mismatch}`}${c.ok ? '' : '  FAIL'}`));
    if (timing) {
      const f = (x: number) => `${x.toFixed(3)} ms`;
      lines.push(`timing: first run ${f(timing.firstMs)}; ${timing.runs} more: median ${f(timing.medianMs)}, min ${f(timing.minMs)}, 90th percentile ${f(timing.p90Ms)} (${timing.threads} thread${timing.threads === 1 ? '' : 's'})${timing.sameOutputs ? '' : '  OUTPUTS DIFFER'}`);
    }
    if (nodeTimes) lines.push(...profileLines(nodeTimes));
    return lines;
  });
  if (timing && !timing.sameOutputs) {
    io.stderr(`error[E-RUN-REPEAT]: a repeated run of ${modelFile} gave outputs that differ from the first run's\n`);
    return 1;
  }
  if (bad > 0) {
    io.stderr(`error[E-RUN-CHECK]: ${bad} of ${model.outputs.length} output(s) differ from ${dataDir} by more than ${tolerance.value} (${tolerance.source})\n`);
    return 1;
  }
  return 0;
}
