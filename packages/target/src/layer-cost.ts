import type { Target } from './params.js';
import {
  dmaCycles,
  expectedLayout,
  matvecCycles,
  usesSparseInput,
  usesSparseWeights,
  vectorOpCycles,
  weightBytesPerPe,
  zeroScanCycles,
  type InputPattern,
  type MatrixLayout,
  type MatrixShape,
  type MatvecMode,
} from './cost-model.js';
import { advanceTimeline, streamedProductOrder, streamTiles, type TimedOp, type Timeline, type WeightTile } from './weight-tiles.js';

/** Options of an ONNX LSTM layer that change the per-step work. */
export interface LstmStepFeatures {
  readonly hidden: number;
  readonly bias: boolean;
  readonly peephole: boolean;
  readonly inputForget: boolean;
}

/**
 * Activation / element-wise operations of an LSTM step. `passes`: how many
 * times the op streams its elements through the unit (the cell update
 * c = f*c + i*g needs two multiplies per element). Gate pre-activation clipping
 * is done by the activation unit on its input, so it costs nothing extra.
 */
export const VECTOR_OPS = {
  bias: { passes: 1 },
  peephole: { passes: 1 },
  sigmoid: { passes: 1 },
  tanh: { passes: 1 },
  'one-minus': { passes: 1 },
  cell: { passes: 2 },
  mul: { passes: 1 },
} as const satisfies Record<string, { passes: number }>;
export type VectorOpKind = keyof typeof VECTOR_OPS;

/** Cycles of one vector op of kind `op` over n elements. */
export function vectorKindCycles(op: VectorOpKind, n: number, t: Target): number {
  return VECTOR_OPS[op].passes * vectorOpCycles(n, t);
}

/**
 * The activation / element-wise operations of one LSTM step, in order, each
 * over `n` elements (gate rows in ONNX order i, o, f, c). Codegen in
 * backend-accel emits exactly this sequence and runtime/src/fixed runs it; the
 * cost model counts it.
 */
export function stepVectorOps(f: LstmStepFeatures): { op: VectorOpKind; n: number }[] {
  const H = f.hidden;
  const ops: { op: VectorOpKind; n: number }[] = [];
  if (f.bias) ops.push({ op: 'bias', n: 4 * H });
  if (f.peephole) ops.push({ op: 'peephole', n: H }, { op: 'peephole', n: H }); // i += Pi*c, f += Pf*c
  if (f.peephole) ops.push({ op: 'sigmoid', n: H }, { op: 'sigmoid', n: H }); // i, f (o waits for c_t)
  else ops.push({ op: 'sigmoid', n: 3 * H }); // i, o, f are contiguous rows
  ops.push({ op: 'tanh', n: H }); // g
  if (f.inputForget) ops.push({ op: 'one-minus', n: H }); // f = 1 - i
  ops.push({ op: 'cell', n: H }); // c = f*c + i*g
  if (f.peephole) ops.push({ op: 'peephole', n: H }, { op: 'sigmoid', n: H }); // o += Po*c_t; o = sigma(o)
  ops.push({ op: 'tanh', n: H }, { op: 'mul', n: H }); // h = o * tanh(c)
  return ops;
}

export interface LayerPlanCost {
  readonly features: LstmStepFeatures;
  readonly input: number;
  readonly w: { readonly layout: MatrixLayout; readonly mode: MatvecMode };
  readonly r: { readonly layout: MatrixLayout; readonly mode: MatvecMode };
  /**
   * Sequences of a batch that step together (at most the target's batch; default 1). Each has its
   * own vector-memory and accumulator bank; every instruction of a step serves each of them, the
   * weights are loaded (streamed) once for all.
   */
  readonly banks?: number;
}

export interface StepCost {
  readonly scan: number;
  readonly matvecW: number;
  readonly matvecR: number;
  readonly vector: number;
  /** Weight streaming. */
  readonly dma: number;
  /** Loading x_t and storing h_t (actBits words each, serialized on the DMA engine). */
  readonly io: number;
  /** One-cycle control instructions: x load issue, sync, h store issue, loop step (+ issue and sync per streamed tile). */
  readonly control: number;
  /**
   * Cycles of a step. For a layer whose weights stream (double-buffered column tiles,
   * weight-tiles.ts) the DMA overlaps the products: the total is the steady-state step of
   * that schedule's timeline, less than the sum of the parts.
   */
  readonly total: number;
}

