import type { Node } from '@lstmc/ir';
import { ANN } from '@lstmc/passes';
import type { RtExecMode, RtExecModeKind } from '@lstmc/runtime';

/** Annotation keys the mode-selection pass writes on LSTM nodes, per matrix. */
const MODE_ANNOTATIONS = { W: ANN.modeW, R: ANN.modeR } as const satisfies Record<keyof RtExecMode, string>;

/**
 * The pass records one matvec mode per direction: `dense`, or a sparse one (`sparse-weight`,
 * `sparse-input`, `sparse-both`); for a decision taken at run time this is its default (low) mode.
 */
function kindOf(mode: string): RtExecModeKind | undefined {
  if (mode === 'dense') return 'dense';
  return mode.startsWith('sparse') ? 'sparse' : undefined;
}

function kindsOf(n: Node, key: string): RtExecModeKind[] | undefined {
  const a = n.attrs[key];
  const vals = a?.kind === 'string' ? [a.value] : a?.kind === 'strings' ? [...a.value] : undefined;
  if (!vals || vals.length === 0) return undefined;
  const kinds = vals.map(kindOf);
  return kinds.every((k): k is RtExecModeKind => k !== undefined) ? kinds : undefined;
}

/**
 * The execution mode recorded for an LSTM layer, from the passes' per-direction annotations.
 * The runtime graph keeps one mode per layer and matrix: a matrix is `sparse` when any direction
 * runs it in a sparse mode. Undefined when the graph was not annotated.
 */
export function execModeOf(n: Node): RtExecMode | undefined {
  const w = kindsOf(n, MODE_ANNOTATIONS.W);
  const r = kindsOf(n, MODE_ANNOTATIONS.R);
  if (!w && !r) return undefined;
  const pick = (k: RtExecModeKind[] | undefined): RtExecModeKind => (k?.includes('sparse') ? 'sparse' : 'dense');
  return { W: pick(w), R: pick(r) };
}

/** Modes in which the weights themselves are stored and multiplied compressed. */
const SPARSE_WEIGHT_MODES: readonly string[] = ['sparse-weight', 'sparse-both'];

/**
 * Which matrices of an LSTM layer the JS runtime should store compressed (`lstm.sparse.f32`): those
 * whose recorded mode is `sparse-weight` or `sparse-both` in some direction. `sparse-input` alone (zero
 * skipping on the vector) keeps dense weights; unannotated layers are dense.
 */
export function sparseWeightsOf(n: Node): { W: boolean; R: boolean } {
  const has = (key: string) => {
    const a = n.attrs[key];
    const vals = a?.kind === 'string' ? [a.value] : a?.kind === 'strings' ? a.value : [];
    return vals.some((v) => SPARSE_WEIGHT_MODES.includes(v));
  };
  return { W: has(MODE_ANNOTATIONS.W), R: has(MODE_ANNOTATIONS.R) };
}

/** Which matrices run on int8 weights (the kernels' int8_w / int8_r): those select-mode{cost=cpu} chose int8 for in some direction. */
export function int8WeightsOf(n: Node): { W: boolean; R: boolean } {
  const has = (key: string) => {
    const a = n.attrs[key];
    return a?.kind === 'strings' && a.value.includes('int8');
  };
  return { W: has(ANN.modeWeightsW), R: has(ANN.modeWeightsR) };
}
