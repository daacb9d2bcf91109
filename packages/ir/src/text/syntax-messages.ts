import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { KEYWORDS } from './lexer.js';

/** One-line syntax error messages: "expected X, found Y" (the location is added by the diagnostic). */

/** What each grammar rule is called in messages (parser.ts rule names). */
const RULE_NAMES: Readonly<Record<string, string>> = {
  file: 'the file',
  graph: 'a graph',
  item: 'a graph item',
  opsetItem: 'an opset line',
  metaItem: 'a meta line',
  inputItem: 'an input line',
  outputItem: 'an output line',
  valueItem: 'a value line',
  initItem: 'an init line',
  nodeItem: 'a node',
  result: 'a node result',
  operand: 'an operand',
  name: 'a name',
  word: 'a name',
  attrDict: 'attributes',
  attr: 'an attribute',
  attrValue: 'an attribute value',
  list: 'a list',
  listElem: 'a list element',
  tensorLit: 'a tensor literal',
  type: 'a type',
  dim: 'a dimension',
};

function rule(name: string): string {
  return RULE_NAMES[name] ?? name;
}

function label(t: TokenType): string {
  return t.LABEL ?? t.name;
}

function found(t: IToken): string {
  return t.tokenType.name === 'EOF' ? 'end of input' : `'${t.image}'`;
}

function firstTokens(paths: TokenType[][][] | TokenType[][]): string {
  const seen = new Set<string>();
  const walk = (p: unknown): void => {
    if (Array.isArray(p)) {
      if (p.length && !Array.isArray(p[0])) {
        seen.add(label(p[0] as TokenType));
        return;
      }
      for (const q of p) walk(q);
    }
  };
  walk(paths);
  // Where any keyword may stand as a name (`word`), list "an identifier" only.
  const keywords = KEYWORDS.map(label);
  if (keywords.every((k) => seen.has(k))) for (const k of keywords) seen.delete(k);
  const l = [...seen];
  return l.length <= 1 ? (l[0] ?? 'something else') : `one of ${l.join(', ')}`;
}

export const syntaxMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    return `expected ${label(expected)} in ${rule(ruleName)}, found ${found(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected end of input after the graph, found ${found(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    return `expected ${firstTokens(expectedPathsPerAlt)} in ${rule(ruleName)}, found ${found(actual[0]!)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    return `expected ${firstTokens(expectedIterationPaths)} in ${rule(ruleName)}, found ${found(actual[0]!)}`;
  },
};
