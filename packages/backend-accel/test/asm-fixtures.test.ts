import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDiagnosticError } from '@lstmc/ir';
import { assemble, listing, readLxb } from '../src/index.js';

/**
 * Golden fixture folders: input.s -> expected.lst (the listing of the
 * assembled binary; it must also assemble back to the same bytes), and
 * `_error_*` folders whose expected.txt is `CODE line:column`.
 * LSTMC_UPDATE_GOLDEN=1 rewrites expected.lst.
 */
const DIR = join(import.meta.dirname, 'fixtures', 'asm');

describe('assembler fixtures', () => {
  for (const name of readdirSync(DIR).sort()) {
    const input = readFileSync(join(DIR, name, 'input.s'), 'utf8');
    it(name, () => {
      if (name.startsWith('_error_')) {
        const [code, where] = readFileSync(join(DIR, name, 'expected.txt'), 'utf8').trim().split(' ');
        let caught: unknown;
        try {
          assemble(input, 'input.s');
        } catch (e) {
          caught = e;
        }
        expect(isDiagnosticError(caught)).toBe(true);
        if (!isDiagnosticError(caught)) return;
        const d = caught.diagnostic;
        expect(`${d.code} ${d.loc.line}:${d.loc.column}`).toBe(`${code} ${where}`);
        expect(d.loc.file).toBe('input.s');
        return;
      }
      const bytes = assemble(input, 'input.s');
      const text = listing(readLxb(bytes));
      const file = join(DIR, name, 'expected.lst');
      if (process.env.LSTMC_UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, text);
      expect(text).toBe(readFileSync(file, 'utf8'));
      expect(assemble(text)).toEqual(bytes);
    });
  }
});
