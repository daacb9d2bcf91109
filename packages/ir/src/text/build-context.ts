import { fail } from '../diagnostic.js';
import { type DType, isDType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { type Dim, type TensorType, tensorType } from '../types.js';
import type { AstType, Pos } from './ast.js';
import type { BitScratch } from './number-format.js';

/** Stable codes of textual-IR diagnostics (docs/ir-text.md lists them). */
export const TEXT_ERROR_CODES = {
  token: 'E-TEXT-TOKEN',
  syntax: 'E-TEXT-SYNTAX',
  version: 'E-TEXT-VERSION',
  dtype: 'E-TEXT-DTYPE',
  type: 'E-TEXT-TYPE',
  literal: 'E-TEXT-LITERAL',
  count: 'E-TEXT-COUNT',
  undefined: 'E-TEXT-UNDEFINED',
  duplicate: 'E-TEXT-DUPLICATE',
  attr: 'E-TEXT-ATTR',
  resource: 'E-TEXT-RESOURCE',
  resourceMismatch: 'E-TEXT-RESOURCE-MISMATCH',
} as const satisfies Record<string, `E-TEXT-${string}`>;

export type TextErrorCode = (typeof TEXT_ERROR_CODES)[keyof typeof TEXT_ERROR_CODES];

/** What one parseGraph call carries through the semantic checks. */
export interface BuildContext {
  readonly file: string;
  readonly resources: ReadonlyMap<string, Tensor> | undefined;
  readonly scratch: BitScratch;
}

export interface LocExtra {
  readonly node?: string;
  readonly field?: string;
}

export function failAt(ctx: BuildContext, code: TextErrorCode, message: string, pos: Pos, extra: LocExtra = {}): never {
  return fail(code, message, { file: ctx.file, line: pos.line, column: pos.column, ...extra });
}

export function buildDType(ctx: BuildContext, t: AstType, extra?: LocExtra): DType {
  const d = t.dtype.value;
  if (!isDType(d)) failAt(ctx, TEXT_ERROR_CODES.dtype, `unknown dtype '${d}'`, t.dtype.pos, extra);
  return d;
}

/** A TensorType; dims are checked to be non-negative safe integers. */
export function buildType(ctx: BuildContext, t: AstType, extra?: LocExtra): TensorType {
  const dtype = buildDType(ctx, t, extra);
  let frac: number | undefined;
  if (t.frac) {
    if (t.frac.qualifier.value !== 'frac')
      failAt(ctx, TEXT_ERROR_CODES.type, `unknown type qualifier '${t.frac.qualifier.value}' (expected 'frac')`, t.frac.qualifier.pos, extra);
    frac = Number(t.frac.text);
    if (!Number.isSafeInteger(frac)) failAt(ctx, TEXT_ERROR_CODES.type, `frac ${t.frac.text} is not a valid integer`, t.frac.pos, extra);
  }
  const shape: Dim[] | undefined = t.shape?.map((d) => {
    if (d.kind === 'sym') return d.name;
    const n = Number(d.text);
    if (!Number.isSafeInteger(n) || n < 0) failAt(ctx, TEXT_ERROR_CODES.type, `dimension ${d.text} is not a non-negative integer`, d.pos, extra);
    return n;
  });
  return tensorType(dtype, shape, frac === undefined ? undefined : { frac });
}
