import { fail } from '@lstmc/ir';
import { noteRail, noteRealSaturation, saturationLog, toFixed, type SaturationLog } from '@lstmc/runtime/fixed';
import { isRuntimeError, loadModel, RT_DTYPES, type RtTensor } from '@lstmc/runtime';
import type { HostSegmentDesc, IoTensor, LxbProgram } from '../container/program.js';
import { loadMatrices } from '../sim/load-matrices.js';
import { emptyStats, type SimStats } from '../sim/machine.js';
import { runBatch } from '../sim/run.js';
import type { SimMatrix } from '../sim/sim-matrix.js';
import type { TraceSink } from '../sim/trace.js';
import { applyGlue, type HostTensor } from './glue.js';

export interface SimInput {
  readonly dims: readonly number[];
  readonly data: ArrayLike<number>;
}

export interface SimulateOptions {
  readonly trace?: TraceSink;
  readonly maxInstructions?: number;
  /** Products on the cycle-exact path (Machine.exact); the default fast path gives the same results and cycles. */
  readonly exact?: boolean;
}

export interface SimulateResult {
  readonly outputs: Map<string, HostTensor>;
  /** LSTM outputs as integers (Y [T, D, B, H] layout 0 order), keyed `node:Y|Y_h|Y_c`, for bit-exact checks. */
  readonly raw: Map<string, { dims: number[]; data: Int32Array }>;
  readonly stats: SimStats;
  readonly matrices: readonly SimMatrix[];
  readonly sequences: number;
  readonly seqLens: number[];
  /**
   * Per LSTM node: inputs (x, initial h and c) that did not fit their fixed-point format, counted
   * exactly as the host quantizes them; h of every step and the final c counted at the rail (read
   * back from DRAM). Gate pre-activations stay inside the accelerator and are not seen here.
   */
  readonly saturation: SaturationLog[];
}

/**
 * The host side of the accelerator: run host segment 0, then accelerator
 * phase 0 once per group of up to target.batch batch items, which step together
 * (build each sequence's DRAM image: quantized
 * inputs and initial states; run the phase's code; read its LSTM outputs back
 * into ONNX-shaped tensors), then host segment 1, and so on; graph outputs
 * read straight from an LSTM get their output glue applied.
 */