/** Bytes of W and R together on each PE, and whether they must be streamed every step. */
export function layerWeightResidency(plan: LayerPlanCost, t: Target): { bytesPerPe: Float64Array; totalBytes: number; streaming: boolean } {
  const bw = weightBytesPerPe(plan.w.layout, usesSparseWeights(plan.w.mode), t);
  const br = weightBytesPerPe(plan.r.layout, usesSparseWeights(plan.r.mode), t);
  const bytesPerPe = bw.map((b, p) => b + br[p]);
  let totalBytes = 0;
  let max = 0;
  for (const b of bytesPerPe) {
    totalBytes += b;
    max = Math.max(max, b);
  }
  return { bytesPerPe, totalBytes, streaming: max > t.weightSramBytesPerPe };
}

/** Words moved for every bank of a batch: the DMA of `words` activations per bank. */
function ioCycles(words: number, banks: number, t: Target): number {
  return dmaCycles(banks * Math.ceil((words * t.actBits) / 8), t);
}

/** A zero scan of an n-element vector in every bank (as the zscan instruction costs it). */
function scanCycles(n: number, banks: number, t: Target): number {
  return Math.max(1, banks * zeroScanCycles(n, t));
}

/** Cycles of one time step of a layer. `x` and `h` describe the non-zeros of x_t and h_(t-1) (of each bank). */
export function layerStepCycles(plan: LayerPlanCost, t: Target, x?: InputPattern, h?: InputPattern): StepCost {
  const H = plan.features.hidden;
  const B = plan.banks ?? 1;
  const scan = (usesSparseInput(plan.w.mode) ? B * zeroScanCycles(plan.input, t) : 0) + (usesSparseInput(plan.r.mode) ? B * zeroScanCycles(H, t) : 0);
  const matvecW = matvecCycles(plan.w.layout, plan.w.mode, t, x, B);
  const matvecR = matvecCycles(plan.r.layout, plan.r.mode, t, h, B);
  let vector = 0;
  for (const o of stepVectorOps(plan.features)) vector += B * vectorKindCycles(o.op, o.n, t);
  const res = layerWeightResidency(plan, t);
  const io = ioCycles(plan.input, B, t) + ioCycles(H, B, t);
  const tiles = res.streaming ? streamTiles(plan.w, plan.r, t) : null;
  if (tiles) {
    const dma = tiles.reduce((a, k) => a + dmaCycles(k.totalBytes, t), 0);
    const tl: Timeline = { now: 0, dmaBusyUntil: 0 };
    advanceTimeline(tl, streamedPrologue(plan, tiles, t));
    const ops = streamedStepOps(plan, tiles, t, x, h);
    // the DMA engine's backlog carries from step to step; two steps reach the steady state
    for (let k = 0; k < 2; k++) advanceTimeline(tl, ops);
    const before = tl.now;
    advanceTimeline(tl, ops);
    return { scan, matvecW, matvecR, vector, dma, io, control: 4 + 2 * tiles.length, total: tl.now - before };
  }
  const dma = res.streaming ? dmaCycles(res.totalBytes, t) : 0;
  const control = 4 + (res.streaming ? 4 : 0);
  return { scan, matvecW, matvecR, vector, dma, io, control, total: scan + matvecW + matvecR + vector + dma + io + control };
}

/** The input pattern `p` of a whole product restricted to columns c0 .. c1-1 of a `cols`-column matrix. */
function tilePattern(p: InputPattern, c0: number, c1: number, cols: number): InputPattern {
  if (p === undefined) return undefined;
  if (typeof p === 'number') return cols === 0 ? 0 : (p * (c1 - c0)) / cols;
  const out: number[] = [];
  for (let k = 0; k < p.length; k++) if (p[k] >= c0 && p[k] < c1) out.push(p[k] - c0);
  return out;
}

/** Load tile 0 and the initial h and c, wait, start the loop. */
function streamedPrologue(plan: LayerPlanCost, tiles: readonly WeightTile[], t: Target): TimedOp[] {
  const state = ioCycles(plan.features.hidden, plan.banks ?? 1, t);
  return [{ kind: 'dma', cycles: dmaCycles(tiles[0].totalBytes, t) }, { kind: 'dma', cycles: state }, { kind: 'dma', cycles: state }, { kind: 'sync' }, { kind: 'issue', cycles: 1 }];
}

