import { createToken, Lexer } from 'chevrotain';

/** Tokens of the assembly / listing text (see listing.ts for the format). Order matters: longer and more specific first. */
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r]+/, group: Lexer.SKIPPED });
export const NewLine = createToken({ name: 'NewLine', pattern: /\n/, line_breaks: true });
export const Comment = createToken({ name: 'Comment', pattern: /;[^\n]*/ });
/** A directive takes the rest of its line (JSON, hex bytes, integer lists). */
export const Directive = createToken({ name: 'Directive', pattern: /\.[a-z]+[^\n]*/ });
export const Address = createToken({ name: 'Address', pattern: /\d+:/ });
export const RawWord = createToken({ name: 'RawWord', pattern: /[0-9a-f]{16}(?![0-9A-Za-z_])/ });
export const LabelDef = createToken({ name: 'LabelDef', pattern: /[A-Za-z_][A-Za-z0-9_]*:/ });
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/ });
export const LabelRef = createToken({ name: 'LabelRef', pattern: /@\d+/ });
export const IntLit = createToken({ name: 'IntLit', pattern: /-?\d+/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });

export const ASM_TOKENS = [WhiteSpace, NewLine, Comment, Directive, Address, RawWord, LabelDef, Identifier, LabelRef, IntLit, Equals, Comma];

export function makeAsmLexer(): Lexer {
  return new Lexer(ASM_TOKENS, { positionTracking: 'full', ensureOptimizations: false });
}
