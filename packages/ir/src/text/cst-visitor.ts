import type { CstElement, CstNode, IToken } from 'chevrotain';
import type {
  AstAttr,
  AstAttrValue,
  AstDim,
  AstGraph,
  AstItem,
  AstListElem,
  AstLiteral,
  AstResult,
  AstTensor,
  AstType,
  Pos,
  Spanned,
} from './ast.js';
import { StringLit } from './lexer.js';
import type { IrTextParser } from './parser.js';

type Children = Record<string, CstElement[] | undefined>;

export function tokenPos(t: IToken): Pos {
  return { line: t.startLine ?? 1, column: t.startColumn ?? 1, offset: t.startOffset };
}

/** `%name`, `%"quoted"`, `@name`, `@"quoted"` -> the name. */
export function decodeSigilName(image: string): string {
  const body = image.slice(1);
  return body.startsWith('"') ? (JSON.parse(body) as string) : body;
}

function decodeString(t: IToken): string {
  return JSON.parse(t.image) as string;
}

function tok(ch: Children, key: string, i = 0): IToken | undefined {
  return ch[key]?.[i] as IToken | undefined;
}
function mustTok(ch: Children, key: string, i = 0): IToken {
  const t = tok(ch, key, i);
  if (!t) throw new Error(`cst-visitor: missing token ${key}`);
  return t;
}
function node(ch: Children, key: string, i = 0): CstNode | undefined {
  return ch[key]?.[i] as CstNode | undefined;
}
function mustNode(ch: Children, key: string, i = 0): CstNode {
  const n = node(ch, key, i);
  if (!n) throw new Error(`cst-visitor: missing rule ${key}`);
  return n;
}
function nodes(ch: Children, key: string): CstNode[] {
  return (ch[key] ?? []) as CstNode[];
}
function spanned(t: IToken, value: string): Spanned<string> {
  return { value, pos: tokenPos(t) };
}
/** First token of a CST node (children are not in source order, so take the minimum offset). */
function firstToken(n: CstNode): IToken {
  let best: IToken | undefined;
  for (const list of Object.values(n.children)) {
    for (const el of list) {
      const t = 'image' in el ? el : firstToken(el);
      if (!best || t.startOffset < best.startOffset) best = t;
    }
  }
  if (!best) throw new Error('cst-visitor: empty CST node');
  return best;
}

/**
 * Builds the CST -> syntax tree visitor for one parser instance (chevrotain
 * derives the visitor base class from the parser's grammar).
 */
