import { fail } from '@lstmc/ir';
import { macInto, productColumnsAccumulate } from '@lstmc/runtime/fixed';
import { matvecCycles, matvecPeCycles, type MatvecMode } from '@lstmc/target';
import type { Operands } from '../isa/table.js';
import type { Machine } from './machine.js';
import { peakLanes, type SimMatrix } from './sim-matrix.js';

/** A program fault (bad address, wrong mode, ...): a user-facing diagnostic naming the instruction. */
export function simCheck(m: Machine, ok: boolean, message: string): void {
  if (!ok) fail('E-SIM-FAULT', `${message} (instruction ${m.ipc})`, { field: `pc=${m.ipc}` });
}

export function dmaTransfer(o: Operands, m: Machine, dir: 'load' | 'store'): void {
  const d = o.d + (o.t ? m.tIdx * o.n : 0);
  simCheck(m, d + o.n <= m.dram.length && o.v + o.n <= m.vmem.length, `DMA ${dir} out of memory (dram ${d}+${o.n}, vmem ${o.v}+${o.n})`);
  if (dir === 'load') m.vmem.set(m.dram.subarray(d, d + o.n), o.v);
  else m.dram.set(m.vmem.subarray(o.v, o.v + o.n), d);
  m.stats.dmaBytes += Math.ceil((o.n * m.target.actBits) / 8);
}

export function loadWeights(o: Operands, m: Machine): void {
  const mat = m.matrices[o.m];
  simCheck(m, mat !== undefined, `dma.w names matrix ${o.m} of ${m.matrices.length}`);
  let most = 0;
  for (const b of mat.bytesPerPe) most = Math.max(most, b);
  simCheck(m, o.o + most <= m.target.weightSramBytesPerPe, `dma.w of matrix ${o.m} (${most} bytes on a PE) at SRAM offset ${o.o} overruns the ${m.target.weightSramBytesPerPe}-byte weight SRAM`);
  // the transfer overwrites whatever it overlaps: those matrices must be loaded again before use
  for (let j = 0; j < m.matrices.length; j++) {
    if (!m.resident[j] || j === o.m) continue;
    let jm = 0;
    for (const b of m.matrices[j].bytesPerPe) jm = Math.max(jm, b);
    if (m.sramOffset[j] < o.o + most && o.o < m.sramOffset[j] + jm) m.resident[j] = false;
  }
  m.resident[o.m] = true;
  m.sramOffset[o.m] = o.o;
  // the dispatcher has queued the transfer: the weights are usable once the engine is done with it
  m.readyAt[o.m] = m.dmaBusyUntil;
  m.stats.dmaBytes += mat.totalBytes;
  m.stats.dmaBytesWeights += mat.totalBytes;
}

export function zeroScan(o: Operands, m: Machine): void {
  simCheck(m, o.v + o.n <= m.vmem.length, 'zscan out of memory');
  const nz = new Int32Array(o.n);
  let count = 0;
  for (let k = 0; k < o.n; k++) if (m.vmem[o.v + k] !== 0) nz[count++] = k;
  m.zscan = { addr: o.v, n: o.n, zeros: o.n - count, nz: nz.slice(0, count) };
  m.stats.zeroScans++;
}

const SPARSE_INPUT = { dense: false, 'sparse-weight': false, 'sparse-input': true, 'sparse-both': true } as const satisfies Record<MatvecMode, boolean>;
const CSC = { dense: false, 'sparse-weight': true, 'sparse-input': false, 'sparse-both': true } as const satisfies Record<MatvecMode, boolean>;

function checkedMatrix(o: Operands, m: Machine, mode: MatvecMode) {
  const mat = m.matrices[o.m];
  simCheck(m, mat !== undefined, `matrix ${o.m} does not exist`);
  simCheck(m, m.resident[o.m], `matrix ${o.m} is used before dma.w loaded it (or after another transfer overwrote it)`);
  simCheck(m, m.readyAt[o.m] <= m.issuedAt, `matrix ${o.m} is used while its weights are still in transfer (a sync is missing)`);
  simCheck(m, (mat.layout === 'csc') === CSC[mode], `matrix ${o.m} is stored ${mat.layout}, not for ${mode}`);
  simCheck(m, o.v + mat.cols <= m.vmem.length && o.a + mat.rows <= m.acc.length, 'matvec operands out of memory');
  if (SPARSE_INPUT[mode]) {
    const z = m.zscan;
    simCheck(m, z !== null && z.addr <= o.v && o.v + mat.cols <= z.addr + z.n, `${mode} needs a zscan covering its input vector first`);
  }
  return mat;
}

/**
 * The non-zero input positions of a zero-skipping product, relative to its input
 * vector: the last zscan's that fall in [v, v + cols) (a weight tile reads a
 * column range of the scanned vector).
 */