/** One step of a streamed layer in the order codegen emits it (streamedProductOrder). */
function streamedStepOps(plan: LayerPlanCost, tiles: readonly WeightTile[], t: Target, x?: InputPattern, h?: InputPattern): TimedOp[] {
  const H = plan.features.hidden;
  const B = plan.banks ?? 1;
  const ops: TimedOp[] = [{ kind: 'dma', cycles: ioCycles(plan.input, B, t) }, { kind: 'sync' }];
  const scanW = usesSparseInput(plan.w.mode);
  const scanR = usesSparseInput(plan.r.mode);
  for (const s of streamedProductOrder(tiles, scanW, scanR)) {
    if (s.op === 'sync') ops.push({ kind: 'sync' });
    else if (s.op === 'scan-x') ops.push({ kind: 'issue', cycles: scanCycles(plan.input, B, t) });
    else if (s.op === 'scan-h') ops.push({ kind: 'issue', cycles: scanCycles(H, B, t) });
    else if (s.op === 'prefetch') ops.push({ kind: 'dma', cycles: dmaCycles(tiles[s.tile].totalBytes, t) });
    else {
      const k = tiles[s.tile];
      const m = k.matrix === 'w' ? plan.w : plan.r;
      const pattern = tilePattern(k.matrix === 'w' ? x : h, k.c0, k.c1, m.layout.cols);
      ops.push({ kind: 'issue', cycles: Math.max(1, matvecCycles(k.layout, m.mode, t, pattern, B)) });
    }
  }
  for (const o of stepVectorOps(plan.features)) ops.push({ kind: 'issue', cycles: B * vectorKindCycles(o.op, o.n, t) });
  ops.push({ kind: 'dma', cycles: ioCycles(H, B, t) }, { kind: 'issue', cycles: 1 });
  return ops;
}

/**
 * Expected cycles of one matrix-vector product (including the zero scan when the
 * mode skips zero inputs and, when the matrix alone exceeds the weight SRAM,
 * streaming its weights) for a matrix of the given shape, weight sparsity and
 * input sparsity.
 */
export function expectedMatvecCycles(shape: MatrixShape, mode: MatvecMode, weightSparsity: number, inputSparsity: number, t: Target): number {
  const layout = expectedLayout(shape, usesSparseWeights(mode) ? weightSparsity : 0, t);
  const nz = shape.cols * (1 - inputSparsity);
  let c = matvecCycles(layout, mode, t, usesSparseInput(mode) ? nz : undefined);
  if (usesSparseInput(mode)) c += zeroScanCycles(shape.cols, t);
  const bytes = weightBytesPerPe(layout, usesSparseWeights(mode), t);
  let max = 0;
  let total = 0;
  for (const b of bytes) {
    max = Math.max(max, b);
    total += b;
  }
  if (max > t.weightSramBytesPerPe) c += dmaCycles(total, t);
  return c;
}

const GRID = 1000;

/** Smallest grid point s in [0,1] from which `cheaper(s)` holds up to 1; Infinity if it never does. */
function thresholdOnGrid(cheaper: (s: number) => boolean): number {
  let k = GRID;
  if (!cheaper(1)) return Number.POSITIVE_INFINITY;
  while (k > 0 && cheaper((k - 1) / GRID)) k--;
  return k / GRID;
}

/**
 * The weight sparsity at which the sparse-weight layout becomes cheaper
 * than the dense one for a matrix of this shape on this target (at the
 * given input sparsity, default 0, each layout using its best input mode).
 * Infinity when sparse never wins. Resolution 0.001. Used by
 * select-mode{weight-threshold=auto}.
 */
export function breakEvenSparsity(shape: MatrixShape, t: Target, inputSparsity = 0): number {
  const best = (modes: MatvecMode[], s: number) => Math.min(...modes.map((m) => expectedMatvecCycles(shape, m, s, inputSparsity, t)));
  const dense = best(['dense', 'sparse-input'], 0);
  return thresholdOnGrid((s) => best(['sparse-weight', 'sparse-both'], s) < dense);
}

/**
 * The input sparsity at which skipping zero inputs (with the zero-detect scan)
 * becomes cheaper than processing every column, for the given weight
 * layout and weight sparsity. Infinity when it never wins. Used by
 * select-mode{input-threshold=auto} and for the run-time branch threshold.
 */
