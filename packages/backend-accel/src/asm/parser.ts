import { EmbeddedActionsParser, type IToken } from 'chevrotain';
import { fail } from '@lstmc/ir';
import { Address, ASM_TOKENS, Comma, Comment, Directive, Equals, Identifier, IntLit, LabelDef, LabelRef, makeAsmLexer, NewLine, RawWord } from './lexer.js';

export interface Pos {
  readonly line: number;
  readonly column: number;
}

export interface OperandAst {
  readonly name: string;
  readonly kind: 'int' | 'name' | 'address';
  readonly text: string;
  readonly pos: Pos;
}

export type StatementAst =
  | { readonly kind: 'directive'; readonly name: string; readonly arg: string; readonly pos: Pos; readonly argPos: Pos }
  | { readonly kind: 'label'; readonly name: string; readonly pos: Pos }
  | { readonly kind: 'instr'; readonly mnemonic: string; readonly operands: readonly OperandAst[]; readonly debug: string; readonly pos: Pos };

const pos = (t: IToken): Pos => ({ line: t.startLine ?? 0, column: t.startColumn ?? 0 });

class AsmParser extends EmbeddedActionsParser {
  constructor() {
    super(ASM_TOKENS, { recoveryEnabled: false });
    this.performSelfAnalysis();
  }

  program = this.RULE('program', (): StatementAst[] => {
    const out: StatementAst[] = [];
    this.MANY(() => {
      this.SUBRULE(this.line, { ARGS: [out] });
    });
    return out;
  });

  line = this.RULE('line', (out: StatementAst[]) => {
    this.OR([
      { ALT: () => this.CONSUME(NewLine) },
      { ALT: () => this.CONSUME(Comment) },
      {
        ALT: () => {
          const d = this.CONSUME(Directive);
          this.ACTION(() => {
            const m = /^\.([a-z]+)\s*(.*)$/s.exec(d.image)!;
            const argCol = (d.startColumn ?? 0) + d.image.indexOf(m[2], m[1].length + 1);
            out.push({ kind: 'directive', name: m[1], arg: m[2].trimEnd(), pos: pos(d), argPos: { line: d.startLine ?? 0, column: argCol } });
          });
        },
      },
      {
        ALT: () => {
          const l = this.CONSUME(LabelDef);
          this.ACTION(() => out.push({ kind: 'label', name: l.image.slice(0, -1), pos: pos(l) }));
        },
      },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(Address));
          this.OPTION2(() => this.CONSUME(RawWord));
          const mn = this.CONSUME(Identifier);
          const operands: OperandAst[] = [];
          this.MANY_SEP({
            SEP: Comma,
            DEF: () => {
              operands.push(this.SUBRULE(this.operand));
            },
          });
          let debug = '';
          this.OPTION3(() => {
            const c = this.CONSUME2(Comment);
            this.ACTION(() => (debug = c.image.slice(1).trim()));
          });
          this.ACTION(() => out.push({ kind: 'instr', mnemonic: mn.image, operands, debug, pos: pos(mn) }));
        },
      },
    ]);
  });

  operand = this.RULE('operand', (): OperandAst => {
    const n = this.CONSUME2(Identifier);
    this.CONSUME(Equals);
    return this.OR2([
      { ALT: () => this.value(this.CONSUME(IntLit), n, 'int') },
      { ALT: () => this.value(this.CONSUME3(Identifier), n, 'name') },
      { ALT: () => this.value(this.CONSUME(LabelRef), n, 'address') },
    ]);
  });

  private value(t: IToken, n: IToken, kind: OperandAst['kind']): OperandAst {
    return { name: n.image, kind, text: t.image, pos: pos(t) };
  }
}

/** Parse assembly text into statements; lexing and syntax errors are E-ASM-SYNTAX at line:column. */
export function parseAsm(text: string, file: string): StatementAst[] {
  const lex = makeAsmLexer().tokenize(text);
  if (lex.errors.length) {
    const e = lex.errors[0];
    fail('E-ASM-SYNTAX', `unexpected character '${text.substr(e.offset, 1)}'`, { file, line: e.line ?? 0, column: e.column ?? 0 });
  }
  const parser = new AsmParser();
  parser.input = lex.tokens;
  const stmts = parser.program();
  if (parser.errors.length) {
    const e = parser.errors[0];
    const t = e.token;
    const line = Number.isFinite(t.startLine) ? t.startLine! : (lex.tokens.at(-1)?.endLine ?? 1);
    const column = Number.isFinite(t.startColumn) ? t.startColumn! : 1;
    fail('E-ASM-SYNTAX', e.message.split('\n')[0], { file, line, column });
  }
  return stmts;
}
