import type { Node } from '@lstmc/ir';
import { RT_EXEC_MODES, type RtExecMode, type RtExecModeKind } from '@lstmc/runtime';

/** Annotation keys the mode-selection pass writes on LSTM nodes (see @lstmc/passes annotations). */
export const MODE_ANNOTATIONS = { W: 'lstmc.mode.W', R: 'lstmc.mode.R' } as const satisfies Record<keyof RtExecMode, string>;

function kindsOf(n: Node, key: string): RtExecModeKind[] | undefined {
  const a = n.attrs[key];
  const vals = a?.kind === 'string' ? [a.value] : a?.kind === 'strings' ? [...a.value] : undefined;
  if (!vals || vals.length === 0) return undefined;
  // select-mode writes the target's matvec modes (dense, sparse-weight, sparse-input, sparse-both): any sparse-* is sparse here.
  const kinds = vals.map((v) => (v.startsWith('sparse-') ? 'sparse' : v));
  return kinds.every((v): v is RtExecModeKind => (RT_EXEC_MODES as readonly string[]).includes(v)) ? kinds : undefined;
}

/**
 * The execution mode recorded for an LSTM layer, from the passes' per-direction annotations.
 * The runtime graph keeps one mode per layer and matrix: a matrix is `sparse` when any direction
 * runs it sparse. Undefined when the graph was not annotated.
 */
export function execModeOf(n: Node): RtExecMode | undefined {
  const w = kindsOf(n, MODE_ANNOTATIONS.W);
  const r = kindsOf(n, MODE_ANNOTATIONS.R);
  if (!w && !r) return undefined;
  const pick = (k: RtExecModeKind[] | undefined): RtExecModeKind => (k?.includes('sparse') ? 'sparse' : 'dense');
  return { W: pick(w), R: pick(r) };
}
