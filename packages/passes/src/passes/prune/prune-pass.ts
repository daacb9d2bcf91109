/**
 * `prune`: set LSTM weights to zero to a target sparsity. W (input) and R
 * (recurrent) matrices may get different sparsities. Reports the achieved
 * sparsity per matrix and per gate.
 */
import type { Tensor } from '@lstmc/ir';
import { definePass, type ReportTable } from '../../pass.js';
import { reachingBranches } from '../../branch-lstms.js';
import {
  GATES,
  MATRICES,
  type LstmParams,
  type MatrixKind,
  buildMatrixTensor,
  lstmNodes,
  lstmParams,
  matrixCols,
  matrixLabel,
  readMatrix,
  replaceInitializers,
} from '../../lstm-params.js';
import { pruneBalanced, pruneBalancedGroups, pruneBlocks, pruneMagnitude, pruneRows } from './methods.js';
import { pruneBalancedEntries } from './balance-entries.js';
import { magnitudeBits, smallestMagnitudes, zerosFor } from './select.js';
import { maxGapReportRow, parseMaxGap } from './max-gap-option.js';
import { pruneBalancedGapless, pruneBalancedMaxGap } from './max-gap.js';

export const PRUNE_METHODS = ['magnitude', 'row', 'block', 'balanced'] as const;

