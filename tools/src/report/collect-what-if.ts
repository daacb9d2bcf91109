/**
 * The "what if" curve of each layer: expected accelerator cycles per step
 * (the target's cost model) as the weight sparsity of W and R sweeps 0..1,
 * with both matrices dense, both sparse, and the cheapest layouts (what
 * `select-mode{weight-threshold=auto}` picks), the sparsities where that
 * choice changes, and the JS runtime's measured CPU time at a few sparsities.
 */
import { LAYOUT_COMBOS, type Target, bestWeightLayouts, layoutsLabel } from '@lstmc/target';
import type { LayerDecisionData, WhatIfData, WhatIfPoint } from './report-data.js';
import { type CpuMeasureOptions, measureCpu } from './measure-cpu.js';

export const WHAT_IF_GRID = 100;

export function whatIfCurve(layer: { node: string; input: number; hidden: number; current: number; inputSparsityW: number; inputSparsityR: number }, t: Target, cpu: CpuMeasureOptions | null): WhatIfData {
  const points: WhatIfPoint[] = [];
  for (let k = 0; k <= WHAT_IF_GRID; k++) {
    const s = k / WHAT_IF_GRID;
    const c = bestWeightLayouts({ input: layer.input, hidden: layer.hidden, weightSparsityW: s, weightSparsityR: s, inputSparsityW: layer.inputSparsityW, inputSparsityR: layer.inputSparsityR }, t);
    const at = (sparseW: boolean, sparseR: boolean) => c.costs[LAYOUT_COMBOS.findIndex((x) => x.sparseW === sparseW && x.sparseR === sparseR)].cycles;
    points.push({ sparsity: s, dense: at(false, false), sparse: at(true, true), auto: c.cycles, autoLayouts: layoutsLabel(c) });
  }
  const switches: WhatIfData['switches'][number][] = [];
  for (let k = 1; k < points.length; k++)
    if (points[k].autoLayouts !== points[k - 1].autoLayouts) switches.push({ sparsity: points[k].sparsity, from: points[k - 1].autoLayouts, to: points[k].autoLayouts });
  return {
    node: layer.node,
    input: layer.input,
    hidden: layer.hidden,
    current: layer.current,
    points,
    switches,
    cpu: cpu ? measureCpu(layer.input, layer.hidden, cpu) : [],
    cpuSteps: cpu?.steps ?? 0,
  };
}

/** The curves of the decided layers, read at their measured sparsities. */
export function collectWhatIf(decisions: readonly LayerDecisionData[], t: Target, cpu: ((input: number, hidden: number) => CpuMeasureOptions) | null): WhatIfData[] {
  return decisions.map((d) => {
    const fwd = (m: 'W' | 'R') => d.matrices.find((x) => x.matrix === m && x.dir === 0);
    const ws = [fwd('W')?.weightSparsity ?? 0, fwd('R')?.weightSparsity ?? 0];
    return whatIfCurve(
      { node: d.node, input: d.input, hidden: d.hidden, current: (ws[0] + ws[1]) / 2, inputSparsityW: fwd('W')?.inputSparsity ?? 0, inputSparsityR: fwd('R')?.inputSparsity ?? 0 },
      t,
      cpu ? cpu(d.input, d.hidden) : null,
    );
  });
}