export function simulateProgram(p: LxbProgram, inputs: ReadonlyMap<string, SimInput>, opts: SimulateOptions = {}): SimulateResult {
  const io = p.io;
  /** Every tensor the host holds: graph inputs, LSTM outputs, host segments' results. */
  const env = new Map<string, SimInput>(inputs);
  const need = (name: string): SimInput => {
    const v = env.get(name);
    if (!v) fail('E-SIM-INPUT', `input '${name}' is missing`, { field: name });
    return v;
  };
  for (const name of io.graphInputs) {
    const v = inputs.get(name);
    if (v) checkFiniteInput(name, v, io.tensors.find((t) => t.role === 'x' && t.name === name));
  }
  const matrices = loadMatrices(p);
  const logs = new Map<string, SaturationLog>();
  const logOf = (node: string) => logs.get(node) ?? (logs.set(node, saturationLog(node)), logs.get(node)!);
  const stats = emptyStats();
  const raw = new Map<string, { dims: number[]; data: Int32Array }>();
  const floats = new Map<string, HostTensor>();
  let images: Int32Array[] = [];
  let B: number | undefined;
  let lens: number[] = [];
  /** Sequence length each LSTM node ran over. */
  const stepsOf = new Map<string, number>();
  let clock = 0;
  for (let k = 0; k <= io.phases.length; k++) {
    for (const s of io.hostSegments) if (s.index === k) runHostSegment(p, s, env);
    if (k === io.phases.length) break;
    const phase = io.phases[k];
    const nodes = new Set(phase.nodes);
    const ts = io.tensors.filter((t) => nodes.has(t.node));
    // One run per batch item covers all layers of the phase, so the x tensors it reads and the earlier
    // layers whose Y it reads in place share one sequence length (and all phases one batch size).
    let len: number | undefined;
    const oneLength = (t: number, what: string) => {
      if (len !== undefined && t !== len) fail('E-SIM-INPUT', `accelerator phase ${k} runs its layers over one sequence length: ${what} has ${t} steps, not ${len}`, { field: what });
      len = t;
    };
    for (const from of phase.readsFrom) oneLength(stepsOf.get(from)!, `the Y of LSTM '${from}'`);
    for (const x of ts.filter((t) => t.role === 'x')) {
      const v = need(x.name);
      const dims = xDims(x, v);
      const [t, b] = x.layout === 0 ? [dims[0], dims[1]] : [dims[1], dims[0]];
      const want = x.layout === 0 ? [len ?? t, B ?? b, x.width] : [B ?? b, len ?? t, x.width];
      if (dims.length !== 3 || dims.some((d, i) => d !== want[i])) fail('E-SIM-INPUT', `input '${x.name}'${x.perm ? ` through perm [${x.perm}]` : ''} has shape [${dims}], expected [${want}]`, { field: x.name });
      oneLength(t, `input '${x.name}'`);
      B = b;
    }
    if (B === undefined || len === undefined) fail('E-SIM-INPUT', 'the program reads no input', {});
    const T: number = len;
    for (const n of phase.nodes) stepsOf.set(n, T);
    if (T > io.maxSeqLen)
      fail('E-SIM-INPUT', `sequence length ${T} exceeds the ${io.maxSeqLen} steps this binary's DRAM layout holds (inputs and Y of every step live in DRAM; recompile with lstmc compile --max-seq-len ${T} when the model's length is symbolic)`, { field: 'maxSeqLen' });
    const sl = phase.seqLens;
    lens = sl.name ? Array.from(need(sl.name).data, Number) : sl.values ? [...sl.values] : new Array<number>(B).fill(T);
    if (lens.length !== B || lens.some((l) => !(l >= 0 && l <= T))) fail('E-SIM-INPUT', `sequence_lens must hold ${B} values in 0..${T}`, { field: sl.name ?? 'sequence_lens' });
    if (images.length === 0) images = Array.from({ length: B }, () => new Int32Array(io.dramWords));
    // the batch items in groups of target.batch that step together, one bank each
    for (let g0 = 0; g0 < B; g0 += p.target.batch) {
      const group = Array.from({ length: Math.min(p.target.batch, B - g0) }, (_, k) => g0 + k);
      for (const b of group) for (const t of ts) fillRegion(images[b], t, b, T, B, env, p.target.actBits, logOf(t.node));
      const run = { entry: phase.entry, seqLens: group.map((b) => lens[b]), fullLen: T, trace: opts.trace, startCycle: clock, maxInstructions: opts.maxInstructions, exact: opts.exact };
      clock += runBatch(p, matrices, group.map((b) => images[b]), stats, run);
    }
    readOutputs(ts, images, T, B, raw, floats, env, lens, p.target.actBits, logOf);
  }

  const outputs = new Map<string, HostTensor>();
  for (const name of io.graphOutputs) {
    const o = io.outputs.find((x) => x.name === name);
    if (o) {
      let t = floats.get(`${o.node}:${o.which}`)!;
      for (const s of o.glue) t = applyGlue(t, s);
      outputs.set(name, t);
    } else {
      const v = need(name);
      outputs.set(name, { dims: v.dims, data: Float64Array.from(v.data) });
    }
  }
  return { outputs, raw, stats, matrices, sequences: B ?? 0, seqLens: lens, saturation: [...logs.values()] };
}

/** The dims of the X an 'x' tensor holds: the tensor read, through the absorbed Transpose. */
function xDims(x: IoTensor, v: SimInput): readonly number[] {
  return x.perm && v.dims.length === 3 ? x.perm.map((p) => v.dims[p]) : v.dims;
}

