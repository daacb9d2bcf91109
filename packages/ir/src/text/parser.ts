import { CstParser } from 'chevrotain';
import * as T from './lexer.js';
import { syntaxMessages } from './syntax-messages.js';

/**
 * The concrete syntax of the textual IR (grammar in docs/ir-text.md). It only
 * recognises structure; names, numbers, dtypes and references are checked
 * later (build-graph.ts) so that those errors carry their own codes.
 */
export class IrTextParser extends CstParser {
  /** `validate` runs chevrotain's grammar checks (ambiguities, left recursion): slow, so only tests ask for it. */
  constructor(opts: { validate?: boolean } = {}) {
    super(T.ALL_TOKENS, { maxLookahead: 3, errorMessageProvider: syntaxMessages, skipValidations: !opts.validate });
    this.performSelfAnalysis();
  }

  file = this.RULE('file', () => {
    this.SUBRULE(this.graph);
  });

  graph = this.RULE('graph', () => {
    this.CONSUME(T.KwGraph);
    this.CONSUME(T.GraphRef);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.item));
    this.CONSUME(T.RBrace);
  });

  item = this.RULE('item', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.opsetItem) },
      { ALT: () => this.SUBRULE(this.metaItem) },
      { ALT: () => this.SUBRULE(this.inputItem) },
      { ALT: () => this.SUBRULE(this.outputItem) },
      { ALT: () => this.SUBRULE(this.valueItem) },
      { ALT: () => this.SUBRULE(this.initItem) },
      { ALT: () => this.SUBRULE(this.nodeItem) },
    ]);
  });

  opsetItem = this.RULE('opsetItem', () => {
    this.CONSUME(T.KwOpset);
    this.SUBRULE(this.name);
    this.CONSUME(T.Equals);
    this.CONSUME(T.IntLit);
  });

  metaItem = this.RULE('metaItem', () => {
    this.CONSUME(T.KwMeta);
    this.CONSUME(T.StringLit, { LABEL: 'key' });
    this.CONSUME(T.Equals);
    this.CONSUME2(T.StringLit, { LABEL: 'value' });
  });

  inputItem = this.RULE('inputItem', () => {
    this.CONSUME(T.KwInput);
    this.CONSUME(T.ValueRef);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.type);
    });
  });

  outputItem = this.RULE('outputItem', () => {
    this.CONSUME(T.KwOutput);
    this.CONSUME(T.ValueRef);
  });

  valueItem = this.RULE('valueItem', () => {
    this.CONSUME(T.KwValue);
    this.CONSUME(T.ValueRef);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.type);
  });

  initItem = this.RULE('initItem', () => {
    this.CONSUME(T.KwInit);
    this.CONSUME(T.ValueRef);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.OR([{ ALT: () => this.CONSUME(T.KwUntyped) }, { ALT: () => this.SUBRULE(this.type) }]);
    });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.tensorLit);
  });

  nodeItem = this.RULE('nodeItem', () => {
    this.OPTION(() => {
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.result) });
      this.CONSUME(T.Equals);
    });
    this.SUBRULE(this.name, { LABEL: 'op' });
    this.OPTION2(() => {
      this.CONSUME(T.ColonColon);
      this.SUBRULE2(this.name, { LABEL: 'opAfterDomain' });
    });
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.operand) });
    this.CONSUME(T.RParen);
    this.OPTION3(() => this.SUBRULE(this.attrDict));
    this.CONSUME(T.KwLoc);
    this.CONSUME2(T.LParen);
    this.CONSUME(T.StringLit);
    this.CONSUME2(T.RParen);
  });

  result = this.RULE('result', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.KwNone) },
      {
        ALT: () => {
          this.CONSUME(T.ValueRef);
          this.OPTION(() => {
            this.CONSUME(T.Colon);
            this.SUBRULE(this.type);
          });
        },
      },
    ]);
  });

  operand = this.RULE('operand', () => {
    this.OR([{ ALT: () => this.CONSUME(T.KwNone) }, { ALT: () => this.CONSUME(T.ValueRef) }]);
  });

  /** A bare identifier or a quoted string (op names, domains, attribute names). */
  name = this.RULE('name', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Ident) }, { ALT: () => this.CONSUME(T.StringLit) }]);
  });

  /** Like `name`, but keywords count too: used where no item can start (attribute names, dims). */
  word = this.RULE('word', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Ident) },
      { ALT: () => this.CONSUME(T.StringLit) },
      ...T.KEYWORDS.map((k) => ({ ALT: () => this.CONSUME(k) })),
    ]);
  });

  attrDict = this.RULE('attrDict', () => {
    this.CONSUME(T.LBrace);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.attr) });
    this.CONSUME(T.RBrace);
  });

  attr = this.RULE('attr', () => {
    this.SUBRULE(this.word);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.attrValue);
  });

  attrValue = this.RULE('attrValue', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.tensorLit) },
      { ALT: () => this.SUBRULE(this.graph) },
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.IntLit) },
            { ALT: () => this.CONSUME(T.FloatLit) },
            { ALT: () => this.CONSUME(T.StringLit) },
            { ALT: () => this.SUBRULE(this.list) },
          ]);
          this.OPTION(() => {
            this.CONSUME(T.Colon);
            this.CONSUME(T.Ident, { LABEL: 'suffix' });
          });
        },
      },
    ]);
  });

  list = this.RULE('list', () => {
    this.CONSUME(T.LBracket);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.listElem) });
    this.CONSUME(T.RBracket);
  });

  listElem = this.RULE('listElem', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.IntLit) },
      { ALT: () => this.CONSUME(T.FloatLit) },
      { ALT: () => this.CONSUME(T.StringLit) },
      { ALT: () => this.SUBRULE(this.graph) },
    ]);
  });

  tensorLit = this.RULE('tensorLit', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.KwDense);
          this.CONSUME(T.LAngle);
          this.SUBRULE(this.list);
          this.CONSUME(T.RAngle);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.KwDenseResource);
          this.CONSUME2(T.LAngle);
          this.CONSUME(T.StringLit, { LABEL: 'key' });
          this.CONSUME(T.Comma);
          this.CONSUME(T.KwSha256);
          this.CONSUME(T.Equals);
          this.CONSUME2(T.StringLit, { LABEL: 'hash' });
          this.CONSUME2(T.RAngle);
        },
      },
    ]);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.type);
  });

  /** `f32[seq, 4]`, `f32[*]` (unknown rank), `i16<frac=8>[4]`. */
  type = this.RULE('type', () => {
    this.CONSUME(T.Ident, { LABEL: 'dtype' });
    this.OPTION(() => {
      this.CONSUME(T.LAngle);
      this.CONSUME2(T.Ident, { LABEL: 'qualifier' });
      this.CONSUME(T.Equals);
      this.CONSUME(T.IntLit, { LABEL: 'frac' });
      this.CONSUME(T.RAngle);
    });
    this.CONSUME(T.LBracket);
    this.OR([
      { ALT: () => this.CONSUME(T.Star) },
      { ALT: () => this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.dim) }) },
    ]);
    this.CONSUME(T.RBracket);
  });

  dim = this.RULE('dim', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.IntLit) },
      { ALT: () => this.SUBRULE(this.word) },
      { ALT: () => this.CONSUME(T.Question) },
    ]);
  });
}
