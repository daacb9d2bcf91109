/**
 * Row -> PE assignment of a layer's stacked gate matrix [W | R] (4H rows).
 * The same assignment applies to W and R. Within a PE, its rows are kept in
 * ascending global row order; that order defines the PE-local row index used by
 * the relative-indexed CSC layout.
 */
export const ROW_ASSIGNMENTS = ['modulo', 'balanced'] as const;
export type RowAssignmentKind = (typeof ROW_ASSIGNMENTS)[number];

export interface RowAssignment {
  readonly kind: RowAssignmentKind;
  readonly pes: number;
  /** peOfRow[r] = PE of global row r. */
  readonly peOfRow: Int32Array;
}

/** The default mapping of TARGET.md: row r on PE r mod pes. */
export function rowToPe(rows: number, pes: number): RowAssignment {
  const peOfRow = new Int32Array(rows);
  for (let r = 0; r < rows; r++) peOfRow[r] = r % pes;
  return { kind: 'modulo', pes, peOfRow };
}

/**
 * A balanced assignment: rows sorted by decreasing cost (e.g. encoded entries
 * of the row in W and R together), each given to the least-loaded PE that still
 * has fewer than ceil(rows/pes) rows (so dense mode is never slower than with
 * the modulo mapping). Ties go to the lower row index and the lower PE index, so
 * the result is deterministic.
 */
export function balancedRowAssignment(rowCost: ArrayLike<number>, pes: number): RowAssignment {
  const rows = rowCost.length;
  const cap = Math.ceil(rows / pes);
  const order = Array.from({ length: rows }, (_, r) => r).sort((a, b) => rowCost[b] - rowCost[a] || a - b);
  const load = new Float64Array(pes);
  const count = new Int32Array(pes);
  const peOfRow = new Int32Array(rows);
  for (const r of order) {
    let best = -1;
    for (let p = 0; p < pes; p++) {
      if (count[p] >= cap) continue;
      if (best < 0 || load[p] < load[best]) best = p;
    }
    peOfRow[r] = best;
    load[best] += rowCost[r];
    count[best]++;
  }
  return { kind: 'balanced', pes, peOfRow };
}

/** Rebuild an assignment recorded as a plain array (e.g. read from a binary). */
export function assignmentFromArray(peOfRow: ArrayLike<number>, pes: number, kind: RowAssignmentKind): RowAssignment {
  const a = Int32Array.from(peOfRow);
  for (const p of a) {
    if (!(p >= 0 && p < pes)) throw new Error(`row assignment names PE ${p} of ${pes}`);
  }
  return { kind, pes, peOfRow: a };
}

/** Global rows of each PE, ascending (index = PE-local row index). */
export function rowsOfPes(a: RowAssignment): Int32Array[] {
  const counts = new Int32Array(a.pes);
  for (const p of a.peOfRow) counts[p]++;
  const out = Array.from({ length: a.pes }, (_, p) => new Int32Array(counts[p]));
  const fill = new Int32Array(a.pes);
  for (let r = 0; r < a.peOfRow.length; r++) {
    const p = a.peOfRow[r];
    out[p][fill[p]++] = r;
  }
  return out;
}
