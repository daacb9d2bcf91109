/**
 * `lstmc run --stream`: the sequence inputs are read from their .npy files one chunk of time steps
 * at a time, pushed through the runtime's stream (LSTM state carried from chunk to chunk), and each
 * chunk's per-step outputs are written into their .npy files at once, so memory holds one chunk,
 * whatever the sequence length. Outputs without a time axis (final states) are written at the end.
 */
import { closeSync, fstatSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fail } from '@lstmc/ir';
import { allocData, isRuntimeError, numel, type Model, type RtTensor } from '@lstmc/runtime';
import type { SaturationLog } from '@lstmc/runtime/fixed';
import { saturationReport } from './numerics.js';
import { isHostDType, npyHeaderBytes, readNpyHeader, readTensorFile, writeNpy, type HostTensor, type NpyHeader } from '@lstmc/backend-js';
import type { Io } from './command.js';
import { UsageError } from './command.js';
import { checkFiniteInputs, checkFiniteOutputs, type FiniteOptions } from './finite.js';

export interface StreamSource {
  readonly name: string;
  readonly file: string;
}

/** A sequence input read by chunks: its file, header and time axis. */
interface Sequence {
  readonly name: string;
  readonly file: string;
  readonly fd: number;
  readonly header: NpyHeader;
  readonly axis: number;
}

/** Elements before and after `axis` of `dims` (outer blocks and the block each time step is). */
function split(dims: readonly number[], axis: number): { outer: number; inner: number } {
  return { outer: numel(dims.slice(0, axis)), inner: numel(dims.slice(axis + 1)) };
}

function openSequence(name: string, file: string, axis: number, cwd: string): Sequence {
  if (!file.endsWith('.npy')) throw new UsageError(`--stream reads sequence input '${name}' by chunks from a .npy file, not '${file}'`);
  let fd: number;
  try {
    fd = openSync(resolve(cwd, file), 'r');
  } catch (e) {
    return fail('E-IO', `cannot read '${file}': ${(e as Error).message}`, { file });
  }
  const head = new Uint8Array(Math.min(fstatSync(fd).size, 1 << 16));
  readSync(fd, head, 0, head.length, 0);
  const header = readNpyHeader(head, file);
  if (header.fortran) fail('E-NPY-HEADER', `--stream needs a C-order .npy ('${file}' is Fortran order)`, { file, field: 'fortran_order' });
  const need = header.dataStart + numel(header.shape) * header.itemBytes;
  if (fstatSync(fd).size < need) fail('E-NPY-TRUNCATED', `'${file}' has ${fstatSync(fd).size} bytes, its header needs ${need}`, { file });
  if (header.shape.length <= axis) fail('E-RUN-INPUT-SHAPE', `input '${name}' has rank ${header.shape.length}; its time axis is ${axis}`, { file, field: name });
  return { name, file, fd, header, axis };
}

/** Steps [t0, t0 + L) of a sequence input, read from its file (one read per outer block). */
function readChunk(s: Sequence, t0: number, L: number): RtTensor {
  const dims = s.header.shape;
  const T = dims[s.axis]!;
  const { outer, inner } = split(dims, s.axis);
  const shape = dims.map((d, i) => (i === s.axis ? L : d));
  const bytes = new Uint8Array(outer * L * inner * s.header.itemBytes);
  const block = L * inner * s.header.itemBytes;
  for (let o = 0; o < outer; o++) readSync(s.fd, bytes, o * block, block, s.header.dataStart + (o * T + t0) * inner * s.header.itemBytes);
  const data = allocData(s.header.dtype, numel(shape));
  new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(bytes);
  return { dtype: s.header.dtype, shape, data } as RtTensor;
}

/** A per-step output being written: its file, final shape and time axis. */
interface Sink {
  readonly fd: number;
  readonly dims: readonly number[];
  readonly axis: number;
  readonly dataStart: number;
  readonly itemBytes: number;
}

function writeChunk(s: Sink, t: RtTensor, t0: number): void {
  const T = s.dims[s.axis]!;
  const L = t.shape[s.axis]!;
  const { outer, inner } = split(s.dims, s.axis);
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const block = L * inner * s.itemBytes;
  for (let o = 0; o < outer; o++) writeSync(s.fd, bytes, o * block, block, s.dataStart + (o * T + t0) * inner * s.itemBytes);
}

/**
 * Run `model` over its inputs chunk by chunk (`chunk` time steps each). Sequence inputs (those the
 * model's LSTMs read as their sequence) come from .npy files; other inputs are read whole. An output
 * whose axis of the input's time axis has the chunk's length is per-step and written as it comes;
 * the others are the last chunk's values.
 */
