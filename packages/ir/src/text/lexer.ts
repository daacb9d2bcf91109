import { createToken, Lexer, type TokenType } from 'chevrotain';

/**
 * Tokens of the textual IR (see docs/ir-text.md). Order matters: chevrotain
 * tries patterns first to last, so longer/more specific patterns come first
 * and keywords point at `Ident` through `longer_alt` (so `inputs` is an
 * identifier, `input` a keyword).
 */

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\uFEFF]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /\/\/[^\n]*/, group: Lexer.SKIPPED });

// A JSON string literal: the printer writes JSON.stringify, the parser reads JSON.parse.
const STRING_BODY = String.raw`"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"`;
/** Characters of a bare value/graph name after `%` or `@`; `::` pairs are allowed, a single `:` is not. */
export const BARE_NAME = String.raw`(?:[A-Za-z0-9_.$\/\-]|::)+`;

export const ValueRef = createToken({ name: 'ValueRef', pattern: new RegExp(`%(?:${BARE_NAME}|${STRING_BODY})`), label: 'a value (%name)' });
export const GraphRef = createToken({ name: 'GraphRef', pattern: new RegExp(`@(?:${BARE_NAME}|${STRING_BODY})`), label: 'a graph name (@name)' });
export const StringLit = createToken({ name: 'StringLit', pattern: new RegExp(STRING_BODY), label: 'a string' });

/** Float literal: always has `.` or an exponent, or is nan/inf (nan may carry its raw bits). */
export const FloatLit = createToken({
  name: 'FloatLit',
  label: 'a float',
  pattern: /-?(?:\d+\.\d*(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|inf(?![A-Za-z0-9_.$])|nan(?:\(0x[0-9a-fA-F]+\))?(?![A-Za-z0-9_.$]))/,
});
export const IntLit = createToken({ name: 'IntLit', pattern: /-?\d+/, label: 'an integer' });

/** Bare identifier: op names, domains, dtypes, dims, attribute names. */
export const Ident = createToken({ name: 'Ident', pattern: /[A-Za-z_][A-Za-z0-9_.$]*/, label: 'an identifier' });

function keyword(word: string): TokenType {
  return createToken({ name: `Kw_${word}`, pattern: new RegExp(`${word}(?![A-Za-z0-9_.$])`), longer_alt: Ident, label: `'${word}'` });
}

export const KwGraph = keyword('graph');
export const KwOpset = keyword('opset');
export const KwMeta = keyword('meta');
export const KwInput = keyword('input');
export const KwOutput = keyword('output');
export const KwInit = keyword('init');
export const KwValue = keyword('value');
export const KwNone = keyword('none');
export const KwUntyped = keyword('untyped');
export const KwDenseResource = keyword('dense_resource');
export const KwDense = keyword('dense');
export const KwLoc = keyword('loc');
export const KwSha256 = keyword('sha256');

export const KEYWORDS: readonly TokenType[] = [
  KwGraph, KwOpset, KwMeta, KwInput, KwOutput, KwInit, KwValue, KwNone, KwUntyped, KwDenseResource, KwDense, KwLoc, KwSha256,
];

/** Words that lex as float literals, never as identifiers. */
export const NUMBER_WORDS: ReadonlySet<string> = new Set(['inf', 'nan']);

/**
 * Words that cannot be printed as bare op names or domains: they lex as
 * keywords (where a keyword could start an item) or as numbers. Attribute
 * names and dims may be keywords (see parser.ts `word`).
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'graph', 'opset', 'meta', 'input', 'output', 'init', 'value', 'none', 'untyped',
  'dense_resource', 'dense', 'loc', 'sha256', ...NUMBER_WORDS,
]);

export const LBrace = createToken({ name: 'LBrace', pattern: '{', label: "'{'" });
export const RBrace = createToken({ name: 'RBrace', pattern: '}', label: "'}'" });
export const LParen = createToken({ name: 'LParen', pattern: '(', label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: ')', label: "')'" });
export const LBracket = createToken({ name: 'LBracket', pattern: '[', label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: ']', label: "']'" });
export const LAngle = createToken({ name: 'LAngle', pattern: '<', label: "'<'" });
export const RAngle = createToken({ name: 'RAngle', pattern: '>', label: "'>'" });
export const ColonColon = createToken({ name: 'ColonColon', pattern: '::', label: "'::'" });
export const Colon = createToken({ name: 'Colon', pattern: ':', label: "':'" });
export const Comma = createToken({ name: 'Comma', pattern: ',', label: "','" });
export const Equals = createToken({ name: 'Equals', pattern: '=', label: "'='" });
export const Question = createToken({ name: 'Question', pattern: '?', label: "'?'" });
export const Star = createToken({ name: 'Star', pattern: '*', label: "'*'" });

export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  Comment,
  ValueRef,
  GraphRef,
  StringLit,
  FloatLit,
  IntLit,
  KwGraph,
  KwOpset,
  KwMeta,
  KwInput,
  KwOutput,
  KwInit,
  KwValue,
  KwNone,
  KwUntyped,
  KwDenseResource,
  KwDense,
  KwLoc,
  KwSha256,
  Ident,
  LBrace,
  RBrace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LAngle,
  RAngle,
  ColonColon,
  Colon,
  Comma,
  Equals,
  Question,
  Star,
];

/** Stateless once built; `ensureOptimizations` makes a bad token table fail at load, not at first use. */
export const irLexer = new Lexer(ALL_TOKENS, { ensureOptimizations: true, positionTracking: 'full' });
