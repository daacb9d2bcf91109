import { describe, expect, it } from 'vitest';
import { isDiagnosticError } from '@lstmc/ir';
import { builtinRegistry, definePass, makeRegistry, parsePipeline, parsePipelineText, printPipeline, BUILTIN_PASSES } from '../src/index.js';

function codeOf(f: () => unknown): { code: string; line?: number; column?: number } {
  try {
    f();
  } catch (e) {
    if (isDiagnosticError(e)) return { code: e.code, line: e.diagnostic.loc.line, column: e.diagnostic.loc.column };
    throw e;
  }
  throw new Error('expected a diagnostic');
}

const toy = definePass({
  name: 'toy',
  summary: 'test pass',
  options: {
    n: { kind: 'int', default: 3, min: 0, max: 10, doc: 'an int' },
    x: { kind: 'float', default: 0.5, min: 0, max: 1, doc: 'a float' },
    t: { kind: 'float-or-auto', default: 'auto', min: 0, max: 1, doc: 'threshold' },
    m: { kind: 'enum', values: ['a', 'b-c'], default: 'a', doc: 'mode' },
    f: { kind: 'bool', default: false, doc: 'flag' },
    s: { kind: 'string', default: '', doc: 'text' },
    blk: { kind: 'dims', default: [4, 4], rank: 2, doc: 'block' },
  },
  requires: [],
  establishes: [],
  invalidates: [],
  counters: {},
  run: (g) => g,
});
const reg = makeRegistry({ ...BUILTIN_PASSES, toy });

describe('pipeline text', () => {
  it('parses and prints canonically (options in declaration order, values normalized)', () => {
    const p = parsePipeline(' fold ,\n toy{ blk=2x8, m=b-c, x=.50, n=+7, f=1, t=auto, s="a b" } ', reg);
    expect(printPipeline(p)).toBe('fold,toy{n=7,x=0.5,t=auto,m=b-c,f=true,s="a b",blk=2x8}');
    expect(p.steps[1].options).toMatchObject({ n: 7, x: 0.5, t: 'auto', m: 'b-c', f: true, s: 'a b', blk: [2, 8] });
  });

  it('round-trips: print(parse(print(p))) == print(p) on random pipelines', () => {
    let seed = 7;
    const r = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let k = 0; k < 200; k++) {
      const steps: string[] = [];
      const nSteps = Math.floor(r() * 4);
      for (let i = 0; i < nSteps; i++) {
        if (r() < 0.3) {
          steps.push('fold');
          continue;
        }
        const opts: string[] = [];
        if (r() < 0.5) opts.push(`n=${Math.floor(r() * 11)}`);
        if (r() < 0.5) opts.push(`x=${r().toFixed(3)}`);
        if (r() < 0.5) opts.push(`t=${r() < 0.5 ? 'auto' : r().toFixed(2)}`);
        if (r() < 0.5) opts.push(`blk=${1 + Math.floor(r() * 8)}x${1 + Math.floor(r() * 8)}`);
        if (r() < 0.5) opts.push(`s=${JSON.stringify(r() < 0.5 ? 'x y,z' : 'plain')}`);
        steps.push(opts.length ? `toy{${opts.reverse().join(', ')}}` : 'toy');
      }
      const once = printPipeline(parsePipeline(steps.join(' , '), reg));
      expect(printPipeline(parsePipeline(once, reg))).toBe(once);
    }
  });

  it('prints defaults on request', () => {
    const p = parsePipeline('toy{n=1}', reg);
    expect(printPipeline(p, { withDefaults: true })).toBe('toy{n=1,x=0.5,t=auto,m=a,f=false,s="",blk=4x4}');
  });

  it('accepts the empty pipeline', () => {
    expect(parsePipeline('  ', reg).steps).toHaveLength(0);
  });

  it('reports errors with codes at line:column', () => {
    expect(codeOf(() => parsePipeline('fold,\n  fodl', reg))).toEqual({ code: 'E-PIPE-UNKNOWN-PASS', line: 2, column: 3 });
    expect(codeOf(() => parsePipeline('toy{nn=1}', reg))).toEqual({ code: 'E-PIPE-UNKNOWN-OPTION', line: 1, column: 5 });
    expect(codeOf(() => parsePipeline('toy{n=11}', reg))).toEqual({ code: 'E-PIPE-BAD-VALUE', line: 1, column: 7 });
    expect(codeOf(() => parsePipeline('toy{x=abc}', reg))).toEqual({ code: 'E-PIPE-BAD-VALUE', line: 1, column: 7 });
    expect(codeOf(() => parsePipeline('toy{m=z}', reg))).toEqual({ code: 'E-PIPE-BAD-VALUE', line: 1, column: 7 });
    expect(codeOf(() => parsePipeline('toy{blk=4x4x4}', reg))).toEqual({ code: 'E-PIPE-BAD-VALUE', line: 1, column: 9 });
    expect(codeOf(() => parsePipeline('toy{n=1,n=2}', reg))).toEqual({ code: 'E-PIPE-DUPLICATE-OPTION', line: 1, column: 9 });
    expect(codeOf(() => parsePipeline('fold,,toy', reg))).toMatchObject({ code: 'E-PIPE-SYNTAX', line: 1, column: 6 });
    expect(codeOf(() => parsePipeline('toy{n=1', reg))).toMatchObject({ code: 'E-PIPE-SYNTAX', line: 1, column: 8 });
    expect(codeOf(() => parsePipeline('toy{n}', reg))).toMatchObject({ code: 'E-PIPE-SYNTAX', line: 1, column: 6 });
    expect(codeOf(() => parsePipeline('fold;toy', reg))).toMatchObject({ code: 'E-PIPE-SYNTAX', line: 1, column: 5 });
  });

  it('the syntax tree keeps positions', () => {
    const ast = parsePipelineText('a{b=c},\n d');
    expect(ast.passes[1].pos).toMatchObject({ line: 2, column: 2 });
    expect(ast.passes[0].options[0].valuePos).toMatchObject({ line: 1, column: 5 });
  });

  it('builtin registry lists every built-in pass under its own name', () => {
    const r = builtinRegistry();
    for (const [k, p] of r.passes) expect(p.pass.name).toBe(k);
  });
});

describe('pipeline text fuzz', () => {
  it('random text either parses or gives a diagnostic with line:column, never a crash', () => {
    const alphabet = ['fold', 'prune', 'toy', 'n', 'x', '=', ',', '{', '}', ' ', '\n', '1', '0.5', 'auto', '"q"', ';', '#', 'é'];
    let seed = 99;
    const r = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let k = 0; k < 500; k++) {
      const text = Array.from({ length: Math.floor(r() * 12) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
      try {
        parsePipeline(text, reg);
      } catch (e) {
        if (!isDiagnosticError(e)) throw new Error(`non-diagnostic error for ${JSON.stringify(text)}: ${e}`);
        expect(e.code).toMatch(/^E-PIPE-/);
        expect(e.diagnostic.loc.line, JSON.stringify(text)).toBeGreaterThanOrEqual(1);
        expect(e.diagnostic.loc.column, JSON.stringify(text)).toBeGreaterThanOrEqual(1);
      }
    }
  });
});