export function runStreamed(model: Model, sources: readonly StreamSource[], chunk: number, outDir: string, io: Io, finite: FiniteOptions, saturation?: SaturationLog[]): void {
  const axes = model.sequenceAxes();
  const byName = new Map(sources.map((s) => [s.name, s]));
  const seqs: Sequence[] = [];
  const fixed: Record<string, RtTensor> = {};
  for (const info of model.inputs) {
    const src = byName.get(info.name);
    if (!src) fail('E-RUN-INPUT-MISSING', `no value for input '${info.name}': give --input ${info.name}=FILE`, { field: info.name });
    const axis = axes.get(info.name);
    if (axis === undefined) fixed[info.name] = readTensorFile(resolve(io.cwd, src.file), src.file).tensor;
    else seqs.push(openSequence(info.name, src.file, axis, io.cwd));
  }
  if (seqs.length === 0) fail('E-RT-STREAM', 'the model has no sequence input an LSTM reads, so there is nothing to stream', {});
  const T = seqs[0]!.header.shape[seqs[0]!.axis]!;
  for (const s of seqs)
    if (s.header.shape[s.axis] !== T) fail('E-RUN-INPUT-SHAPE', `sequence inputs disagree on the length: '${seqs[0]!.name}' has ${T} steps, '${s.name}' ${s.header.shape[s.axis]}`, { file: s.file, field: s.name });
  let stream;
  try {
    stream = model.createStream();
  } catch (e) {
    if (isRuntimeError(e)) fail(e.code, e.message, { ...(e.field !== undefined ? { field: e.field } : {}) });
    throw e;
  }
  const sinks = new Map<string, Sink>();
  let last: Record<string, RtTensor> = {};
  let chunks = 0;
  for (let t0 = 0; t0 < Math.max(T, 1); t0 += chunk) {
    const L = Math.min(chunk, T - t0);
    const feed: Record<string, RtTensor> = { ...fixed };
    for (const s of seqs) feed[s.name] = readChunk(s, t0, L);
    checkFiniteInputs(model, feed, { ...finite, firstStep: t0 });
    const before = saturation?.length ?? 0;
    let out: Record<string, RtTensor>;
    try {
      out = checkFiniteOutputs(stream.push(feed), finite);
    } catch (e) {
      if (isRuntimeError(e)) fail(e.code, `chunk of steps ${t0}..${t0 + L - 1}: ${e.message}`, { ...(e.field !== undefined ? { field: e.field } : {}) });
      throw e;
    }
    // the chunk's saturation logs count steps from its start: name them in the whole sequence
    if (saturation)
      for (const l of saturation.slice(before))
        for (const c of Object.values(l.counts)) if (c.first?.step !== undefined) c.first = { ...c.first, step: c.first.step + t0 };
    model.outputs.forEach((o, i) => {
      const t = out[o.name]!;
      const axis = seqs[0]!.axis;
      if (t0 === 0 && T > L && t.shape.length > axis && t.shape[axis] === L) {
        if (!isHostDType(t.dtype)) fail('E-RUN-OUTPUT', `output '${o.name}' is ${t.dtype}, which .npy files here do not hold`, { field: o.name });
        const dims = t.shape.map((d, k) => (k === axis ? T : d));
        const header = npyHeaderBytes(t.dtype, dims);
        const fd = openSync(join(resolve(io.cwd, outDir), `output_${i}.npy`), 'w');
        writeSync(fd, header, 0, header.length, 0);
        sinks.set(o.name, { fd, dims, axis, dataStart: header.length, itemBytes: t.data.BYTES_PER_ELEMENT });
      }
      const sink = sinks.get(o.name);
      if (sink) {
        if (t.shape[axis] !== L) fail('E-RT-STREAM', `output '${o.name}' had a time axis of the chunk's length, then ${t.shape[axis]} steps for a chunk of ${L}`, { field: o.name });
        writeChunk(sink, t, t0);
      }
    });
    last = out;
    chunks++;
  }
  for (const s of seqs) closeSync(s.fd);
  for (const s of sinks.values()) closeSync(s.fd);
  model.outputs.forEach((o, i) => {
    if (sinks.has(o.name)) return;
    const t = last[o.name]!;
    if (!isHostDType(t.dtype)) fail('E-RUN-OUTPUT', `output '${o.name}' is ${t.dtype}, which .npy files here do not hold`, { field: o.name });
    writeFileSync(join(resolve(io.cwd, outDir), `output_${i}.npy`), writeNpy(t as HostTensor));
  });
  io.stdout(`streamed ${T} step(s) in ${chunks} chunk(s) of at most ${chunk}; wrote ${model.outputs.length} output(s) to ${outDir} (${[...sinks.keys()].join(', ') || 'none'} per step)\n`);
  if (saturation) for (const line of saturationReport(mergeLogs(saturation))) io.stdout(line);
}

/** One log per node: the chunks' counts summed, the first saturation kept. */
function mergeLogs(logs: readonly SaturationLog[]): SaturationLog[] {
  const byNode = new Map<string, SaturationLog>();
  for (const l of logs) {
    const m = byNode.get(l.node);
    if (!m) {
      byNode.set(l.node, structuredClone(l));
      continue;
    }
    for (const [k, c] of Object.entries(l.counts) as [keyof SaturationLog['counts'], SaturationLog['counts'][keyof SaturationLog['counts']]][]) {
      m.counts[k].count += c.count;
      m.counts[k].total += c.total;
      m.counts[k].first ??= c.first;
    }
  }
  return [...byNode.values()];
}