/** LSTM outputs of one phase, ONNX-shaped, into `floats` (by node:Y|Y_h|Y_c), `env` (by value name) and `raw` (integers). */
function readOutputs(
  ts: readonly IoTensor[],
  images: readonly Int32Array[],
  T: number,
  B: number,
  raw: Map<string, { dims: number[]; data: Int32Array }>,
  floats: Map<string, HostTensor>,
  env: Map<string, SimInput>,
  lens: readonly number[],
  A: number,
  logOf: (node: string) => SaturationLog,
): void {
  const byNode = new Map<string, IoTensor[]>();
  for (const t of ts) if (t.role === 'y' || t.role === 'yh' || t.role === 'yc') byNode.set(t.node, [...(byNode.get(t.node) ?? []), t]);
  for (const [node, all] of byNode) {
    for (const [role, which] of [['y', 'Y'], ['yh', 'Y_h'], ['yc', 'Y_c']] as const) {
      const parts = all.filter((t) => t.role === role).sort((a, c) => a.dir - c.dir);
      const D = parts.length;
      const H = parts[0].width;
      const layout = parts[0].layout;
      const steps = role === 'y' ? T : 1;
      const ints = new Int32Array(steps * D * B * H);
      const out = new Float64Array(ints.length);
      for (let d = 0; d < D; d++)
        for (let bb = 0; bb < B; bb++)
          for (let s = 0; s < steps; s++)
            for (let j = 0; j < H; j++) {
              const v = images[bb][parts[d].addr + s * H + j];
              ints[((s * D + d) * B + bb) * H + j] = v;
              const at = role === 'y'
                ? layout === 0 ? ((s * D + d) * B + bb) * H + j : ((bb * T + s) * D + d) * H + j
                : layout === 0 ? (d * B + bb) * H + j : (bb * D + d) * H + j;
              out[at] = v * 2 ** -parts[d].frac;
            }
      if (role !== 'yh') {
        // h of each step a sequence ran (steps past its length hold zeros), and the final c
        const tensor = role === 'y' ? 'h' : 'cell';
        for (let d = 0; d < D; d++)
          for (let bb = 0; bb < B; bb++)
            for (let s = 0; s < (role === 'y' ? lens[bb] : 1); s++)
              noteRail(logOf(node), tensor, images[bb], parts[d].addr + s * H, H, A, (index) => ({ ...(role === 'y' ? { step: s } : {}), batch: bb, dir: d, index }));
      }
      const dims = role === 'y' ? (layout === 0 ? [T, D, B, H] : [B, T, D, H]) : layout === 0 ? [D, B, H] : [B, D, H];
      raw.set(`${node}:${which}`, { dims: role === 'y' ? [T, D, B, H] : [D, B, H], data: ints });
      const t = { dims, data: out };
      floats.set(`${node}:${which}`, t);
      if (parts[0].name) env.set(parts[0].name, t);
    }
  }
}

function fillRegion(dram: Int32Array, t: IoTensor, b: number, T: number, B: number, inputs: ReadonlyMap<string, SimInput>, A: number, log: SaturationLog): void {
  if (t.role === 'x') {
    const v = inputs.get(t.name)!;
    // element (c0, c1, c2) of X (the node's layout) is element c[perm^-1] of the tensor read: strides permuted
    const perm = t.perm ?? [0, 1, 2];
    const stride = [v.dims[1] * v.dims[2], v.dims[2], 1];
    const [s0, s1, s2] = perm.map((p) => stride[p]);
    for (let s = 0; s < T; s++) {
      const src = t.layout === 0 ? s * s0 + b * s1 : b * s0 + s * s1;
      for (let k = 0; k < t.width; k++) {
        noteRealSaturation(log, 'x', v.data, src + k * s2, 1, t.frac, A, () => ({ step: s, batch: b, dir: t.dir, index: k }));
        dram[t.addr + s * t.width + k] = toFixed(v.data[src + k * s2], t.frac, A);
      }
    }
    return;
  }
  if (t.role !== 'h0' && t.role !== 'c0') return;
  const off = ((t.layout === 0 ? t.dir * B + b : b * t.dirs + t.dir) * t.width);
  if (t.value) {
    for (let k = 0; k < t.width; k++) dram[t.addr + k] = t.value[off + k];
    return;
  }
  const v = inputs.get(t.name);
  if (!v) fail('E-SIM-INPUT', `input '${t.name}' is missing`, { field: t.name });
  if (v.data.length < off + t.width) fail('E-SIM-INPUT', `initial state '${t.name}' has ${v.data.length} values, batch entry ${b} needs ${off + t.width}`, { field: t.name });
  for (let k = 0; k < t.width; k++) {
    const x = v.data[off + k];
    if (!Number.isFinite(x)) fail('E-SIM-NONFINITE', `initial state '${t.name}' holds ${x} at batch entry ${b}${t.dirs > 1 ? `, direction ${t.dir}` : ''}, element ${k}: the fixed-point state has no such value`, { field: t.name });
    noteRealSaturation(log, t.role === 'h0' ? 'initial_h' : 'initial_c', v.data, off + k, 1, t.frac, A, () => ({ batch: b, dir: t.dir, index: k }));
    dram[t.addr + k] = toFixed(x, t.frac, A);
  }
}

