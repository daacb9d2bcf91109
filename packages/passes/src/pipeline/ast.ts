/** Syntax tree of pipeline text, with 1-based source positions for diagnostics. */
export interface SourcePos {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface OptionAst {
  readonly name: string;
  readonly pos: SourcePos;
  /** Unquoted value text. */
  readonly value: string;
  readonly valuePos: SourcePos;
}

export interface PassRefAst {
  readonly name: string;
  readonly pos: SourcePos;
  readonly options: readonly OptionAst[];
}

export interface PipelineAst {
  readonly passes: readonly PassRefAst[];
}
