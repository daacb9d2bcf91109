import { fail } from '@lstmc/ir';
import { macInto, productColumnsAccumulate } from '@lstmc/runtime/fixed';
import { bankedColumnCycles, matvecPeCyclesByColumn, prefetchFill, type MatvecMode } from '@lstmc/target';
import type { Operands } from '../isa/table.js';
import type { Machine } from './machine.js';
import { peakLanes, type SimMatrix } from './sim-matrix.js';

/** A program fault (bad address, wrong mode, ...): a user-facing diagnostic naming the instruction. */
export function simCheck(m: Machine, ok: boolean, message: string): void {
  if (!ok) fail('E-SIM-FAULT', `${message} (instruction ${m.ipc})`, { field: `pc=${m.ipc}` });
}

/** Bank-relative vector-memory and accumulator bounds of an operand range. */
export function inVmem(m: Machine, addr: number, n: number): boolean {
  return addr >= 0 && addr + n <= m.vmemWords;
}
export function inAcc(m: Machine, addr: number, n: number): boolean {
  return addr >= 0 && addr + n <= m.accRows;
}

/** Run `f` for every active bank with the bank's vector-memory and accumulator base. */
export function eachBank(m: Machine, f: (vBase: number, aBase: number, bank: number) => void): void {
  for (const b of m.active) f(b * m.vmemWords, b * m.accRows, b);
}

/** Bytes of an n-word activation transfer for every active bank (one queued transfer). */
export function activationBytes(n: number, m: Machine): number {
  return m.active.length * Math.ceil((n * m.target.actBits) / 8);
}

export function dmaTransfer(o: Operands, m: Machine, dir: 'load' | 'store'): void {
  const d = o.d + (o.t ? m.tIdx * o.n : 0);
  simCheck(m, inVmem(m, o.v, o.n), `DMA ${dir} out of vector memory (vmem ${o.v}+${o.n} of ${m.vmemWords})`);
  eachBank(m, (vb, _a, b) => {
    const dram = m.dram[b];
    simCheck(m, d + o.n <= dram.length, `DMA ${dir} out of memory (dram ${d}+${o.n}, vmem ${o.v}+${o.n})`);
    if (dir === 'load') m.vmem.set(dram.subarray(d, d + o.n), vb + o.v);
    else dram.set(m.vmem.subarray(vb + o.v, vb + o.v + o.n), d);
  });
  m.stats.dmaBytes += activationBytes(o.n, m);
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
  simCheck(m, inVmem(m, o.v, o.n), 'zscan out of memory');
  eachBank(m, (vb, _a, b) => {
    const nz = new Int32Array(o.n);
    let count = 0;
    for (let k = 0; k < o.n; k++) if (m.vmem[vb + o.v + k] !== 0) nz[count++] = k;
    m.zscan[b] = { addr: o.v, n: o.n, zeros: o.n - count, nz: nz.slice(0, count) };
  });
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
  simCheck(m, inVmem(m, o.v, mat.cols) && inAcc(m, o.a, mat.rows), 'matvec operands out of memory');
  if (SPARSE_INPUT[mode]) {
    for (const b of m.active) {
      const z = m.zscan[b];
      simCheck(m, z !== null && z.addr <= o.v && o.v + mat.cols <= z.addr + z.n, `${mode} needs a zscan covering its input vector first`);
    }
  }
  return mat;
}

/**
 * The non-zero input positions of a zero-skipping product in bank b, relative to its input
 * vector: the bank's last zscan's that fall in [v, v + cols) (a weight tile reads a
 * column range of the scanned vector).
 */
