/**
 * `encode`: sparse encodings of LSTM weight matrices, stored as initializers
 * `lstmc.<node>.<W|R>.d<dir>.<format>.<part>` and named by the node's
 * `lstmc.enc.W` / `lstmc.enc.R` attributes (base names per direction, '' when
 * a matrix is not encoded). Quantized weights (lstmc.q.*) are encoded when
 * present, float weights otherwise. For csc-rel, W and R of one direction
 * share one row -> PE assignment.
 */
import type { Graph, Node, Tensor } from '@lstmc/ir';
import { type RowAssignment, balancedRowAssignment, rowToPe, usesSparseWeights, type MatvecMode } from '@lstmc/target';
import { ANN, type AttrPatch, addInitializers, derivedName, dropAnnotations, getStrings, patchNodes, stringAttr, stringsAttr } from '../../annotations.js';
import { MATRICES, type MatrixKind, lstmNodes, lstmParams, matrixCols, matrixLabel, readMatrix } from '../../lstm-params.js';
import { definePass } from '../../pass.js';
import { reachingBranches } from '../../branch-lstms.js';
import type { DenseMatrix, EncodingStats } from './format.js';
import { ENCODINGS, ENCODING_FORMATS } from './formats.js';

export const encodePass = reachingBranches(definePass({
  name: 'encode',
  summary: 'sparse encodings of LSTM weights (relative-indexed CSC per PE, CSR, bitmap) with size reports',
  options: {
    format: { kind: 'enum', values: ENCODING_FORMATS, default: 'csc-rel', doc: 'encoding of each matrix' },
    rows: { kind: 'enum', values: ['modulo', 'balanced'], default: 'modulo', doc: 'csc-rel row -> PE assignment: r mod pes, or balanced by non-zeros' },
    which: { kind: 'enum', values: ['all', 'sparse-weight'], default: 'all', doc: 'encode every matrix, or only those select-mode runs with sparse weights' },
  },
  requires: [],
  requiresWhen: (o) => (o.which === 'sparse-weight' ? ['modes'] : []),
  establishes: ['encoded'],
  invalidates: [],
  counters: {
    'matrices-encoded': 'matrices (per direction) encoded',
    bytes: 'encoded bytes (packed)',
    'dense-bytes': 'bytes of the same matrices stored densely',
    'padding-entries': 'padding entries (csc-rel gaps that do not fit the relative index)',
  },
  run(input, ctx) {
    const o = ctx.options;
    const g = dropAnnotations(input, ['lstmc.enc.']);
    const enc = ENCODINGS[o.format];
    const added = new Map<string, Tensor>();
    const patches = new Map<Node, AttrPatch>();
    const rows: (string | number)[][] = [];
    const nodes = lstmNodes(g);
    for (const [k, n] of nodes.entries()) {
      const p = lstmParams(g, n);
      if (!p) continue;
      ctx.progress(n.name, k, nodes.length);
      const names: Record<MatrixKind, string[]> = { W: [], R: [] };
      for (let d = 0; d < p.dirs; d++) {
        const mats = { W: sourceMatrix(g, n, p, 'W', d), R: sourceMatrix(g, n, p, 'R', d) };
        const assignment = rowAssignment(mats.W, mats.R, ctx.target.pes, o.rows);
        for (const m of MATRICES) {
          if (o.which === 'sparse-weight' && !runsSparseWeights(n, m, d)) {
            names[m].push('');
            continue;
          }
          const src = mats[m];
          const valueBits = src.dtype === 'f32' ? 32 : src.dtype === 'i8' ? 8 : 16;
          const { parts, stats } = enc.encode(src, { relIndexBits: ctx.target.relIndexBits, valueBits, assignment });
          const base = derivedName(n, m, d, o.format);
          for (const [part, t] of Object.entries(parts)) added.set(`${base}.${part}`, t);
          names[m].push(base);
          const denseBytes = Math.ceil((src.rows * src.cols * valueBits) / 8);
          ctx.count('matrices-encoded');
          ctx.count('bytes', stats.bytes);
          ctx.count('dense-bytes', denseBytes);
          ctx.count('padding-entries', stats.padding);
          rows.push(reportRow(matrixLabel(n, m, d, p.dirs), src, stats, denseBytes, valueBits));
        }
      }
      patches.set(n, { [ANN.encFormat]: stringAttr(o.format), [ANN.encW]: stringsAttr(names.W), [ANN.encR]: stringsAttr(names.R) });
    }
    ctx.report({
      title: `encode: ${o.format}`,
      columns: ['matrix', 'shape', 'value bits', 'nnz', 'entries', 'padding', 'bytes', 'dense bytes', 'index bits/nnz', 'pe max/mean'],
      rows,
    });
    return addInitializers(patchNodes(g, patches), added);
  },
}));

function reportRow(label: string, m: DenseMatrix, s: EncodingStats, denseBytes: number, valueBits: number): (string | number)[] {
  return [label, `${m.rows}x${m.cols}`, valueBits, s.nnz, s.entries, s.padding, s.bytes, denseBytes, s.indexBitsPerNnz, s.imbalance];
}

/** The matrix as it will be stored: the quantized copy when quantize ran, else the float weights. */
export function sourceMatrix(g: Graph, n: Node, p: NonNullable<ReturnType<typeof lstmParams>>, m: MatrixKind, d: number): DenseMatrix {
  const rows = 4 * p.hidden;
  const cols = matrixCols(p, m);
  const qName = getStrings(n, m === 'W' ? ANN.qW : ANN.qR)?.[d];
  const q = qName ? g.initializers.get(qName) : undefined;
  if (q) return { rows, cols, data: q.data as ArrayLike<number>, dtype: q.dtype, ...(q.fixed ? { fixed: q.fixed } : {}) };
  return { rows, cols, data: readMatrix(p, m, d), dtype: 'f32' };
}

function rowAssignment(w: DenseMatrix, r: DenseMatrix, pes: number, kind: 'modulo' | 'balanced'): RowAssignment {
  if (kind === 'modulo') return rowToPe(w.rows, pes);
  const cost = new Float64Array(w.rows);
  for (const m of [w, r]) for (let i = 0; i < m.rows * m.cols; i++) if (m.data[i] !== 0) cost[Math.floor(i / m.cols)]++;
  return balancedRowAssignment(cost, pes);
}

function runsSparseWeights(n: Node, m: MatrixKind, d: number): boolean {
  const modes = [getStrings(n, m === 'W' ? ANN.modeW : ANN.modeR)?.[d], getStrings(n, m === 'W' ? ANN.modeWRuntime : ANN.modeRRuntime)?.[d]];
  return modes.some((x) => x !== undefined && x !== '' && usesSparseWeights(x as MatvecMode));
}