function nonZeroInputs(m: Machine, v: number, cols: number): Int32Array {
  const z = m.zscan!;
  if (z.addr === v && z.n === cols) return z.nz;
  const lo = v - z.addr;
  let a = 0;
  while (a < z.nz.length && z.nz[a] < lo) a++;
  let e = a;
  while (e < z.nz.length && z.nz[e] < lo + cols) e++;
  const out = z.nz.slice(a, e);
  for (let i = 0; i < out.length; i++) out[i] -= lo;
  return out;
}

export function matvecCost(o: Operands, m: Machine, mode: MatvecMode): number {
  const mat = checkedMatrix(o, m, mode);
  const nz = SPARSE_INPUT[mode] ? nonZeroInputs(m, o.v, mat.cols) : null;
  if (!m.exact) return Math.max(1, Math.ceil(peCyclesFast(mat, nz).max));
  return Math.max(1, matvecCycles(mat.costLayout, mode, m.target, nz ?? undefined));
}

/**
 * The slowest PE's and the summed cycles of a product from the matrix's precomputed
 * costs: the same terms, added in the same order, as matvecPeCycles (cost-model.ts).
 */
function peCyclesFast(mat: SimMatrix, nz: Int32Array | null): { max: number; sum: number } {
  let max = 0;
  let sum = 0;
  const pes = mat.fullPeCycles.length;
  for (let p = 0; p < pes; p++) {
    let s = 0;
    if (nz === null) s = mat.fullPeCycles[p];
    else {
      const base = p * mat.cols;
      for (let j = 0; j < nz.length; j++) s += mat.skipColumnCycles[base + nz[j]];
    }
    max = Math.max(max, s);
    sum += s;
  }
  return { max, sum };
}

/**
 * Each PE walks its columns in ascending order (all, or the non-zero inputs),
 * so every accumulator row sees its products in ascending column order, the
 * order the fixed-point reference uses (see runtime/src/fixed/vector-ops.ts).
 */
export function matvec(o: Operands, m: Machine, mode: MatvecMode): void {
  const mat = checkedMatrix(o, m, mode);
  const { acc, vmem } = m;
  const A = m.target.accBits;
  if (o.z) acc.fill(0, o.a, o.a + mat.rows);
  const cols = SPARSE_INPUT[mode] ? nonZeroInputs(m, o.v, mat.cols) : null;
  const ncols = cols ? cols.length : mat.cols;
  if (m.exact) matvecExact(o, m, mat, cols);
  else productColumnsAccumulate(acc, o.a, mat.columns, vmem, o.v, mat.shift, A, cols);
  let useful = 0;
  for (let j = 0; j < ncols; j++) {
    const k = cols ? cols[j] : j;
    if (vmem[o.v + k] !== 0) useful += mat.nnzPerColumn[k];
  }
  m.stats.usefulMacs += useful;
  let max = 0;
  let sum = 0;
  if (m.exact) {
    for (const c of matvecPeCycles(mat.costLayout, mode, m.target, cols ?? undefined)) {
      max = Math.max(max, c);
      sum += c;
    }
  } else ({ max, sum } = peCyclesFast(mat, cols));
  const cycles = Math.max(1, Math.ceil(max));
  m.stats.macCapacity += m.target.pes * peakLanes(mat.layout, m.target) * cycles;
  m.stats.peBusyCycles += sum;
  m.stats.peSlotCycles += m.target.pes * cycles;
}

/** The cycle-exact product: each PE walks its own dense rows or encoded entries, one MAC at a time. */
function matvecExact(o: Operands, m: Machine, mat: SimMatrix, cols: Int32Array | null): void {
  const { acc, vmem } = m;
  const A = m.target.accBits;
  const ncols = cols ? cols.length : mat.cols;
  for (let p = 0; p < mat.peRows.length; p++) {
    const rows = mat.peRows[p];
    if (mat.dense) {
      const w = mat.dense[p];
      const R = rows.length;
      for (let j = 0; j < ncols; j++) {
        const k = cols ? cols[j] : j;
        const x = vmem[o.v + k];
        if (x === 0) continue;
        for (let l = 0; l < R; l++) {
          const wv = w[k * R + l];
          if (wv !== 0) macInto(acc, o.a + rows[l], wv, x, mat.shift, A);
        }
      }
    } else {
      const e = mat.csc![p];
      let start = 0;
      let next = 0; // next column whose entries start at `start`
      for (let j = 0; j < ncols; j++) {
        const k = cols ? cols[j] : j;
        while (next < k) start += e.colLen[next++];
        const x = vmem[o.v + k];
        const len = e.colLen[k];
        if (x !== 0) {
          let local = -1;
          for (let q = start; q < start + len; q++) {
            local += e.relIdx[q] + 1;
            if (e.values[q] !== 0) macInto(acc, o.a + rows[local], e.values[q], x, mat.shift, A);
          }
        }
        start += len;
        next = k + 1;
      }
    }
  }
}
