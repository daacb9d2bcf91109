/**
 * The one diagnostic type of lstmc. User errors (bad models, bad text, bad
 * binaries, bad options) are reported as a Diagnostic with a stable code;
 * internal bugs throw plain Errors.
 */
export interface Location {
  /** File the problem is in (model, text, binary, target file). */
  readonly file?: string;
  /** ONNX/IR node name. */
  readonly node?: string;
  /** Attribute, initializer, input, JSON key or other named field. */
  readonly field?: string;
  /** 1-based line and column in a text input. */
  readonly line?: number;
  readonly column?: number;
  /** Byte offset in a binary input. */
  readonly offset?: number;
}

export interface Diagnostic {
  readonly severity: 'error' | 'warning' | 'note';
  /** Stable code, e.g. `E-ONNX-TRUNCATED`; tests assert codes, not prose. */
  readonly code: string;
  readonly message: string;
  readonly loc: Location;
}

/** Thrown to carry a user-facing Diagnostic through a call stack. */
export class DiagnosticError extends Error {
  readonly diagnostic: Diagnostic;
  constructor(diagnostic: Diagnostic) {
    super(formatDiagnostic(diagnostic));
    this.name = 'DiagnosticError';
    this.diagnostic = diagnostic;
  }
  get code(): string {
    return this.diagnostic.code;
  }
}

export function diag(code: string, message: string, loc: Location = {}): Diagnostic {
  return { severity: 'error', code, message, loc };
}

/** Throw a user error. */
export function fail(code: string, message: string, loc: Location = {}): never {
  throw new DiagnosticError(diag(code, message, loc));
}

export function isDiagnosticError(e: unknown): e is DiagnosticError {
  return e instanceof DiagnosticError;
}

/** Re-throw a DiagnosticError with location fields filled in where missing. */
export function withLocation<T>(loc: Location, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DiagnosticError) {
      throw new DiagnosticError({ ...e.diagnostic, loc: { ...loc, ...stripUndefined(e.diagnostic.loc) } });
    }
    throw e;
  }
}

function stripUndefined(loc: Location): Location {
  return Object.fromEntries(Object.entries(loc).filter(([, v]) => v !== undefined)) as Location;
}

export function formatLocation(loc: Location): string {
  const parts: string[] = [];
  if (loc.file !== undefined) {
    let f = loc.file;
    if (loc.line !== undefined) f += `:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ''}`;
    parts.push(f);
  } else if (loc.line !== undefined) {
    parts.push(`line ${loc.line}${loc.column !== undefined ? `:${loc.column}` : ''}`);
  }
  if (loc.offset !== undefined) parts.push(`byte offset ${loc.offset} (0x${loc.offset.toString(16)})`);
  if (loc.node !== undefined) parts.push(`node '${loc.node}'`);
  if (loc.field !== undefined) parts.push(`'${loc.field}'`);
  return parts.join(', ');
}

/** `error[CODE]: message (where)` on one line. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = formatLocation(d.loc);
  return `${d.severity}[${d.code}]: ${d.message}${where ? ` (${where})` : ''}`;
}
