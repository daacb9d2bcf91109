import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';

/** One-line syntax error messages: "expected X, found Y" (the location is added by the diagnostic). */

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
  const l = [...seen];
  return l.length <= 1 ? (l[0] ?? 'something else') : `one of ${l.join(', ')}`;
}

export const syntaxMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    return `expected ${label(expected)} in ${ruleName}, found ${found(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected end of input after the graph, found ${found(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    return `expected ${firstTokens(expectedPathsPerAlt)} in ${ruleName}, found ${found(actual[0]!)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    return `expected ${firstTokens(expectedIterationPaths)} in ${ruleName}, found ${found(actual[0]!)}`;
  },
};
