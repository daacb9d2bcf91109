/**
 * Typed pass options: each option is declared once (kind, default, range,
 * one-line doc). The pipeline parser turns option text into these typed
 * values, and the printer turns them back into canonical text.
 */

export type OptionSpec =
  | { readonly kind: 'int'; readonly default: number; readonly min?: number; readonly max?: number; readonly doc: string }
  | { readonly kind: 'float'; readonly default: number; readonly min?: number; readonly max?: number; readonly doc: string }
  | {
      readonly kind: 'float-or-auto';
      readonly default: number | 'auto';
      readonly min?: number;
      readonly max?: number;
      readonly doc: string;
    }
  | { readonly kind: 'bool'; readonly default: boolean; readonly doc: string }
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly default: string; readonly doc: string }
  | { readonly kind: 'string'; readonly default: string; readonly doc: string }
  /** A shape such as `4x8` (block sizes). */
  | { readonly kind: 'dims'; readonly default: readonly number[]; readonly rank?: number; readonly doc: string };

export type OptionKind = OptionSpec['kind'];

export type OptionSchema = Readonly<Record<string, OptionSpec>>;

type ValueOf<S extends OptionSpec> = S extends { kind: 'int' | 'float' }
  ? number
  : S extends { kind: 'float-or-auto' }
    ? number | 'auto'
    : S extends { kind: 'bool' }
      ? boolean
      : S extends { kind: 'enum'; values: readonly (infer V)[] }
        ? V
        : S extends { kind: 'dims' }
          ? readonly number[]
          : string;

/** The typed option record a pass's run function receives. */
export type OptionValues<O extends OptionSchema> = { readonly [K in keyof O]: ValueOf<O[K]> };

export type OptionValue = number | boolean | string | readonly number[];

/** Result of parsing one option value: the typed value or a reason. */
export type ParsedOption = { ok: true; value: OptionValue } | { ok: false; reason: string };

const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function inRange(spec: { min?: number; max?: number }, v: number): string | undefined {
  if (spec.min !== undefined && v < spec.min) return `must be >= ${spec.min}`;
  if (spec.max !== undefined && v > spec.max) return `must be <= ${spec.max}`;
  return undefined;
}

/** Parse option text against its declaration. */
export function parseOptionValue(spec: OptionSpec, text: string): ParsedOption {
  switch (spec.kind) {
    case 'int': {
      if (!/^[+-]?\d+$/.test(text)) return { ok: false, reason: 'expected an integer' };
      const v = Number(text);
      const r = inRange(spec, v);
      return r ? { ok: false, reason: r } : { ok: true, value: v };
    }
    case 'float':
    case 'float-or-auto': {
      if (spec.kind === 'float-or-auto' && text === 'auto') return { ok: true, value: 'auto' };
      if (!NUMBER_RE.test(text)) return { ok: false, reason: spec.kind === 'float' ? 'expected a number' : "expected a number or 'auto'" };
      const v = Number(text);
      const r = inRange(spec, v);
      return r ? { ok: false, reason: r } : { ok: true, value: v };
    }
    case 'bool':
      if (text === 'true' || text === '1') return { ok: true, value: true };
      if (text === 'false' || text === '0') return { ok: true, value: false };
      return { ok: false, reason: 'expected true or false' };
    case 'enum':
      return spec.values.includes(text)
        ? { ok: true, value: text }
        : { ok: false, reason: `expected one of ${spec.values.join('|')}` };
    case 'string':
      return { ok: true, value: text };
    case 'dims': {
      if (!/^\d+(x\d+)*$/.test(text)) return { ok: false, reason: 'expected dims like 4x4' };
      const dims = text.split('x').map(Number);
      if (dims.some((d) => d < 1)) return { ok: false, reason: 'dims must be >= 1' };
      if (spec.rank !== undefined && dims.length !== spec.rank) return { ok: false, reason: `expected ${spec.rank} dims` };
      return { ok: true, value: dims };
    }
  }
}

/** Canonical text of a typed option value (what the pipeline printer emits). */
export function formatOptionValue(spec: OptionSpec, v: OptionValue): string {
  if (spec.kind === 'dims') return (v as readonly number[]).join('x');
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = String(v);
  return needsQuotes(s) ? JSON.stringify(s) : s;
}

/** Bare words of the pipeline lexer; anything else is printed quoted. */
export function needsQuotes(s: string): boolean {
  return !/^[A-Za-z0-9_.+\-/:@]+$/.test(s);
}

/** Defaults of a schema as an option record. */
export function defaultOptions(schema: OptionSchema): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const [k, s] of Object.entries(schema)) out[k] = s.default;
  return out;
}

export function sameOptionValue(a: OptionValue, b: OptionValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** One line of documentation per option: `name=kind (default d, range) doc`. */
export function describeOption(name: string, spec: OptionSpec): string {
  const kind = spec.kind === 'enum' ? spec.values.join('|') : spec.kind;
  const range =
    'min' in spec || 'max' in spec
      ? ` in [${(spec as { min?: number }).min ?? '-inf'}, ${(spec as { max?: number }).max ?? 'inf'}]`
      : '';
  return `${name}=${kind}${range} (default ${formatOptionValue(spec, spec.default)}): ${spec.doc}`;
}