/**
 * A NaN or infinity in a sequence input is refused with its time step and batch entry: quantized,
 * NaN has no value and an infinity saturates, so either would give a confident wrong answer.
 */
function checkFiniteInput(name: string, v: SimInput, x: IoTensor | undefined): void {
  for (let i = 0; i < v.data.length; i++) {
    const val = v.data[i];
    if (Number.isFinite(val)) continue;
    if (!x || v.dims.length !== 3) fail('E-SIM-NONFINITE', `input '${name}' holds ${val} at element ${i} of [${v.dims.join(', ')}]`, { field: name });
    // index in the tensor read, then in the node's X (through the absorbed Transpose)
    const idx = [Math.floor(i / (v.dims[1] * v.dims[2])), Math.floor(i / v.dims[2]) % v.dims[1], i % v.dims[2]];
    const perm = x.perm ?? [0, 1, 2];
    const xi = perm.map((p) => idx[p]);
    const [t, b] = x.layout === 0 ? [xi[0], xi[1]] : [xi[1], xi[0]];
    fail('E-SIM-NONFINITE', `input '${name}' holds ${val} at time step ${t}, batch entry ${b} (element [${idx.join(', ')}] of [${v.dims.join(', ')}], read by LSTM '${x.node}')`, { field: name });
  }
}

/** Run one host segment (ops the accelerator lacks) on the JS runtime, fed from the host's tensors; its results join them. */
function runHostSegment(p: LxbProgram, s: HostSegmentDesc, env: Map<string, SimInput>): void {
  try {
    // A copy: the runtime may view the weight blob with typed arrays, which need aligned offsets.
    const model = loadModel(p.host.slice(s.offset, s.offset + s.bytes));
    const feed: Record<string, RtTensor> = {};
    for (const i of model.inputs) {
      const v = env.get(i.name);
      if (!v) fail('E-SIM-INPUT', `input '${i.name}' is missing`, { field: i.name });
      const n = v.data.length;
      const data = i.dtype === 'i64' ? BigInt64Array.from({ length: n }, (_, k) => BigInt(Math.trunc(Number(v.data[k])))) : new RT_DTYPES[i.dtype].ctor(n);
      if (i.dtype !== 'i64') for (let k = 0; k < n; k++) (data as Float32Array)[k] = Number(v.data[k]);
      feed[i.name] = { dtype: i.dtype, shape: v.dims, data } as RtTensor;
    }
    const res = model.run(feed);
    for (const o of model.outputs) {
      const t = res[o.name]!;
      env.set(o.name, { dims: t.shape, data: Float64Array.from(t.data as ArrayLike<number | bigint>, Number) });
    }
  } catch (e) {
    if (isRuntimeError(e)) fail(e.code, `host segment ${s.index}: ${e.message}`, e.field !== undefined ? { field: e.field } : {});
    throw e;
  }
}
