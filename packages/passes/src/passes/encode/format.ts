/** The interface every sparse encoding implements (one file per format). */
import type { DType, Tensor } from '@lstmc/ir';
import type { RowAssignment } from '@lstmc/target';

/** A dense matrix to encode: rows x cols, row-major, with the dtype its values are stored in. */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: ArrayLike<number>;
  /** f32, or i8/i16 for quantized weights (with their fixed-point format). */
  readonly dtype: DType;
  readonly fixed?: { readonly frac: number };
}

export interface EncodeParams {
  readonly relIndexBits: number;
  /** Bits of one stored value (32 for float, weightBits when quantized). */
  readonly valueBits: number;
  /** Row -> PE assignment (used by per-PE formats). */
  readonly assignment: RowAssignment;
}

export interface EncodingStats {
  readonly nnz: number;
  /** Entries stored, including padding entries. */
  readonly entries: number;
  readonly padding: number;
  /** Packed size in bytes (values + indices + pointers), as the target would store it. */
  readonly bytes: number;
  /** Index and pointer bits per non-zero. */
  readonly indexBitsPerNnz: number;
  /** Max/mean entries per PE (1 for formats that are not per PE). */
  readonly imbalance: number;
}

export interface Encoding {
  readonly summary: string;
  /** Tensors by part name (the initializers `<base>.<part>`) and their statistics. */
  encode(m: DenseMatrix, p: EncodeParams): { parts: Record<string, Tensor>; stats: EncodingStats };
  /** Row-major values back from the parts (exact inverse of encode). */
  decode(parts: Readonly<Record<string, Tensor>>, rows: number, cols: number): Float64Array;
}

export function bitsFor(maxValue: number): number {
  return Math.max(1, Math.ceil(Math.log2(maxValue + 1)));
}