export function breakEvenInputSparsity(shape: MatrixShape, t: Target, sparseWeights: boolean, weightSparsity = 0): number {
  const [full, skip]: MatvecMode[] = sparseWeights ? ['sparse-weight', 'sparse-both'] : ['dense', 'sparse-input'];
  const base = expectedMatvecCycles(shape, full, weightSparsity, 0, t);
  return thresholdOnGrid((s) => expectedMatvecCycles(shape, skip, weightSparsity, s, t) < base);
}

/**
 * Expected cycles of a whole layer direction over T steps: the prologue
 * (loading resident weights and the initial h and c, then a sync), T steps,
 * and the epilogue (storing the final h and c). `lens`: the steps of each
 * sequence of a batch whose lengths differ (plan.banks is then lens.length); the
 * loop runs max(lens) steps and a step serves the sequences it has not passed.
 */
export function layerCycles(plan: LayerPlanCost, T: number, t: Target, x?: InputPattern, h?: InputPattern, lens?: readonly number[]): number {
  const H = plan.features.hidden;
  const banks = lens ? lens.length : (plan.banks ?? 1);
  const steps = lens ? Math.max(0, ...lens) : T;
  const at = (k: number): LayerPlanCost => ({ ...plan, banks: lens ? lens.filter((l) => l > k).length : banks });
  const whole = at(-1);
  const res = layerWeightResidency(plan, t);
  const tiles = res.streaming ? streamTiles(plan.w, plan.r, t) : null;
  if (tiles) {
    // the timeline of the double-buffered schedule, step by step (the DMA backlog carries over)
    const tl: Timeline = { now: 0, dmaBusyUntil: 0 };
    advanceTimeline(tl, streamedPrologue(whole, tiles, t));
    const opsOf = new Map<number, TimedOp[]>();
    for (let k = 0; k < steps; k++) {
      const p = at(k);
      const ops = opsOf.get(p.banks!) ?? streamedStepOps(p, tiles, t, x, h);
      opsOf.set(p.banks!, ops);
      advanceTimeline(tl, ops);
    }
    return tl.now + 2;
  }
  const state = dmaCycles(banks * Math.ceil((H * t.actBits) / 8), t);
  const prologue = (res.streaming ? 0 : dmaCycles(res.totalBytes, t)) + 2 * state + 2;
  const epilogue = 2;
  const stepOf = new Map<number, number>();
  let body = 0;
  for (let k = 0; k < steps; k++) {
    const p = at(k);
    const c = stepOf.get(p.banks!) ?? layerStepCycles(p, t, x, h).total;
    stepOf.set(p.banks!, c);
    body += c;
  }
  return prologue + body + epilogue;
}

/**
 * Expected cycles of one step of a layer whose W and R both have weight
 * sparsity `s` and run in the given mode (W and R share the PEs' weight SRAM,
 * so a layer can need weight streaming although each matrix alone fits).
 */
export function expectedLayerStepCycles(input: number, hidden: number, mode: MatvecMode, s: number, inputSparsity: number, t: Target): number {
  const ws = usesSparseWeights(mode) ? s : 0;
  const plan: LayerPlanCost = {
    features: { hidden, bias: true, peephole: false, inputForget: false },
    input,
    w: { layout: expectedLayout({ rows: 4 * hidden, cols: input }, ws, t), mode },
    r: { layout: expectedLayout({ rows: 4 * hidden, cols: hidden }, ws, t), mode },
  };
  return layerStepCycles(plan, t, input * (1 - inputSparsity), hidden * (1 - inputSparsity)).total;
}

/**
 * The weight sparsity from which running both W and R of a layer with sparse
 * weights is cheaper than running both dense, counting weight streaming of
 * the layer as a whole (breakEvenSparsity looks at one matrix alone).
 * Infinity when sparse never wins. Resolution 0.001.
 */
export function layerBreakEvenSparsity(input: number, hidden: number, t: Target, inputSparsity = 0): number {
  const dense = Math.min(...(['dense', 'sparse-input'] as const).map((m) => expectedLayerStepCycles(input, hidden, m, 0, inputSparsity, t)));
  return thresholdOnGrid((s) => Math.min(...(['sparse-weight', 'sparse-both'] as const).map((m) => expectedLayerStepCycles(input, hidden, m, s, inputSparsity, t))) < dense);
}