function nonZeroInputs(m: Machine, b: number, v: number, cols: number): Int32Array {
  const z = m.zscan[b]!;
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

/** The input columns each active bank processes (null: every column), in m.active order. */
function bankColumns(m: Machine, o: Operands, mat: SimMatrix, mode: MatvecMode): (Int32Array | null)[] {
  return m.active.map((b) => (SPARSE_INPUT[mode] ? nonZeroInputs(m, b, o.v, mat.cols) : null));
}

export function matvecCost(o: Operands, m: Machine, mode: MatvecMode): number {
  const mat = checkedMatrix(o, m, mode);
  const cols = bankColumns(m, o, mat, mode);
  const pe = m.exact ? peCyclesExact(mat, mode, m, cols) : peCyclesFast(mat, m, cols);
  return Math.max(1, Math.ceil(pe.max));
}

/** Per column, how many of the banks process it. */
function banksOfColumns(mat: SimMatrix, cols: readonly (Int32Array | null)[]): Int32Array {
  const n = new Int32Array(mat.cols);
  for (const c of cols) {
    if (c === null) for (let k = 0; k < mat.cols; k++) n[k]++;
    else for (let j = 0; j < c.length; j++) n[c[j]]++;
  }
  return n;
}

function maxAndSum(perPe: ArrayLike<number>): { max: number; sum: number } {
  let max = 0;
  let sum = 0;
  for (let p = 0; p < perPe.length; p++) {
    max = Math.max(max, perPe[p]);
    sum += perPe[p];
  }
  return { max, sum };
}

/** The slowest PE's and the summed cycles of a product from the cost model, per instruction. */
function peCyclesExact(mat: SimMatrix, mode: MatvecMode, m: Machine, cols: readonly (Int32Array | null)[]): { max: number; sum: number } {
  return maxAndSum(matvecPeCyclesByColumn(mat.costLayout, mode, m.target, banksOfColumns(mat, cols)));
}

/**
 * The slowest PE's and the summed cycles of a product from the matrix's precomputed
 * costs: the same terms, added in the same order, as matvecPeCyclesByColumn (cost-model.ts).
 */
function peCyclesFast(mat: SimMatrix, m: Machine, cols: readonly (Int32Array | null)[]): { max: number; sum: number } {
  if (cols.length === 0) return { max: 0, sum: 0 };
  if (cols[0] === null) return maxAndSum(mat.fullPeCycles[cols.length - 1]);
  const t = m.target;
  const one = cols.length === 1;
  // one bank: its non-zero inputs, each column once; several: the union, with the banks per column
  const n = one ? null : banksOfColumns(mat, cols);
  const list = one ? cols[0]! : Int32Array.from({ length: mat.cols }, (_, c) => c).filter((c) => n![c] > 0);
  let max = 0;
  let sum = 0;
  const pes = mat.costLayout.pes;
  for (let p = 0; p < pes; p++) {
    const base = p * mat.cols;
    let s = 0;
    if (one) for (let j = 0; j < list.length; j++) s += mat.skipColumnCycles[base + list[j]];
    else for (let j = 0; j < list.length; j++) s += bankedColumnCycles(mat.skipOverhead[base + list[j]], mat.skipBody[base + list[j]], n![list[j]], t);
    if (list.length > 0 && t.columnPrefetch) {
      const last = base + list[list.length - 1];
      s += prefetchFill(mat.skipOverhead[last], (one ? 1 : n![list[list.length - 1]]) * mat.skipBody[last], t);
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
 * Every active bank's product uses the same weights: the matrix is read from the
 * PEs' weight memory once for the whole batch.
 */
export function matvec(o: Operands, m: Machine, mode: MatvecMode): void {
  const mat = checkedMatrix(o, m, mode);
  const { acc, vmem } = m;
  const A = m.target.accBits;
  const cols = bankColumns(m, o, mat, mode);
  m.active.forEach((b, i) => {
    const v = b * m.vmemWords + o.v;
    const a = b * m.accRows + o.a;
    if (o.z) acc.fill(0, a, a + mat.rows);
    const c = cols[i];
    if (m.exact) matvecExact(v, a, m, mat, c);
    else productColumnsAccumulate(acc, a, mat.columns, vmem, v, mat.shift, A, c);
    const ncols = c ? c.length : mat.cols;
    let useful = 0;
    for (let j = 0; j < ncols; j++) {
      const k = c ? c[j] : j;
      if (vmem[v + k] !== 0) useful += mat.nnzPerColumn[k];
    }
    m.stats.usefulMacs += useful;
  });
  const { max, sum } = m.exact ? peCyclesExact(mat, mode, m, cols) : peCyclesFast(mat, m, cols);
  const cycles = Math.max(1, Math.ceil(max));
  m.stats.macCapacity += m.target.pes * peakLanes(mat.layout, m.target) * cycles;
  m.stats.peBusyCycles += sum;
  m.stats.peSlotCycles += m.target.pes * cycles;
}

/** The cycle-exact product: each PE walks its own dense rows or encoded entries, one MAC at a time. */
function matvecExact(v: number, a: number, m: Machine, mat: SimMatrix, cols: Int32Array | null): void {
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
        const x = vmem[v + k];
        if (x === 0) continue;
        for (let l = 0; l < R; l++) {
          const wv = w[k * R + l];
          if (wv !== 0) macInto(acc, a + rows[l], wv, x, mat.shift, A);
        }
      }
    } else {
      const e = mat.csc![p];
      let start = 0;
      let next = 0; // next column whose entries start at `start`
      for (let j = 0; j < ncols; j++) {
        const k = cols ? cols[j] : j;
        while (next < k) start += e.colLen[next++];
        const x = vmem[v + k];
        const len = e.colLen[k];
        if (x !== 0) {
          let local = -1;
          for (let q = start; q < start + len; q++) {
            local += e.relIdx[q] + 1;
            if (e.values[q] !== 0) macInto(acc, a + rows[local], e.values[q], x, mat.shift, A);
          }
        }
        start += len;
        next = k + 1;
      }
    }
  }
}
