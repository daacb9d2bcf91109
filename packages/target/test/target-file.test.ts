import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDiagnosticError } from '@lstmc/ir';
import { defaultTarget, loadTargetFile, parseTarget, printTarget, targetHash, withParams } from '../src/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

describe('target files (golden fixtures)', () => {
  for (const dir of readdirSync(FIXTURES).sort()) {
    const file = join(FIXTURES, dir, 'target.json');
    const expected = readFileSync(join(FIXTURES, dir, 'expected.txt'), 'utf8').trim();
    it(dir, () => {
      if (!dir.startsWith('_error_')) {
        expect(JSON.stringify(loadTargetFile(file))).toBe(expected);
        return;
      }
      const [code, field, line] = expected.split(' ');
      let caught: unknown;
      try {
        loadTargetFile(file);
      } catch (e) {
        caught = e;
      }
      expect(isDiagnosticError(caught)).toBe(true);
      if (!isDiagnosticError(caught)) return;
      expect(caught.diagnostic.code).toBe(code);
      expect(caught.diagnostic.loc.file).toBe(file);
      if (field !== '-') expect(caught.diagnostic.loc.field).toBe(field);
      if (line !== undefined) expect(caught.diagnostic.loc.line).toBe(Number(line));
    });
  }
});

describe('target defaults and identity', () => {
  it("defaults are the TARGET.md table, with lstmc's batching and column-pointer prefetch extensions", () => {
    expect(defaultTarget).toEqual({
      pes: 32, denseLanes: 4, sparseEntriesPerCycle: 1, columnOverheadCycles: 1, columnPrefetch: 0, relIndexBits: 4, weightBits: 16,
      actBits: 16, accBits: 32, weightSramBytesPerPe: 65536, dmaBytesPerCycle: 16, lutEntries: 256, batch: 1, clockMHz: 200,
    });
  });

  it('a missing file is a diagnostic, not a stack trace', () => {
    expect(() => loadTargetFile('/nonexistent/t.json')).toThrowError(/E-TARGET-READ/);
  });

  it('printTarget round-trips through parseTarget', () => {
    const t = withParams(defaultTarget, { pes: 16, relIndexBits: 2 });
    expect(parseTarget(printTarget(t))).toEqual(t);
  });

  it('the hash depends on every parameter and not on key order', () => {
    const h = targetHash(defaultTarget);
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(targetHash(parseTarget('{"denseLanes":4,"pes":32}'))).toBe(h);
    for (const [k, v] of [['pes', 16], ['lutEntries', 512], ['clockMHz', 100], ['relIndexBits', 5]] as const) {
      expect(targetHash(withParams(defaultTarget, { [k]: v }))).not.toBe(h);
    }
  });
});
