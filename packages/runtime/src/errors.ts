/**
 * The runtime's one error type for user-facing failures (corrupt files, bad inputs).
 * It mirrors the fields of @lstmc/ir's DiagnosticError (code, message, location) without
 * depending on it; the CLI maps one onto the other. Internal bugs throw plain Error.
 */
export const RUNTIME_ERROR_CODES = [
  'E-RT-TRUNCATED',
  'E-RT-MAGIC',
  'E-RT-VERSION',
  'E-RT-HEADER-CRC',
  'E-RT-HEADER',
  'E-RT-FLAGS',
  'E-RT-CHECKSUM',
  'E-RT-MANIFEST-JSON',
  'E-RT-MANIFEST',
  'E-RT-DTYPE',
  'E-RT-SHAPE',
  'E-RT-INDEX',
  'E-RT-BLOB-RANGE',
  'E-RT-ALIGN',
  'E-RT-KERNEL',
  'E-RT-ATTR',
  'E-RT-GRAPH',
  'E-RT-INPUT-MISSING',
  'E-RT-INPUT-UNKNOWN',
  'E-RT-INPUT-DTYPE',
  'E-RT-INPUT-SHAPE',
  'E-RT-EXEC',
  'E-RT-NONFINITE',
  'E-RT-SPARSE',
  'E-RT-STREAM',
  'E-RT-WRITE',
  'E-RT-OPTION',
] as const;

export type RuntimeErrorCode = (typeof RUNTIME_ERROR_CODES)[number];

export interface RuntimeErrorLoc {
  /** Byte offset in the runtime graph file, for binary-level errors. */
  offset?: number;
  /** JSON path in the manifest (e.g. `nodes[3].attrs.axis`), an input name, or a node name. */
  field?: string;
}

export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  readonly offset?: number;
  readonly field?: string;

  constructor(code: RuntimeErrorCode, message: string, loc: RuntimeErrorLoc = {}) {
    super(message);
    this.name = 'RuntimeError';
    this.code = code;
    if (loc.offset !== undefined) this.offset = loc.offset;
    if (loc.field !== undefined) this.field = loc.field;
  }
}

export function rtFail(code: RuntimeErrorCode, message: string, loc: RuntimeErrorLoc = {}): never {
  throw new RuntimeError(code, message, loc);
}

export function isRuntimeError(e: unknown): e is RuntimeError {
  return e instanceof RuntimeError;
}
