import { fail, type Graph, type Node, type Tensor } from '@lstmc/ir';
import { ANN, ASSUMED_RANGE, floatDirections, getFloats, getStrings, lstmParams, unsupportedActivation } from '@lstmc/passes';
import { buildLuts, chooseLstmFormats, quantizeLstmDirection, toFixed, type FixedBits, type FixedLstmLayer, type FixedLstmFormats, type FixedLuts } from '@lstmc/runtime/fixed';
import { assignmentFromArray, MATVEC_MODES, rowToPe, type MatvecMode, type RowAssignment, type Target } from '@lstmc/target';

/** Weight integers as stored: the quantize pass's i8/i16 tensors are read as they are, not widened. */
export type IntMatrix = Int8Array | Int16Array | Int32Array;

/** A direction's fixed-point layer as codegen reads it: W and R in their stored integer width. */
export type CodegenLayer = Omit<FixedLstmLayer, 'W' | 'R'> & { readonly W: IntMatrix; readonly R: IntMatrix };

/** What codegen needs to know about one direction of one LSTM node. */
export interface DirPlan {
  readonly node: Node;
  readonly dir: number;
  readonly dirs: number;
  readonly layer: CodegenLayer;
  /** Static mode (or the low mode of a run-time decision) and, for run-time decisions, the high mode and zero-count threshold. */
  readonly modeW: MatvecMode;
  readonly modeR: MatvecMode;
  readonly runtimeW: { readonly high: MatvecMode; readonly zeroCount: number } | null;
  readonly runtimeR: { readonly high: MatvecMode; readonly zeroCount: number } | null;
  readonly assignment: RowAssignment;
}


function asMode(s: string | undefined, node: Node, key: string): MatvecMode | undefined {
  if (s === undefined || s === '') return undefined;
  if (!(MATVEC_MODES as readonly string[]).includes(s)) fail('E-ACCEL-MODE', `unknown mode '${s}' in ${key}`, { node: node.name, field: key });
  return s as MatvecMode;
}

function quantizedLayer(g: Graph, n: Node, d: number, bits: FixedBits, luts: FixedLuts, hidden: number, input: number, fallback: () => FixedLstmLayer): CodegenLayer {
  const names = (k: string) => getStrings(n, k)?.[d];
  const frac = (k: string) => getFloats(n, k)?.[d];
  const wName = names(ANN.qW);
  if (!wName) return fallback();
  const tensor = (name: string | undefined): Tensor | undefined => (name ? g.initializers.get(name) : undefined);
  const W = tensor(wName);
  const R = tensor(names(ANN.qR));
  if (!W || !R) fail('E-ACCEL-QUANT', `quantized weights named by ${ANN.qW} are missing`, { node: n.name });
  const fmt: FixedLstmFormats = {
    x: frac(ANN.qXFrac) ?? 0,
    c: frac(ANN.qCFrac) ?? 0,
    acc: frac(ANN.qAccFrac) ?? 0,
    w: frac(ANN.qWFrac) ?? 0,
    r: frac(ANN.qRFrac) ?? 0,
    p: frac(ANN.qPFrac) ?? 0,
  };
  const wb = getFloats(n, ANN.qWeightBits)?.[0];
  if (wb !== undefined && wb !== bits.weightBits) {
    fail('E-ACCEL-QUANT', `weights were quantized to ${wb} bits, the target has weightBits=${bits.weightBits}`, { node: n.name });
  }
  const B = tensor(names(ANN.qB));
  const P = tensor(names(ANN.qP));
  const clip = n.attrs.clip?.value as number | undefined;
  return {
    hidden,
    input,
    actBits: bits.actBits,
    accBits: bits.accBits,
    inputForget: (n.attrs.input_forget?.value as number | undefined) === 1,
    luts,
    fmt,
    W: intMatrix(W),
    R: intMatrix(R),
    bias: B ? Float64Array.from(B.data as ArrayLike<number | bigint>, Number) : null, // i64 when accBits > 32
    peephole: P ? Int32Array.from(P.data as ArrayLike<number>) : null,
    clip: clip === undefined ? null : toFixed(clip, fmt.acc, bits.accBits),
  };
}

