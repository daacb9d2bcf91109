/**
 * Heatmap data of every LSTM weight matrix (one per direction of W and R):
 * zero pattern, per-gate sparsity, non-zeros per PE and their imbalance.
 * From a model: the float weights of the IR after the pipeline, with the
 * row-to-PE assignment of the compiled binary when there is one (modulo
 * otherwise). From a binary: its decoded fixed-point weights as the PEs hold
 * them.
 */
import type { Graph } from '@lstmc/ir';
import { GATES, MATRICES, type MatrixKind, lstmNodes, lstmParams, matrixCols, matrixLabel, readMatrix } from '@lstmc/passes';
import { type RowAssignment, rowToPe } from '@lstmc/target';
import type { LxbProgram, SimMatrix } from '@lstmc/backend-accel';
import { loadMatrices } from '@lstmc/backend-accel';
import type { GateData, MatrixData } from './report-data.js';
import { maskBit, packMask, toBase64 } from './zero-mask.js';
import { graphScopes } from './scopes.js';

interface MatrixSource {
  readonly label: string;
  readonly node: string;
  readonly matrix: MatrixKind;
  readonly dir: number;
  readonly rows: number;
  readonly cols: number;
  readonly nonZero: (r: number, c: number) => boolean;
  readonly peOfRow: ArrayLike<number>;
  readonly pes: number;
  readonly assignment: string;
  readonly layout: string | null;
  readonly source: 'ir' | 'binary';
}

/** The facts of one matrix from its zero pattern and its rows' PEs. */
export function matrixData(s: MatrixSource): MatrixData {
  const bits = packMask(s.rows, s.cols, s.nonZero);
  const rowNnz = new Int32Array(s.rows);
  for (let r = 0; r < s.rows; r++) for (let c = 0; c < s.cols; c++) if (maskBit(bits, r * s.cols + c)) rowNnz[r]++;
  const nnzPerPe = new Array<number>(s.pes).fill(0);
  for (let r = 0; r < s.rows; r++) nnzPerPe[s.peOfRow[r]] += rowNnz[r];
  const nnz = rowNnz.reduce((a, b) => a + b, 0);
  const gateRows = s.rows / GATES.length;
  const gates: GateData[] = GATES.map((gate, k) => {
    let g = 0;
    for (let r = k * gateRows; r < (k + 1) * gateRows; r++) g += rowNnz[r];
    const cells = gateRows * s.cols;
    return { gate, rowStart: k * gateRows, rows: gateRows, nnz: g, sparsity: cells ? 1 - g / cells : 0 };
  });
  const mean = nnz / s.pes;
  return {
    label: s.label,
    node: s.node,
    matrix: s.matrix,
    dir: s.dir,
    rows: s.rows,
    cols: s.cols,
    nnz,
    sparsity: s.rows * s.cols ? 1 - nnz / (s.rows * s.cols) : 0,
    gates,
    mask: toBase64(bits),
    assignment: s.assignment,
    nnzPerPe,
    imbalance: mean > 0 ? Math.max(...nnzPerPe) / mean : 1,
    layout: s.layout,
    source: s.source,
  };
}

/** Matrix name in a binary's matrix table: `node/W`, or `node/fwd/W` for a bidirectional layer. */
function programMatrixName(node: string, m: MatrixKind, dir: number, dirs: number): string {
  return dirs === 1 ? `${node}/${m}` : `${node}/${dir === 0 ? 'fwd' : 'rev'}/${m}`;
}

/**
 * The LSTM matrices of the graph and of its subgraphs (whose LSTMs the host
 * runs), wherever their constant weights are.
 */
export function matricesOfGraph(g0: Graph, program: LxbProgram | undefined, pes: number): MatrixData[] {
  const out: MatrixData[] = [];
  for (const g of graphScopes(g0))
    for (const n of lstmNodes(g)) {
      const p = lstmParams(g, n);
      if (!p) continue;
      for (const m of MATRICES)
        for (let d = 0; d < p.dirs; d++) {
          const a = readMatrix(p, m, d);
          const cols = matrixCols(p, m);
          const desc = program?.matrices.find((x) => x.name === programMatrixName(n.name, m, d, p.dirs));
          const assignment: RowAssignment = desc?.peOfRow ? { kind: desc.assignment, pes, peOfRow: Int32Array.from(desc.peOfRow) } : rowToPe(4 * p.hidden, pes);
          out.push(
            matrixData({
              label: matrixLabel(n, m, d, p.dirs),
              node: n.name,
              matrix: m,
              dir: d,
              rows: 4 * p.hidden,
              cols,
              nonZero: (r, c) => a[r * cols + c] !== 0,
              peOfRow: assignment.peOfRow,
              pes,
              assignment: assignment.kind,
              layout: desc?.layout ?? null,
              source: 'ir',
            }),
          );
        }
    }
  return out;
}

/** Non-zero test of a decoded matrix: dense blobs are column-major per PE, csc entries carry relative row indices. */
function decodedNonZero(s: SimMatrix): (r: number, c: number) => boolean {
  const nz = new Uint8Array(s.rows * s.cols);
  s.peRows.forEach((rows, p) => {
    if (s.dense) {
      const w = s.dense[p];
      for (let c = 0; c < s.cols; c++) for (let l = 0; l < rows.length; l++) if (w[c * rows.length + l] !== 0) nz[rows[l] * s.cols + c] = 1;
    } else if (s.csc) {
      const e = s.csc[p];
      let q = 0;
      for (let c = 0; c < s.cols; c++) {
        let local = -1;
        for (let k = 0; k < e.colLen[c]; k++, q++) {
          local += e.relIdx[q] + 1;
          if (e.values[q] !== 0) nz[rows[local] * s.cols + c] = 1;
        }
      }
    }
  });
  return (r, c) => nz[r * s.cols + c] === 1;
}

/** The matrices of a binary, as its PEs hold them (names `node/W`, `node/fwd/W`). */
export function matricesOfProgram(p: LxbProgram): MatrixData[] {
  const decoded = loadMatrices(p);
  return p.matrices.map((d, i) => {
    const s = decoded[i];
    const parts = d.name.split('/');
    const matrix = (parts[parts.length - 1] === 'R' ? 'R' : 'W') as MatrixKind;
    const dir = parts[parts.length - 2] === 'rev' ? 1 : 0;
    const node = parts.slice(0, parts.length - (parts[parts.length - 2] === 'fwd' || parts[parts.length - 2] === 'rev' ? 2 : 1)).join('/');
    const peOfRow = new Int32Array(s.rows);
    s.peRows.forEach((rows, pe) => rows.forEach((r) => (peOfRow[r] = pe)));
    return matrixData({
      label: d.name,
      node,
      matrix,
      dir,
      rows: s.rows,
      cols: s.cols,
      nonZero: decodedNonZero(s),
      peOfRow,
      pes: p.target.pes,
      assignment: d.assignment,
      layout: d.layout,
      source: 'binary',
    });
  });
}
