/**
 * The facts `lstmc report` shows, as plain JSON: what the collectors gather
 * (collect-*.ts) and the page's script draws (page/*.ts). Embedded in the
 * HTML as one JSON document, so the page needs nothing but itself.
 */
import type { Placement } from '@lstmc/backend-accel';

export interface ReportTableData {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

export interface GraphNodeData {
  readonly name: string;
  readonly op: string;
  /** Where `--target accel` runs it (partition.ts); for a binary, from its phases and host segments. */
  readonly where: Placement;
  /** `phase N` / `segment N` / '-'. */
  readonly stage: string;
  readonly reason: string;
  /** Kernels of the JS runtime the node lowers to (`--target js` of the same graph); empty when unknown. */
  readonly kernels: readonly string[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export interface GraphData {
  readonly summary: string;
  readonly nodes: readonly GraphNodeData[];
  /** Graph inputs and outputs (value names). */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** The execution order, one line per stage. */
  readonly stages: readonly string[];
}

export interface GateData {
  readonly gate: string;
  readonly rowStart: number;
  readonly rows: number;
  readonly nnz: number;
  readonly sparsity: number;
}

export interface MatrixData {
  /** e.g. `/lstm/LSTM.W` or `/lstm/LSTM.W[rev]`. */
  readonly label: string;
  readonly node: string;
  readonly matrix: 'W' | 'R';
  readonly dir: number;
  readonly rows: number;
  readonly cols: number;
  readonly nnz: number;
  readonly sparsity: number;
  readonly gates: readonly GateData[];
  /** Row-major bit mask, bit (r * cols + c) set when the weight is non-zero (LSB first within a byte), base64. */
  readonly mask: string;
  /** How rows map to PEs (modulo or balanced) and the non-zeros each PE holds. */
  readonly assignment: string;
  readonly nnzPerPe: readonly number[];
  /** max / mean of nnzPerPe (1 = perfectly balanced). */
  readonly imbalance: number;
  /** The weight layout of the binary (dense or csc), when compiled. */
  readonly layout: string | null;
  /** Where the values come from: float weights of the IR, or the binary's decoded fixed-point weights. */
  readonly source: 'ir' | 'binary';
}

export interface MatrixDecisionData {
  readonly matrix: 'W' | 'R';
  readonly dir: number;
  readonly weightSparsity: number;
  readonly weightThreshold: number | null;
  /** Measured input sparsity (calibration), or null when the test is made at run time or off. */
  readonly inputSparsity: number | null;
  readonly inputThreshold: number | null;
  readonly mode: string;
  /** The mode the run-time branch switches to when an input vector has >= zeroCount zeros. */
  readonly runtimeMode: string | null;
  readonly zeroCount: number | null;
  /** Expected cycles of one product in dense mode and in the chosen mode (target cost model). */
  readonly denseCycles: number;
  readonly chosenCycles: number;
}

export interface LayerDecisionData {
  readonly node: string;
  readonly input: number;
  readonly hidden: number;
  readonly combine: string;
  readonly matrices: readonly MatrixDecisionData[];
  /** Expected step cycles of each W/R weight layout (cost model), per direction. */
  readonly layouts: readonly { readonly dir: number; readonly costs: readonly { readonly layouts: string; readonly modes: string; readonly cycles: number; readonly streaming: boolean }[]; readonly cheapest: string }[];
}

export interface WhatIfPoint {
  readonly sparsity: number;
  /** Expected accelerator cycles per step: both matrices dense, both sparse, and the cheapest layouts (what auto picks). */
  readonly dense: number;
  readonly sparse: number;
  readonly auto: number;
  readonly autoLayouts: string;
}

export interface CpuPoint {
  readonly sparsity: number;
  /** Median microseconds per time step on the JS runtime with dense and with compressed (sparse) weights. */
  readonly denseUs: number;
  readonly sparseUs: number;
}

export interface WhatIfData {
  readonly node: string;
  readonly input: number;
  readonly hidden: number;
  /** The layer's own weight sparsity (mean of W and R), where the curve is read today. */
  readonly current: number;
  readonly points: readonly WhatIfPoint[];
  /** Weight sparsities where auto's cheapest layouts change (between two grid points). */
  readonly switches: readonly { readonly sparsity: number; readonly from: string; readonly to: string }[];
  readonly cpu: readonly CpuPoint[];
  readonly cpuSteps: number;
}

export interface QuantLayerData {
  readonly node: string;
  readonly weightBits: number | null;
  /** Fraction lengths (Q formats) per direction. */
  readonly formats: readonly { readonly dir: number; readonly w: number | null; readonly r: number | null; readonly x: number | null; readonly h: number | null; readonly c: number | null; readonly acc: number | null }[];
  /** Max abs error of the layer output vs float32 on calibration data (null: not measured). */
  readonly maxAbsError: number | null;
  /** The same for the cell state c (Y_c), when measured. */
  readonly cellError: number | null;
}

export interface SimData {
  readonly clockMHz: number;
  readonly cycles: number;
  readonly lanes: readonly string[];
  readonly mnemonics: readonly string[];
  readonly layers: readonly string[];
  /** Columnar events (one entry per executed instruction): start cycle, duration, lane, mnemonic, layer, time step. */
  readonly events: { readonly start: readonly number[]; readonly dur: readonly number[]; readonly lane: readonly number[]; readonly op: readonly number[]; readonly layer: readonly number[]; readonly t: readonly number[] };
  readonly dropped: number;
  /** Each executed run-time branch (bzc): when, where, whether taken, and the mode of the product that followed. */
  readonly branches: readonly { readonly cycle: number; readonly pc: number; readonly layer: string; readonly t: number; readonly taken: boolean; readonly next: string }[];
  readonly cyclesByLayer: Readonly<Record<string, number>>;
  readonly cyclesByUnit: Readonly<Record<string, number>>;
  readonly cyclesByMode: Readonly<Record<string, number>>;
  readonly summary: string;
}

export interface ReportData {
  readonly file: string;
  readonly kind: 'model' | 'binary';
  /** The pass pipeline that ran (model) or null (binary). */
  readonly pipeline: string | null;
  readonly target: Readonly<Record<string, number | string | boolean>>;
  readonly graph: GraphData;
  readonly matrices: readonly MatrixData[];
  readonly decisions: readonly LayerDecisionData[];
  readonly whatIf: readonly WhatIfData[];
  readonly quantization: readonly QuantLayerData[];
  readonly passReports: readonly { readonly step: string; readonly tables: readonly ReportTableData[] }[];
  readonly sim: SimData | null;
  /** What the report could not show, and why. */
  readonly notes: readonly string[];
}
