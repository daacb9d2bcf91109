import { CPU_KERNEL_COSTS } from './cpu-kernel-costs.js';
import { sparsityThreshold } from './threshold-search.js';

/**
 * The CPU cost model of `-O js` (`select-mode{cost=cpu}`): the time of one LSTM matrix product with
 * one vector on each weight kernel of the JS runtime, ns = nsPerCall + nsPerRow * rows + nsPerUnit *
 * units, fitted by tools/scripts/measure-cpu-costs.mjs to the times it measured on matrices of several
 * sizes (cpu-kernel-costs.ts; rows = 4H, the per-row term is each row's or group's loop overhead). Units: multiply-adds for
 * the dense kernels, entries of the row-group layout for the row-group kernels, non-zeros for CSR,
 * entries of the wide (16-unit) row-group layout for wide-f32 and wide-int8.
 * The names are those of @lstmc/runtime/timing's PRODUCT_KERNELS.
 */
export const CPU_KERNELS = ['dense-f32', 'dense-int8', 'groups-f32', 'groups-int8', 'csr-f32', 'csr-int8', 'wide-f32', 'wide-int8'] as const;
export type CpuKernel = (typeof CPU_KERNELS)[number];
export const CPU_PRECISIONS = ['f32', 'int8'] as const;
export type CpuPrecision = (typeof CPU_PRECISIONS)[number];

export interface CpuKernelCost {
  readonly unit: 'mac' | 'entry' | 'nnz' | 'wide-entry';
  readonly nsPerCall: number;
  readonly nsPerRow: number;
  readonly nsPerUnit: number;
  /** The measured points the model was fitted to. */
  readonly points: readonly { readonly H: number; readonly K: number; readonly rows: number; readonly units: number; readonly ns: number }[];
}

export interface CpuCostTable {
  readonly machine: string;
  /** Sparsities of the matrices the sparse kernels were measured on. */
  readonly sparsities: readonly number[];
  readonly kernels: Readonly<Record<CpuKernel, CpuKernelCost>>;
}

/** One matrix (one direction's W or R) as the kernels see it. */
export interface CpuMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly nnz: number;
  /** Entries of its row-group layout (four rows of a gate share a column list). */
  readonly groupEntries: number;
  /** Whether the runtime runs it in row groups when sparse (else CSR). */
  readonly rowGroups: boolean;
  /** Whether those row groups are wide (16 units of a gate share a column list: wide-f32, wide-int8), and their entries. */
  readonly wideGroups: boolean;
  readonly wideEntries: number;
}

/** The kernel of each layout in each precision. */
export const KERNEL_OF = {
  f32: { dense: 'dense-f32', groups: 'groups-f32', wide: 'wide-f32', csr: 'csr-f32' },
  int8: { dense: 'dense-int8', groups: 'groups-int8', wide: 'wide-int8', csr: 'csr-int8' },
} as const satisfies Record<CpuPrecision, Record<'dense' | 'groups' | 'wide' | 'csr', CpuKernel>>;

/** The kernel a matrix runs on in the given precision, dense or sparse (wide or four-unit row groups, or CSR, as the runtime picks). */
export function cpuKernel(m: CpuMatrix, precision: CpuPrecision, sparse: boolean): CpuKernel {
  return KERNEL_OF[precision][!sparse ? 'dense' : !m.rowGroups ? 'csr' : m.wideGroups ? 'wide' : 'groups'];
}

/** Units of work of one product of m on kernel k. */
export function cpuUnits(m: CpuMatrix, k: CpuKernel, table: CpuCostTable = CPU_KERNEL_COSTS): number {
  const unit = table.kernels[k].unit;
  return unit === 'mac' ? m.rows * m.cols : unit === 'entry' ? m.groupEntries : unit === 'wide-entry' ? m.wideEntries : m.nnz;
}

/** Predicted ns of one product of m with one vector on kernel k. */
export function cpuProductNs(m: CpuMatrix, k: CpuKernel, table: CpuCostTable = CPU_KERNEL_COSTS): number {
  const c = table.kernels[k];
  return c.nsPerCall + c.nsPerRow * m.rows + c.nsPerUnit * cpuUnits(m, k, table);
}

/**
 * m with its non-zeros scaled to weight sparsity s, the structure kept (row-group and wide entries per
 * non-zero as now; an empty matrix counts one entry per non-zero).
 */
export function atSparsity(m: CpuMatrix, s: number): CpuMatrix {
  const nnz = (1 - s) * m.rows * m.cols;
  const perNnz = m.nnz > 0 ? m.groupEntries / m.nnz : 1;
  const widePerNnz = m.nnz > 0 ? m.wideEntries / m.nnz : 0;
  return { ...m, nnz, groupEntries: nnz * perNnz, wideEntries: nnz * widePerNnz };
}

/**
 * The weight sparsity (0.001 grid) from which the sparse kernel of the precision is predicted faster
 * than the dense one, for matrices of m's shape and structure; Infinity when it never is.
 */
export function cpuWeightThreshold(m: CpuMatrix, precision: CpuPrecision, table: CpuCostTable = CPU_KERNEL_COSTS): number {
  const dense = cpuProductNs(m, cpuKernel(m, precision, false), table);
  return sparsityThreshold((s) => cpuProductNs(atSparsity(m, s), cpuKernel(m, precision, true), table) < dense);
}