/** The integers of a quantized weight tensor, without a copy when they are typed integers already. */
function intMatrix(t: Tensor): IntMatrix {
  const d = t.data;
  return d instanceof Int8Array || d instanceof Int16Array || d instanceof Int32Array ? d : Int32Array.from(d as ArrayLike<number>);
}

function assignmentOf(g: Graph, n: Node, d: number, rows: number, t: Target): RowAssignment {
  for (const key of [ANN.encW, ANN.encR]) {
    const base = getStrings(n, key)?.[d];
    const r = base ? g.initializers.get(`${base}.rows`) : undefined;
    const ptr = base ? g.initializers.get(`${base}.row_ptr`) : undefined;
    if (!r || !ptr || ptr.dims[0] !== t.pes + 1) continue;
    const peOfRow = new Int32Array(rows);
    const rd = r.data as ArrayLike<number>;
    const pd = ptr.data as ArrayLike<number>;
    for (let p = 0; p < t.pes; p++) for (let i = pd[p]; i < pd[p + 1]; i++) peOfRow[rd[i]] = p;
    const modulo = peOfRow.every((p, row) => p === row % t.pes);
    return modulo ? rowToPe(rows, t.pes) : assignmentFromArray(peOfRow, t.pes, 'balanced');
  }
  return rowToPe(rows, t.pes);
}

/**
 * Plans of every direction of an LSTM node, from the annotations of
 * select-mode (modes), encode (row assignment) and quantize (fixed-point
 * weights and formats). Without quantize annotations the weights are quantized
 * here with the quantize pass's defaults (|x|, |c| <= 8); without modes, dense.
 */
export function planLstm(g: Graph, n: Node, t: Target): DirPlan[] {
  const p = lstmParams(g, n);
  if (!p) fail('E-ACCEL-UNSUPPORTED', `LSTM '${n.name}' needs W and R as constant initializers`, { node: n.name });
  const bad = unsupportedActivation(n);
  if (bad) fail('E-ACCEL-UNSUPPORTED', bad, { node: n.name, field: 'activations' });
  const bits: FixedBits = { weightBits: t.weightBits, actBits: t.actBits, accBits: t.accBits, lutEntries: t.lutEntries };
  const luts = buildLuts(t.lutEntries, t.actBits);
  // the float weights are read only for a layer the quantize pass has not quantized
  let floats: ReturnType<typeof floatDirections> | undefined;
  return Array.from({ length: p.dirs }, (_, d): DirPlan => {
    const fallback = () => {
      const fd = (floats ??= floatDirections(g, p))[d];
      return quantizeLstmDirection(fd, chooseLstmFormats(fd, bits, ASSUMED_RANGE, ASSUMED_RANGE), bits, luts);
    };
    const layer = quantizedLayer(g, n, d, bits, luts, p.hidden, p.inputSize, fallback);
    const mode = (k: string) => asMode(getStrings(n, k)?.[d], n, k);
    const zc = (k: string) => getFloats(n, k)?.[d] ?? 0;
    const highW = mode(ANN.modeWRuntime);
    const highR = mode(ANN.modeRRuntime);
    return {
      node: n,
      dir: d,
      dirs: p.dirs,
      layer,
      modeW: mode(ANN.modeW) ?? 'dense',
      modeR: mode(ANN.modeR) ?? 'dense',
      runtimeW: highW ? { high: highW, zeroCount: zc(ANN.modeWZeroCount) } : null,
      runtimeR: highR ? { high: highR, zeroCount: zc(ANN.modeRZeroCount) } : null,
      assignment: assignmentOf(g, n, d, 4 * p.hidden, t),
    };
  });
}