export const prunePass = reachingBranches(definePass({
  name: 'prune',
  summary: 'magnitude, row, block or load-balanced (per-PE) pruning of LSTM W and R to a target sparsity',
  options: {
    method: { kind: 'enum', values: PRUNE_METHODS, default: 'magnitude', doc: 'what is removed: single weights, whole rows, blocks, or per-PE balanced weights' },
    sparsity: { kind: 'float', default: 0.5, min: 0, max: 1, doc: 'fraction of weights set to zero' },
    'w-sparsity': { kind: 'float-or-auto', default: 'auto', min: 0, max: 1, doc: 'sparsity of W (input) matrices; auto = sparsity' },
    'r-sparsity': { kind: 'float-or-auto', default: 'auto', min: 0, max: 1, doc: 'sparsity of R (recurrent) matrices; auto = sparsity' },
    scope: { kind: 'enum', values: ['per-matrix', 'global'], default: 'per-matrix', doc: 'magnitude: one threshold per matrix, or one over all W (and all R) matrices' },
    block: { kind: 'dims', default: [4, 4], rank: 2, doc: 'block shape rows x cols for method=block' },
    group: {
      kind: 'int',
      default: 1,
      min: 1,
      max: 64,
      doc: "method=balanced: rows of this many consecutive units of one gate keep the same columns (every row the same count); 4 lets the JS runtime's row-group kernels read one column index per 4 rows, 16 per 16 rows (wide row groups)",
    },
    balance: {
      kind: 'enum',
      values: ['nnz', 'entries'],
      default: 'nnz',
      doc: 'method=balanced: equal non-zeros per PE, or equal encoded entries (non-zeros + csc-rel padding) per PE',
    },
    'max-gap': {
      kind: 'string',
      default: 'off',
      doc: 'method=balanced: off, auto (2^relIndexBits - 1: no csc-rel padding) or N: keep weights so no run of zero rows before a kept weight in a PE column exceeds N (same count per PE), and report the |w| given up',
    },
    'gap-repair': {
      kind: 'bool',
      default: true,
      doc: "method=balanced with balance=nnz, group=1 and no max-gap: choose each PE's weights as max-gap=auto does (same count per PE, no gap needs a csc-rel padding entry), without its report; false: each PE's largest weights, padding entries and all",
    },
  },
  requires: [],
  establishes: [],
  invalidates: ['weight-sparsity', 'input-sparsity', 'modes', 'encoded', 'quantized'],
  counters: {
    'matrices-pruned': 'W/R matrices (per direction) pruned',
    'weights-zeroed': 'weights that were non-zero and are now zero',
    'skipped-nodes': 'LSTM nodes whose weights are not initializers',
  },
  run(g, ctx) {
    const o = ctx.options;
    const target = (m: MatrixKind) => {
      const v = m === 'W' ? o['w-sparsity'] : o['r-sparsity'];
      return v === 'auto' ? o.sparsity : v;
    };
    if (o.scope === 'global' && o.method !== 'magnitude') ctx.fail('E-PRUNE-OPTION', 'scope=global applies to method=magnitude only', 'scope');
    const maxGap = parseMaxGap(o['max-gap'], ctx.target.relIndexBits, (msg) => ctx.fail('E-PRUNE-OPTION', msg, 'max-gap'));
    if (maxGap !== undefined && o.method !== 'balanced') ctx.fail('E-PRUNE-OPTION', 'max-gap applies to method=balanced only', 'max-gap');
    if (o.group > 1 && (o.method !== 'balanced' || maxGap !== undefined || o.balance === 'entries'))
      ctx.fail('E-PRUNE-OPTION', 'group applies to method=balanced with balance=nnz and no max-gap', 'group');
    if (maxGap !== undefined && o.balance === 'entries') ctx.fail('E-PRUNE-OPTION', 'max-gap leaves no padding, so balance=entries and balance=nnz coincide; use max-gap with balance=nnz', 'max-gap');
    // Padding-aware by default where the kept set is balanced by non-zeros (what max-gap=auto keeps).
    const repairGap = o['gap-repair'] && o.method === 'balanced' && maxGap === undefined && o.group === 1 && o.balance === 'nnz' ? 2 ** ctx.target.relIndexBits - 1 : undefined;
    const gapRows: (string | number)[][] = [];
    const layers: LstmParams[] = [];
    for (const n of lstmNodes(g)) {
      const p = lstmParams(g, n);
      if (p) layers.push(p);
      else ctx.count('skipped-nodes');
    }
    // Matrices by (layer, kind, direction), before and after.
    const before = layers.map((p) => MATRICES.map((m) => Array.from({ length: p.dirs }, (_, d) => readMatrix(p, m, d))));
    const total = layers.reduce((s, p) => s + 2 * p.dirs, 0);
    let done = 0;
    const after = before.map((byKind, li) =>
      byKind.map((mats, mi) =>
        mats.map((a, d) => {
          const p = layers[li];
          const m = MATRICES[mi];
          ctx.progress(matrixLabel(p.node, m, d, p.dirs), done++, total);
          const rows = 4 * p.hidden;
          const cols = matrixCols(p, m);
          const s = target(m);
          switch (o.method) {
            case 'magnitude':
              return o.scope === 'global' ? a.slice() : pruneMagnitude(a, s);
            case 'row':
              return pruneRows(a, rows, cols, s);
            case 'block':
              return pruneBlocks(a, rows, cols, s, o.block[0], o.block[1]);
            case 'balanced':
              if (maxGap !== undefined) {
                const r = pruneBalancedMaxGap(a, rows, cols, s, ctx.target.pes, maxGap);
                gapRows.push(maxGapReportRow(matrixLabel(p.node, m, d, p.dirs), a, r, rows, cols, pruneBalanced(a, rows, cols, s, ctx.target.pes), ctx.target));
                return r.data;
              }
              if (repairGap !== undefined) return pruneBalancedGapless(a, rows, cols, s, ctx.target.pes, repairGap);
              if (o.group > 1) return pruneBalancedGroups(a, rows, cols, s, p.hidden, o.group);
              return o.balance === 'entries'
                ? pruneBalancedEntries(a, rows, cols, s, ctx.target.pes, ctx.target.relIndexBits)
                : pruneBalanced(a, rows, cols, s, ctx.target.pes);
          }
        }),
      ),
    );
    if (o.method === 'magnitude' && o.scope === 'global')
      MATRICES.forEach((m, mi) => pruneGlobal(after.flatMap((byKind) => byKind[mi]), target(m)));

    const repl = new Map<string, Tensor>();
    const rows: (string | number)[][] = [];
    layers.forEach((p, li) => {
      MATRICES.forEach((m, mi) => {
        let changed = false;
        after[li][mi].forEach((a, d) => {
          const cols = matrixCols(p, m);
          const st = compareMatrices(before[li][mi][d], a, p.hidden, cols, ctx.target.pes);
          changed ||= st.differs;
          ctx.count('weights-zeroed', st.zeroed);
          ctx.count('matrices-pruned');
          const pe = st.nnzPerPe;
          const mean = pe.reduce((s, x) => s + x, 0) / pe.length;
          const n = a.length;
          const gateN = p.hidden * cols;
          rows.push([
            matrixLabel(p.node, m, d, p.dirs),
            `${4 * p.hidden}x${cols}`,
            n ? st.zerosBefore / n : 0,
            n ? st.gateZeros.reduce((s, z) => s + z, 0) / n : 0,
            ...st.gateZeros.map((z) => (gateN ? z / gateN : 0)),
            mean > 0 ? Math.max(...pe) / mean : 1,
          ]);
        });
        if (changed) repl.set(p.node.inputs[mi + 1], buildMatrixTensor(p, m, after[li][mi]));
      });
    });
    ctx.report(pruneReport(rows));
    if (maxGap !== undefined)
      ctx.report({
        title: `prune: padding-aware balanced pruning (max-gap=${maxGap}); |w| dropped vs plain balanced pruning`,
        columns: ['matrix', 'shape', 'kept, dropped by plain', 'padding (plain)', 'padding', 'dropped |w| (plain)', 'dropped |w|', 'kept |w| lost vs plain'],
        rows: gapRows,
      });
    return replaceInitializers(g, repl);
  },
}));

