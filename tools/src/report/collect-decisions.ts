/**
 * Per layer, the mode decision select-mode recorded (lstmc.mode.*: modes,
 * thresholds, the run-time branch) with the sparsities it was made from
 * (lstmc.sparsity.*, lstmc.input_sparsity.*) and the cost-model numbers
 * behind it: the expected cycles of the product in dense and in the chosen
 * mode, and of each W/R weight-layout combination of the layer step (what
 * `weight-threshold=auto` minimises).
 */
import type { Graph, Node } from '@lstmc/ir';
import { ANN, MATRICES, type MatrixKind, NEVER, autoWeightThresholds, getFloats, getString, getStrings, lstmNodes, lstmParams } from '@lstmc/passes';
import { LAYOUT_COMBOS, type MatvecMode, MATVEC_MODES, type Target, expectedMatvecCycles, layoutsLabel } from '@lstmc/target';
import type { LayerDecisionData, MatrixDecisionData } from './report-data.js';
import { graphScopes } from './scopes.js';

const KEYS = {
  W: { ws: ANN.sparsityW, is: ANN.inputSparsityW, mode: ANN.modeW, runtime: ANN.modeWRuntime, zeros: ANN.modeWZeroCount, wt: ANN.modeWeightThresholdW, it: ANN.modeInputThresholdW },
  R: { ws: ANN.sparsityR, is: ANN.inputSparsityR, mode: ANN.modeR, runtime: ANN.modeRRuntime, zeros: ANN.modeRZeroCount, wt: ANN.modeWeightThresholdR, it: ANN.modeInputThresholdR },
} as const satisfies Record<MatrixKind, Record<string, string>>;

const asMode = (s: string | undefined): MatvecMode | undefined => MATVEC_MODES.find((m) => m === s);
/** Thresholds that can never be met are recorded as NEVER. */
const threshold = (v: number | undefined): number | null => (v === undefined || v >= NEVER ? null : v);

function matrixDecision(n: Node, m: MatrixKind, d: number, shape: { rows: number; cols: number }, t: Target): MatrixDecisionData | undefined {
  const k = KEYS[m];
  const ws = getFloats(n, k.ws)?.[d];
  const mode = asMode(getStrings(n, k.mode)?.[d]);
  if (ws === undefined || mode === undefined) return undefined;
  const is = getFloats(n, k.is)?.[d];
  const high = asMode(getStrings(n, k.runtime)?.[d]);
  const zeroCount = getFloats(n, k.zeros)?.[d];
  const cycles = (x: MatvecMode) => expectedMatvecCycles(shape, x, ws, is ?? 0, t);
  return {
    matrix: m,
    dir: d,
    weightSparsity: ws,
    weightThreshold: threshold(getFloats(n, k.wt)?.[d]),
    inputSparsity: is ?? null,
    inputThreshold: threshold(getFloats(n, k.it)?.[d]),
    mode,
    runtimeMode: high ?? null,
    zeroCount: high ? (zeroCount ?? null) : null,
    denseCycles: cycles('dense'),
    chosenCycles: cycles(mode),
  };
}

/** The decisions of every LSTM select-mode annotated, in the graph and in its If branches. */
export function collectDecisions(g0: Graph, t: Target): LayerDecisionData[] {
  const out: LayerDecisionData[] = [];
  for (const g of graphScopes(g0))
    for (const n of lstmNodes(g)) {
      const p = lstmParams(g, n);
      if (!p || !getStrings(n, ANN.modeW)) continue;
      const matrices: MatrixDecisionData[] = [];
      for (let d = 0; d < p.dirs; d++)
        for (const m of MATRICES) {
          const x = matrixDecision(n, m, d, { rows: 4 * p.hidden, cols: m === 'W' ? p.inputSize : p.hidden }, t);
          if (x) matrices.push(x);
        }
      const layouts = Array.from({ length: p.dirs }, (_, d) => {
        const at = (m: MatrixKind) => matrices.find((x) => x.matrix === m && x.dir === d);
        const auto = autoWeightThresholds(
          {
            input: p.inputSize,
            hidden: p.hidden,
            weightSparsityW: at('W')?.weightSparsity ?? 0,
            weightSparsityR: at('R')?.weightSparsity ?? 0,
            inputSparsityW: at('W')?.inputSparsity ?? 0,
            inputSparsityR: at('R')?.inputSparsity ?? 0,
          },
          t,
        );
        return { dir: d, costs: auto.choice.costs.map((c, i) => ({ layouts: layoutsLabel(LAYOUT_COMBOS[i]), modes: `${c.modeW}/${c.modeR}`, cycles: c.cycles, streaming: c.streaming })), cheapest: layoutsLabel(auto.choice) };
      });
      out.push({ node: n.name, input: p.inputSize, hidden: p.hidden, combine: getString(n, ANN.modeCombine) ?? 'or', matrices, layouts });
    }
  return out;
}
