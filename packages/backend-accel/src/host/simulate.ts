import { fail } from '@lstmc/ir';
import { toFixed } from '@lstmc/runtime/fixed';
import { isRuntimeError, loadModel, RT_DTYPES, type RtTensor } from '@lstmc/runtime';
import type { IoTensor, LxbProgram } from '../container/program.js';
import { loadMatrices } from '../sim/load-matrices.js';
import { emptyStats, type SimStats } from '../sim/machine.js';
import { runSequence } from '../sim/run.js';
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
}

export interface SimulateResult {
  readonly outputs: Map<string, HostTensor>;
  /** LSTM outputs as integers (Y [T, D, B, H] layout 0 order), keyed `node:Y|Y_h|Y_c`, for bit-exact checks. */
  readonly raw: Map<string, { dims: number[]; data: Int32Array }>;
  readonly stats: SimStats;
  readonly matrices: readonly SimMatrix[];
  readonly sequences: number;
  readonly seqLens: number[];
}

/**
 * The host side of the accelerator: for each batch item, build the sequence's
 * DRAM image (quantized inputs and initial states), run the program, and read
 * the outputs back into ONNX-shaped tensors; then apply the output glue.
 */
export function simulateProgram(p: LxbProgram, inputs: ReadonlyMap<string, SimInput>, opts: SimulateOptions = {}): SimulateResult {
  const io = p.io;
  const need = (name: string): SimInput => {
    const v = inputs.get(name);
    if (!v) fail('E-SIM-INPUT', `input '${name}' is missing`, { field: name });
    return v;
  };
  const xs = io.tensors.filter((t) => t.role === 'x');
  if (xs.length === 0) fail('E-SIM-INPUT', 'the program reads no input', {});
  const x0 = need(xs[0].name);
  const lay0 = xs[0].layout;
  if (x0.dims.length !== 3) fail('E-SIM-INPUT', `input '${xs[0].name}' must have rank 3`, { field: xs[0].name });
  const T = x0.dims[lay0 === 0 ? 0 : 1];
  const B = x0.dims[lay0 === 0 ? 1 : 0];
  for (const x of xs) {
    const v = need(x.name);
    const want = x.layout === 0 ? [T, B, x.width] : [B, T, x.width];
    if (v.dims.length !== 3 || v.dims.some((d, i) => d !== want[i])) fail('E-SIM-INPUT', `input '${x.name}' has shape [${v.dims}], expected [${want}]`, { field: x.name });
  }
  if (T > io.maxSeqLen) fail('E-SIM-INPUT', `sequence length ${T} exceeds the ${io.maxSeqLen} steps this binary was compiled for (--max-seq-len)`, {});
  const lens = io.seqLens.name ? Array.from(need(io.seqLens.name).data, Number) : io.seqLens.values ? [...io.seqLens.values] : new Array<number>(B).fill(T);
  if (lens.length !== B || lens.some((l) => !(l >= 0 && l <= T))) fail('E-SIM-INPUT', `sequence_lens must hold ${B} values in 0..${T}`, { field: io.seqLens.name ?? 'sequence_lens' });

  const matrices = loadMatrices(p);
  const stats = emptyStats();
  const images: Int32Array[] = [];
  let clock = 0;
  for (let b = 0; b < B; b++) {
    const dram = new Int32Array(io.dramWords);
    for (const t of io.tensors) fillRegion(dram, t, b, T, B, inputs, p.target.actBits);
    clock += runSequence(p, matrices, dram, stats, { seqLen: lens[b], fullLen: T, trace: opts.trace, startCycle: clock, maxInstructions: opts.maxInstructions });
    images.push(dram);
  }

  // LSTM outputs, ONNX-shaped
  const raw = new Map<string, { dims: number[]; data: Int32Array }>();
  const floats = new Map<string, HostTensor>();
  const byNode = new Map<string, IoTensor[]>();
  for (const t of io.tensors) if (t.role === 'y' || t.role === 'yh' || t.role === 'yc') byNode.set(t.node, [...(byNode.get(t.node) ?? []), t]);
  for (const [node, ts] of byNode) {
    for (const [role, which] of [['y', 'Y'], ['yh', 'Y_h'], ['yc', 'Y_c']] as const) {
      const parts = ts.filter((t) => t.role === role).sort((a, c) => a.dir - c.dir);
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
      const dims = role === 'y' ? (layout === 0 ? [T, D, B, H] : [B, T, D, H]) : layout === 0 ? [D, B, H] : [B, D, H];
      raw.set(`${node}:${which}`, { dims: role === 'y' ? [T, D, B, H] : [D, B, H], data: ints });
      floats.set(`${node}:${which}`, { dims, data: out });
    }
  }
  const outputs = new Map<string, HostTensor>();
  for (const o of io.outputs) {
    let t = floats.get(`${o.node}:${o.which}`)!;
    for (const s of o.glue) t = applyGlue(t, s);
    outputs.set(o.name, t);
  }
  if (p.host.length) runHostSection(p, floats, inputs, outputs);
  return { outputs, raw, stats, matrices, sequences: B, seqLens: lens };
}

function fillRegion(dram: Int32Array, t: IoTensor, b: number, T: number, B: number, inputs: ReadonlyMap<string, SimInput>, A: number): void {
  if (t.role === 'x') {
    const v = inputs.get(t.name)!;
    for (let s = 0; s < T; s++) {
      const src = t.layout === 0 ? (s * B + b) * t.width : (b * T + s) * t.width;
      for (let k = 0; k < t.width; k++) dram[t.addr + s * t.width + k] = toFixed(v.data[src + k], t.frac, A);
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
  for (let k = 0; k < t.width; k++) dram[t.addr + k] = toFixed(v.data[off + k], t.frac, A);
}

/** Run the host section (ops the accelerator lacks) on the JS runtime, fed the LSTM outputs and graph inputs. */
function runHostSection(p: LxbProgram, floats: Map<string, HostTensor>, inputs: ReadonlyMap<string, SimInput>, outputs: Map<string, HostTensor>): void {
  try {
    const model = loadModel(p.host);
    const feed: Record<string, RtTensor> = {};
    for (const i of model.inputs) {
      const f = p.io.hostFeeds.find((x) => x.name === i.name);
      if (f) {
        const t = floats.get(`${f.node}:${f.which}`)!;
        feed[i.name] = { dtype: 'f32', shape: t.dims, data: Float32Array.from(t.data) };
        continue;
      }
      const v = inputs.get(i.name);
      if (!v) fail('E-SIM-INPUT', `input '${i.name}' is missing`, { field: i.name });
      const n = v.data.length;
      const data = i.dtype === 'i64' ? BigInt64Array.from({ length: n }, (_, k) => BigInt(Math.trunc(Number(v.data[k])))) : new RT_DTYPES[i.dtype].ctor(n);
      if (i.dtype !== 'i64') for (let k = 0; k < n; k++) (data as Float32Array)[k] = Number(v.data[k]);
      feed[i.name] = { dtype: i.dtype, shape: v.dims, data } as RtTensor;
    }
    const res = model.run(feed);
    for (const o of model.outputs) {
      const t = res[o.name]!;
      outputs.set(o.name, { dims: t.shape, data: Float64Array.from(t.data as ArrayLike<number | bigint>, Number) });
    }
  } catch (e) {
    if (isRuntimeError(e)) fail(e.code, `host section: ${e.message}`, e.field !== undefined ? { field: e.field } : {});
    throw e;
  }
}