/** One magnitude threshold over several matrices (in place on the given arrays). */
function pruneGlobal(mats: Float32Array[], sparsity: number): void {
  const total = mats.reduce((s, a) => s + a.length, 0);
  const pool = new Uint32Array(total);
  let off = 0;
  for (const a of mats) {
    magnitudeBits(a, pool.subarray(off, off + a.length));
    off += a.length;
  }
  const take = smallestMagnitudes(pool, zerosFor(total, sparsity), new Uint32Array(total));
  off = 0;
  for (const a of mats) {
    for (let i = 0; i < a.length; i++) if (take(pool[off + i])) a[i] = 0;
    off += a.length;
  }
}

/**
 * One scan of a 4H x cols matrix before and after pruning, for the counters and the report: the
 * weights non-zero in `before` and zero in `after`, whether any element differs (`!==`), the zeros
 * of `before`, the zeros of each gate's rows of `after` (they add up to its zeros), and `after`'s
 * non-zeros per PE under the modulo row mapping (nnzPerPe).
 */
function compareMatrices(before: Float32Array, after: Float32Array, hidden: number, cols: number, pes: number) {
  let zeroed = 0;
  let differs = false;
  let zerosBefore = 0;
  const gateZeros = [0, 0, 0, 0];
  const nnzPerPe = new Int32Array(pes);
  for (let r = 0; r < 4 * hidden; r++) {
    let gz = 0;
    let nz = 0;
    for (let i = r * cols; i < (r + 1) * cols; i++) {
      const v = after[i];
      const w = before[i];
      if (v !== w) differs = true;
      if (w === 0) zerosBefore++;
      if (v === 0) {
        gz++;
        if (w !== 0) zeroed++;
      } else nz++;
    }
    gateZeros[Math.floor(r / hidden)] += gz;
    nnzPerPe[r % pes] += nz;
  }
  return { zeroed, differs, zerosBefore, gateZeros, nnzPerPe };
}

function pruneReport(rows: (string | number)[][]): ReportTable {
  return {
    title: 'prune: achieved sparsity',
    columns: ['matrix', 'shape', 'before', 'after', ...GATES.map((gate) => `gate ${gate}`), 'pe max/mean nnz'],
    rows,
  };
}
