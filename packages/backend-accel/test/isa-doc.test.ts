import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { renderIsaDoc } from '../src/index.js';

const file = fileURLToPath(new URL('../../../docs/isa.md', import.meta.url));

it('docs/isa.md is what the ISA table generates (npm run gen-docs regenerates)', () => {
  const want = renderIsaDoc();
  if (process.env.LSTMC_UPDATE_GOLDEN === '1') writeFileSync(file, want);
  expect(readFileSync(file, 'utf8')).toBe(want);
});
