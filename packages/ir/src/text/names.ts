import type { Dim, TensorType } from '../types.js';
import { BARE_NAME, NUMBER_WORDS, RESERVED_WORDS } from './lexer.js';

/**
 * How names are spelled: bare when the lexer reads them back as one token of
 * the right kind, JSON-quoted otherwise. Quoting is the printer's decision
 * only; the parser accepts either spelling.
 */

const BARE_VALUE = new RegExp(`^${BARE_NAME}$`);
const BARE_IDENT = /^[A-Za-z_][A-Za-z0-9_.$]*$/;

export function quote(s: string): string {
  return JSON.stringify(s);
}

/** `%name` or `%"quoted name"`. */
export function valueRef(name: string): string {
  return BARE_VALUE.test(name) ? `%${name}` : `%${quote(name)}`;
}

export function graphRef(name: string): string {
  return BARE_VALUE.test(name) ? `@${name}` : `@${quote(name)}`;
}

/** An op name or domain. */
export function ident(s: string): string {
  return BARE_IDENT.test(s) && !RESERVED_WORDS.has(s) ? s : quote(s);
}

/** An attribute name or symbolic dim: keywords may stay bare there (parser.ts `word`). */
export function word(s: string): string {
  return BARE_IDENT.test(s) && !NUMBER_WORDS.has(s) ? s : quote(s);
}

export function formatDim(d: Dim): string {
  if (typeof d === 'number') {
    if (!Number.isSafeInteger(d) || d < 0) throw new Error(`printGraph: bad static dim ${d}`);
    return String(d);
  }
  return d === '?' ? '?' : word(d);
}

/** `f32[seq, 4]`, `f32[*]`, `i16<frac=8>[4]`. */
export function formatTextType(t: TensorType): string {
  const fixed = t.fixed ? `<frac=${t.fixed.frac}>` : '';
  const shape = t.shape === undefined ? '*' : t.shape.map(formatDim).join(', ');
  return `${t.dtype}${fixed}[${shape}]`;
}
