import type { IRecognitionException, IToken } from 'chevrotain';
import { fail } from '../diagnostic.js';
import type { Graph } from '../graph.js';
import type { Tensor } from '../tensor.js';
import { type BuildContext, TEXT_ERROR_CODES } from './build-context.js';
import { buildGraph } from './build-graph.js';
import { createAstBuilder } from './cst-visitor.js';
import { irLexer } from './lexer.js';
import { makeBitScratch } from './number-format.js';
import { IrTextParser } from './parser.js';
import { TEXT_IR_VERSION } from './print.js';

export interface ParseOptions {
  /** Name of the text's file, used in diagnostics. */
  readonly file: string;
  /** Tensors for `dense_resource<key, ...>` literals, by key (see printGraphWithResources). */
  readonly resources?: ReadonlyMap<string, Tensor>;
  /** A reader to reuse across calls (building one costs ~10 ms); a fresh one per call by default. */
  readonly reader?: TextIrReader;
}

/** The parser and CST visitor, built once and reusable for any number of parseGraph calls. */
export interface TextIrReader {
  readonly parser: IrTextParser;
  readonly ast: ReturnType<typeof createAstBuilder>;
}

export function createTextIrReader(): TextIrReader {
  const parser = new IrTextParser();
  return { parser, ast: createAstBuilder(parser) };
}

/**
 * Reads the textual IR. Every user error is a DiagnosticError with a stable
 * `E-TEXT-*` code and file:line:column; nothing is inferred (types come from
 * the text).
 */
export function parseGraph(text: string, opts: ParseOptions): Graph {
  checkHeader(text, opts.file);
  const lexed = irLexer.tokenize(text);
  const lexErr = lexed.errors[0];
  if (lexErr) {
    const ch = text.slice(lexErr.offset, lexErr.offset + 1);
    fail(TEXT_ERROR_CODES.token, `unexpected character ${JSON.stringify(ch)}`, {
      file: opts.file,
      line: lexErr.line ?? 1,
      column: lexErr.column ?? 1,
    });
  }
  const reader = opts.reader ?? createTextIrReader();
  const { parser } = reader;
  parser.input = lexed.tokens;
  const cst = parser.file();
  const synErr = parser.errors[0];
  if (synErr) {
    const { line, column } = errorPosition(synErr, text, lexed.tokens);
    fail(TEXT_ERROR_CODES.syntax, synErr.message, { file: opts.file, line, column });
  }
  const ast = reader.ast.file(cst);
  const ctx: BuildContext = { file: opts.file, resources: opts.resources, scratch: makeBitScratch() };
  return buildGraph(ctx, ast);
}

/** A first line `// lstmc.ir vN` must name a version this reader knows; text without the header is accepted. */
function checkHeader(text: string, file: string): void {
  const m = /^\uFEFF?\/\/ lstmc\.ir v(\S*)/.exec(text);
  if (m && m[1] !== String(TEXT_IR_VERSION))
    fail(TEXT_ERROR_CODES.version, `textual IR version '${m[1]}' is not supported (this reader knows v${TEXT_IR_VERSION})`, {
      file,
      line: 1,
      column: 13,
    });
}

function errorPosition(e: IRecognitionException, text: string, tokens: IToken[]): { line: number; column: number } {
  const t = e.token;
  if (t.tokenType.name !== 'EOF' && Number.isFinite(t.startLine) && Number.isFinite(t.startColumn))
    return { line: t.startLine!, column: t.startColumn! };
  // At end of input: point just past the last token.
  const last = tokens[tokens.length - 1];
  if (last && Number.isFinite(last.endLine) && Number.isFinite(last.endColumn)) return { line: last.endLine!, column: last.endColumn! + 1 };
  const lines = text.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}
