import { sparsityThreshold } from './threshold-search.js';
import type { Target } from './params.js';
import { expectedLayout, type MatrixLayout, type MatvecMode } from './cost-model.js';
import { layerStepCycles, type LayerPlanCost } from './layer-cost.js';

/**
 * The weight layouts of a whole layer step, chosen together. W and R share
 * each PE's weight SRAM: when their encodings together exceed
 * `weightSramBytesPerPe`, both are streamed from DRAM every step, so whether
 * one matrix should be stored sparse depends on the other's layout too.
 * `breakEvenSparsity` looks at one matrix alone and misses that.
 */

/** What the layout choice of one LSTM layer direction depends on. */
export interface LayerSparsity {
  readonly input: number;
  readonly hidden: number;
  /** Fraction of zero weights of W (input part) and R (recurrent part). */
  readonly weightSparsityW: number;
  readonly weightSparsityR: number;
  /** Expected zero fraction of x_t and h_(t-1) (0 when unknown). */
  readonly inputSparsityW: number;
  readonly inputSparsityR: number;
}

/** Sparse (relative-indexed CSC) or dense weights for W and R. */
export interface WeightLayouts {
  readonly sparseW: boolean;
  readonly sparseR: boolean;
}

export const LAYOUT_COMBOS: readonly WeightLayouts[] = [
  { sparseW: false, sparseR: false },
  { sparseW: false, sparseR: true },
  { sparseW: true, sparseR: false },
  { sparseW: true, sparseR: true },
];

export function layoutsLabel(l: WeightLayouts): string {
  return `${l.sparseW ? 'sparse' : 'dense'}/${l.sparseR ? 'sparse' : 'dense'}`;
}

export interface LayoutCost {
  /** Expected cycles of one step (layerStepCycles) with each matrix in its cheaper input handling. */
  readonly cycles: number;
  readonly modeW: MatvecMode;
  readonly modeR: MatvecMode;
  /** W and R together exceed the weight SRAM: both are streamed every step. */
  readonly streaming: boolean;
}

function modesOf(sparse: boolean): readonly MatvecMode[] {
  return sparse ? ['sparse-weight', 'sparse-both'] : ['dense', 'sparse-input'];
}

/**
 * Expected cycles of one step of the layer with the given weight layouts
 * (expected layouts: modulo row mapping, non-zeros spread evenly over PEs).
 * Each matrix takes whichever of its two input handlings (all columns, or
 * zero inputs skipped after the zero scan) is cheaper at the expected input
 * sparsity; the input handling does not change the bytes stored, so the four
 * combinations are compared as whole steps.
 */
export function expectedLayoutStepCycles(l: LayerSparsity, layouts: WeightLayouts, t: Target, cache?: Map<string, MatrixLayout>): LayoutCost {
  const layoutOf = (rows: number, cols: number, s: number): MatrixLayout => {
    const key = `${rows}x${cols}@${s}`;
    const hit = cache?.get(key);
    if (hit) return hit;
    const made = expectedLayout({ rows, cols }, s, t);
    cache?.set(key, made);
    return made;
  };
  const H = l.hidden;
  const w = layoutOf(4 * H, l.input, layouts.sparseW ? l.weightSparsityW : 0);
  const r = layoutOf(4 * H, H, layouts.sparseR ? l.weightSparsityR : 0);
  let best: LayoutCost | undefined;
  for (const modeW of modesOf(layouts.sparseW))
    for (const modeR of modesOf(layouts.sparseR)) {
      const plan: LayerPlanCost = {
        features: { hidden: H, bias: true, peephole: false, inputForget: false },
        input: l.input,
        w: { layout: w, mode: modeW },
        r: { layout: r, mode: modeR },
      };
      const step = layerStepCycles(plan, t, l.input * (1 - l.inputSparsityW), H * (1 - l.inputSparsityR));
      if (!best || step.total < best.cycles) best = { cycles: step.total, modeW, modeR, streaming: step.dma > 0 };
    }
  return best!;
}

export interface LayoutChoice extends WeightLayouts {
  /** Expected step cycles of every combination, in LAYOUT_COMBOS order. */
  readonly costs: readonly LayoutCost[];
  readonly cycles: number;
}

/** The cheapest of the four weight-layout combinations (ties: fewer sparse matrices, W dense first). */
export function bestWeightLayouts(l: LayerSparsity, t: Target): LayoutChoice {
  const cache = new Map<string, MatrixLayout>();
  const costs = LAYOUT_COMBOS.map((c) => expectedLayoutStepCycles(l, c, t, cache));
  let k = 0;
  costs.forEach((c, i) => {
    if (c.cycles < costs[k].cycles) k = i;
  });
  return { ...LAYOUT_COMBOS[k], costs, cycles: costs[k].cycles };
}

/**
 * The weight sparsity of matrix `m` from which storing it sparse makes the
 * layer step cheaper than storing it dense, the other matrix keeping its
 * sparsity and the layout `otherSparse`. Resolution 0.001; Infinity when
 * sparse never wins. The sparse cost never rises with sparsity (fewer
 * entries to process, fewer bytes to hold or stream) and the dense cost does
 * not depend on it, so the smallest winning grid point is found by bisection.
 */
export function layerWeightThreshold(l: LayerSparsity, m: 'W' | 'R', otherSparse: boolean, t: Target): number {
  const cache = new Map<string, MatrixLayout>();
  const at = (s: number, sparse: boolean) =>
    expectedLayoutStepCycles(
      m === 'W' ? { ...l, weightSparsityW: s } : { ...l, weightSparsityR: s },
      m === 'W' ? { sparseW: sparse, sparseR: otherSparse } : { sparseW: otherSparse, sparseR: sparse },
      t,
      cache,
    ).cycles;
  const dense = at(0, false);
  return sparsityThreshold((s) => at(s, true) < dense);
}