export function createAstBuilder(parser: IrTextParser): { file(cst: CstNode): AstGraph } {
  const Base = parser.getBaseCstVisitorConstructorWithDefaults();

  class AstBuilder extends Base {
    constructor() {
      super();
      this.validateVisitor();
    }

    file(ch: Children): AstGraph {
      return this.graph(mustNode(ch, 'graph').children);
    }

    graph(ch: Children): AstGraph {
      const kw = mustTok(ch, 'Kw_graph');
      const ref = mustTok(ch, 'GraphRef');
      return {
        name: spanned(ref, decodeSigilName(ref.image)),
        items: nodes(ch, 'item').map((n) => this.item(n.children)),
        pos: tokenPos(kw),
      };
    }

    item(ch: Children): AstItem {
      const [key, list] = Object.entries(ch)[0]!;
      const c = (list![0] as CstNode).children;
      switch (key) {
        case 'opsetItem': {
          const n = this.name(mustNode(c, 'name').children);
          return { kind: 'opset', domain: n, version: spanned(mustTok(c, 'IntLit'), mustTok(c, 'IntLit').image), pos: tokenPos(mustTok(c, 'Kw_opset')) };
        }
        case 'metaItem': {
          const k = mustTok(c, 'key');
          return { kind: 'meta', key: spanned(k, decodeString(k)), value: decodeString(mustTok(c, 'value')), pos: tokenPos(mustTok(c, 'Kw_meta')) };
        }
        case 'inputItem':
          return { kind: 'input', name: this.valueRef(mustTok(c, 'ValueRef')), ...this.optType(c), pos: tokenPos(mustTok(c, 'Kw_input')) };
        case 'outputItem':
          return { kind: 'output', name: this.valueRef(mustTok(c, 'ValueRef')), pos: tokenPos(mustTok(c, 'Kw_output')) };
        case 'valueItem':
          return { kind: 'value', name: this.valueRef(mustTok(c, 'ValueRef')), type: this.type(mustNode(c, 'type').children), pos: tokenPos(mustTok(c, 'Kw_value')) };
        case 'initItem': {
          const t = node(c, 'type');
          return {
            kind: 'init',
            name: this.valueRef(mustTok(c, 'ValueRef')),
            ...(t ? { type: this.type(t.children) } : tok(c, 'Kw_untyped') ? { type: 'untyped' as const } : {}),
            tensor: this.tensorLit(mustNode(c, 'tensorLit').children),
            pos: tokenPos(mustTok(c, 'Kw_init')),
          };
        }
        case 'nodeItem':
          return this.nodeItem(c, list![0] as CstNode);
        default:
          throw new Error(`cst-visitor: unknown item ${key}`);
      }
    }

    nodeItem(c: Children, n: CstNode): AstItem {
      const first = this.name(mustNode(c, 'op').children);
      const second = node(c, 'opAfterDomain');
      const op = second ? this.name(second.children) : first;
      return {
        kind: 'node',
        results: nodes(c, 'result').map((r) => this.result(r.children)),
        domain: second ? first.value : '',
        op,
        operands: nodes(c, 'operand').map((o) => {
          const v = tok(o.children, 'ValueRef');
          return v ? this.valueRef(v) : undefined;
        }),
        attrs: nodes(c, 'attrDict').flatMap((d) => nodes(d.children, 'attr').map((a) => this.attr(a.children))),
        loc: decodeString(mustTok(c, 'StringLit')),
        pos: tokenPos(firstToken(n)),
      };
    }

    result(c: Children): AstResult {
      const v = tok(c, 'ValueRef');
      if (!v) return { name: undefined };
      return { name: this.valueRef(v), ...this.optType(c) };
    }

    name(c: Children): Spanned<string> {
      const id = tok(c, 'Ident');
      if (id) return spanned(id, id.image);
      const s = mustTok(c, 'StringLit');
      return spanned(s, decodeString(s));
    }

    valueRef(t: IToken): Spanned<string> {
      return spanned(t, decodeSigilName(t.image));
    }

    optType(c: Children): { type?: AstType } {
      const t = node(c, 'type');
      return t ? { type: this.type(t.children) } : {};
    }

    /** An identifier, keyword or string: the single token under `word`. */
    word(c: Children): Spanned<string> {
      const t = Object.values(c).flatMap((l) => l ?? [])[0] as IToken | undefined;
      if (!t) throw new Error('cst-visitor: empty word');
      return spanned(t, t.tokenType === StringLit ? decodeString(t) : t.image);
    }

    attr(c: Children): AstAttr {
      return { name: this.word(mustNode(c, 'word').children), value: this.attrValue(mustNode(c, 'attrValue')) };
    }

    attrValue(n: CstNode): AstAttrValue {
      const c = n.children as Children;
      const pos = tokenPos(firstToken(n));
      const t = node(c, 'tensorLit');
      if (t) return { kind: 'tensor', tensor: this.tensorLit(t.children), pos };
      const g = node(c, 'graph');
      if (g) return { kind: 'graph', graph: this.graph(g.children), pos };
      const sfx = tok(c, 'suffix');
      const suffix = sfx ? { suffix: spanned(sfx, sfx.image) } : {};
      const l = node(c, 'list');
      if (l) return { kind: 'list', elems: this.listElems(l.children), ...suffix, pos };
      return { kind: 'scalar', lit: this.literal(c), ...suffix, pos };
    }

    literal(c: Children): AstLiteral {
      const i = tok(c, 'IntLit');
      if (i) return { kind: 'int', text: i.image, pos: tokenPos(i) };
      const f = tok(c, 'FloatLit');
      if (f) return { kind: 'float', text: f.image, pos: tokenPos(f) };
      const s = mustTok(c, 'StringLit');
      return { kind: 'string', text: decodeString(s), pos: tokenPos(s) };
    }

    listElems(c: Children): AstListElem[] {
      return nodes(c, 'listElem').map((e) => {
        const g = node(e.children, 'graph');
        if (g) return { kind: 'graph' as const, graph: this.graph(g.children), pos: tokenPos(firstToken(g)) };
        return this.literal(e.children);
      });
    }

    tensorLit(c: Children): AstTensor {
      const type = this.type(mustNode(c, 'type').children);
      const dense = tok(c, 'Kw_dense');
      if (dense) {
        const elems = this.listElems(mustNode(c, 'list').children);
        const lits = elems.map((e) => {
          if (e.kind === 'graph') throw new Error('unreachable: graph in dense literal is rejected by build');
          return e;
        });
        return { kind: 'dense', elems: lits, type, pos: tokenPos(dense) };
      }
      const k = mustTok(c, 'key');
      const h = mustTok(c, 'hash');
      return {
        kind: 'resource',
        key: spanned(k, decodeString(k)),
        hash: spanned(h, decodeString(h)),
        type,
        pos: tokenPos(mustTok(c, 'Kw_dense_resource')),
      };
    }

    type(c: Children): AstType {
      const dt = mustTok(c, 'dtype');
      const q = tok(c, 'qualifier');
      const frac = q ? { frac: { qualifier: spanned(q, q.image), text: mustTok(c, 'frac').image, pos: tokenPos(mustTok(c, 'frac')) } } : {};
      const shape = tok(c, 'Star') ? undefined : nodes(c, 'dim').map((d) => this.dim(d.children));
      return { dtype: spanned(dt, dt.image), ...frac, shape, pos: tokenPos(dt) };
    }

    dim(c: Children): AstDim {
      const i = tok(c, 'IntLit');
      if (i) return { kind: 'int', text: i.image, pos: tokenPos(i) };
      const w = node(c, 'word');
      if (w) {
        const { value, pos } = this.word(w.children);
        return { kind: 'sym', name: value, pos };
      }
      const q = mustTok(c, 'Question');
      return { kind: 'sym', name: '?', pos: tokenPos(q) };
    }
  }

  const builder = new AstBuilder();
  return { file: (cst: CstNode) => builder.file(cst.children as Children) };
}
