/**
 * The syntax tree the CST visitor produces: what the text says, with the
 * position of every piece, before any semantic check. Literals are kept as
 * their source text so that build-graph.ts decides how to read them (by dtype).
 */

/** 1-based line and column, 0-based character offset. */
export interface Pos {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface Spanned<T> {
  readonly value: T;
  readonly pos: Pos;
}

export type AstDim =
  | { readonly kind: 'int'; readonly text: string; readonly pos: Pos }
  | { readonly kind: 'sym'; readonly name: string; readonly pos: Pos };

export interface AstType {
  readonly dtype: Spanned<string>;
  readonly frac?: { readonly qualifier: Spanned<string>; readonly text: string; readonly pos: Pos };
  /** undefined = `[*]`, unknown rank. */
  readonly shape: readonly AstDim[] | undefined;
  readonly pos: Pos;
}

export type LiteralKind = 'int' | 'float' | 'string';

export interface AstLiteral {
  readonly kind: LiteralKind;
  /** Source text of numbers; the decoded string of string literals. */
  readonly text: string;
  readonly pos: Pos;
}

export type AstTensor =
  | { readonly kind: 'dense'; readonly elems: readonly AstLiteral[]; readonly type: AstType; readonly pos: Pos }
  | {
      readonly kind: 'resource';
      readonly key: Spanned<string>;
      readonly hash: Spanned<string>;
      readonly type: AstType;
      readonly pos: Pos;
    };

export type AstListElem = AstLiteral | { readonly kind: 'graph'; readonly graph: AstGraph; readonly pos: Pos };

export type AstAttrValue =
  | { readonly kind: 'scalar'; readonly lit: AstLiteral; readonly suffix?: Spanned<string>; readonly pos: Pos }
  | { readonly kind: 'list'; readonly elems: readonly AstListElem[]; readonly suffix?: Spanned<string>; readonly pos: Pos }
  | { readonly kind: 'tensor'; readonly tensor: AstTensor; readonly pos: Pos }
  | { readonly kind: 'graph'; readonly graph: AstGraph; readonly pos: Pos };

export interface AstAttr {
  readonly name: Spanned<string>;
  readonly value: AstAttrValue;
}

/** A node result slot: `none` (omitted) or a value with an optional type. */
export interface AstResult {
  readonly name: Spanned<string> | undefined;
  readonly type?: AstType;
}

export type AstItem =
  | { readonly kind: 'opset'; readonly domain: Spanned<string>; readonly version: Spanned<string>; readonly pos: Pos }
  | { readonly kind: 'meta'; readonly key: Spanned<string>; readonly value: string; readonly pos: Pos }
  | { readonly kind: 'input'; readonly name: Spanned<string>; readonly type?: AstType; readonly pos: Pos }
  | { readonly kind: 'output'; readonly name: Spanned<string>; readonly pos: Pos }
  | { readonly kind: 'value'; readonly name: Spanned<string>; readonly type: AstType; readonly pos: Pos }
  | {
      readonly kind: 'init';
      readonly name: Spanned<string>;
      /** Absent: the value has the tensor's type; 'untyped': no entry in `values`. */
      readonly type?: AstType | 'untyped';
      readonly tensor: AstTensor;
      readonly pos: Pos;
    }
  | {
      readonly kind: 'node';
      readonly results: readonly AstResult[];
      readonly domain: string;
      readonly op: Spanned<string>;
      /** undefined = `none`, an omitted optional input. */
      readonly operands: readonly (Spanned<string> | undefined)[];
      readonly attrs: readonly AstAttr[];
      readonly loc: string;
      readonly pos: Pos;
    };

export interface AstGraph {
  readonly name: Spanned<string>;
  readonly items: readonly AstItem[];
  readonly pos: Pos;
}
