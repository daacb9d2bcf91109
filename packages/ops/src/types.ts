import type { DType } from './dtype.js';

/**
 * A dimension is static (a non-negative integer) or symbolic (a name such as
 * `seq` or `batch`). `?` is an unknown dimension with no name.
 */
export type Dim = number | string;

/**
 * Fixed-point interpretation of an integer tensor: real = stored * 2^-frac.
 * Attached by the quantize pass.
 */
export interface FixedPoint {
  readonly frac: number;
}

export interface TensorType {
  readonly dtype: DType;
  /** undefined = unknown rank. */
  readonly shape: readonly Dim[] | undefined;
  readonly fixed?: FixedPoint;
}

export function tensorType(dtype: DType, shape: readonly Dim[] | undefined, fixed?: FixedPoint): TensorType {
  return Object.freeze({
    dtype,
    shape: shape === undefined ? undefined : Object.freeze([...shape]),
    ...(fixed ? { fixed: Object.freeze({ ...fixed }) } : {}),
  });
}

export function isStaticShape(shape: readonly Dim[] | undefined): shape is readonly number[] {
  return shape !== undefined && shape.every((d) => typeof d === 'number');
}

export function dimsEqual(a: Dim, b: Dim): boolean {
  return a === b;
}

/** True when two dims cannot be proven different (unknown or symbolic counts as compatible). */
export function dimsCompatible(a: Dim, b: Dim): boolean {
  return typeof a !== 'number' || typeof b !== 'number' || a === b;
}

export function typesEqual(a: TensorType, b: TensorType): boolean {
  if (a.dtype !== b.dtype) return false;
  if ((a.fixed?.frac ?? null) !== (b.fixed?.frac ?? null)) return false;
  if (a.shape === undefined || b.shape === undefined) return a.shape === b.shape;
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape![i]);
}

export function formatShape(shape: readonly Dim[] | undefined): string {
  return shape === undefined ? '*' : `[${shape.join(', ')}]`;
}

export function formatType(t: TensorType): string {
  return `${t.dtype}${t.fixed ? ` q${t.fixed.frac}` : ''}${formatShape(t.shape)}`;
}
