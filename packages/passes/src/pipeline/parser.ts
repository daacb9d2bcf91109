/** Chevrotain parser for pipeline text, producing a PipelineAst directly. */
import { EmbeddedActionsParser, type IToken } from 'chevrotain';
import { fail } from '@lstmc/ir';
import type { OptionAst, PassRefAst, PipelineAst, SourcePos } from './ast.js';
import { Comma, Equals, LCurly, PIPELINE_TOKENS, RCurly, Str, Word, makePipelineLexer } from './lexer.js';

function pos(t: IToken): SourcePos {
  return { line: t.startLine ?? 1, column: t.startColumn ?? 1, offset: t.startOffset };
}

function unquote(t: IToken): string {
  return t.tokenType === Str ? (JSON.parse(t.image) as string) : t.image;
}

class PipelineParser extends EmbeddedActionsParser {
  constructor() {
    super(PIPELINE_TOKENS, { recoveryEnabled: false });
    this.performSelfAnalysis();
  }

  pipeline = this.RULE('pipeline', (): PipelineAst => {
    const passes: PassRefAst[] = [];
    this.OPTION(() => {
      passes.push(this.SUBRULE(this.passRef));
      this.MANY(() => {
        this.CONSUME(Comma);
        passes.push(this.SUBRULE2(this.passRef));
      });
    });
    return { passes };
  });

  passRef = this.RULE('passRef', (): PassRefAst => {
    const name = this.CONSUME(Word);
    const options: OptionAst[] = [];
    this.OPTION(() => {
      this.CONSUME(LCurly);
      this.OPTION2(() => {
        options.push(this.SUBRULE(this.optionRule));
        this.MANY(() => {
          this.CONSUME(Comma);
          options.push(this.SUBRULE2(this.optionRule));
        });
      });
      this.CONSUME(RCurly);
    });
    return { name: name.image, pos: pos(name), options };
  });

  optionRule = this.RULE('optionRule', (): OptionAst => {
    const name = this.CONSUME(Word);
    this.CONSUME(Equals);
    const value = this.OR([{ ALT: () => this.CONSUME2(Word) }, { ALT: () => this.CONSUME(Str) }]);
    return { name: name.image, pos: pos(name), value: unquote(value), valuePos: pos(value) };
  });
}

const FILE = '<pipeline>';

/** Parse pipeline text; syntax errors are E-PIPE-SYNTAX diagnostics at line:column. */
export function parsePipelineText(text: string): PipelineAst {
  const lexed = makePipelineLexer().tokenize(text);
  if (lexed.errors.length > 0) {
    const e = lexed.errors[0];
    fail('E-PIPE-SYNTAX', `unexpected character '${text.slice(e.offset, e.offset + e.length)}'`, {
      file: FILE,
      line: e.line,
      column: e.column,
    });
  }
  const parser = new PipelineParser();
  parser.input = lexed.tokens;
  const ast = parser.pipeline();
  if (parser.errors.length > 0) {
    const e = parser.errors[0];
    const t = e.token;
    const atEnd = t.tokenType.name === 'EOF' || Number.isNaN(t.startOffset);
    const where = atEnd ? endPos(text) : { line: t.startLine ?? 1, column: t.startColumn ?? 1 };
    const found = atEnd ? 'end of pipeline' : `'${t.image}'`;
    fail('E-PIPE-SYNTAX', `unexpected ${found}: expected ${expectedOf(e.message)}`, { file: FILE, ...where });
  }
  return ast;
}

function endPos(text: string): { line: number; column: number } {
  const lines = text.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** Chevrotain messages name the expected token as `--> Name <--`. */
function expectedOf(message: string): string {
  const names = [...message.matchAll(/-->\s*(\w+)\s*<--/g)].map((m) => m[1]);
  const human: Record<string, string> = {
    Word: 'a name',
    Str: 'a quoted string',
    Comma: "','",
    LCurly: "'{'",
    RCurly: "'}'",
    Equals: "'='",
  };
  if (names.length === 0) return "a pass name, ',', '{' or '}'";
  return names.map((n) => human[n] ?? n).join(' or ');
}

export const PIPELINE_FILE = FILE;
