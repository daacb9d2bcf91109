/**
 * Tokens of the pipeline language:
 *   pipeline := (pass (',' pass)*)?
 *   pass     := WORD ('{' (option (',' option)*)? '}')?
 *   option   := WORD '=' (WORD | STRING)
 * Whitespace and newlines between tokens are ignored.
 */
import { Lexer, createToken } from 'chevrotain';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
export const Word = createToken({ name: 'Word', pattern: /[A-Za-z0-9_.+\-/:@]+/ });
export const Str = createToken({ name: 'Str', pattern: /"(?:[^"\\\n]|\\.)*"/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/ });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });

export const PIPELINE_TOKENS = [WhiteSpace, Str, Word, Comma, LCurly, RCurly, Equals];

export function makePipelineLexer(): Lexer {
  return new Lexer(PIPELINE_TOKENS, { positionTracking: 'full', ensureOptimizations: false });
}
