import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferTypes } from '../src/infer.js';
import { parseGraph, printGraph } from '../src/text/index.js';
import { verifyGraph } from '../src/verify.js';
import { diffGraphs } from './text-helpers.js';

/**
 * `fixtures/text/<name>/`: a hand-written `input.lir` and the canonical text
 * the printer makes of it, `expected.lir` (UPDATE_GOLDEN=1 rewrites it).
 */
const DIR = join(import.meta.dirname, 'fixtures', 'text');
const CASES = readdirSync(DIR).filter((d) => !d.startsWith('_') && existsSync(join(DIR, d, 'input.lir'))).sort();

describe('hand-written textual IR fixtures', () => {
  it('has fixtures', () => expect(CASES.length).toBeGreaterThan(0));

  for (const c of CASES) {
    it(c, () => {
      const input = join(DIR, c, 'input.lir');
      const expectedFile = join(DIR, c, 'expected.lir');
      const g = parseGraph(readFileSync(input, 'utf8'), { file: input });
      const text = printGraph(g);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedFile, text);
      expect(text).toBe(readFileSync(expectedFile, 'utf8'));
      // The canonical form is a fixed point and means the same graph.
      const again = parseGraph(text, { file: expectedFile });
      expect(printGraph(again)).toBe(text);
      expect(diffGraphs(g, again)).toEqual([]);
      // And it is a valid graph for the op table.
      expect(verifyGraph(inferTypes(g, { file: input }), { file: input })).toEqual([]);
    });
  }
});
