import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { builtinRegistry, passReferenceMarkdown } from '../src/index.js';

const file = fileURLToPath(new URL('../../../docs/passes-reference.md', import.meta.url));

it('docs/passes-reference.md is what the registry generates (LSTMC_UPDATE_GOLDEN=1 regenerates)', () => {
  const md = passReferenceMarkdown(builtinRegistry());
  if (process.env.LSTMC_UPDATE_GOLDEN === '1') writeFileSync(file, md);
  expect(readFileSync(file, 'utf8')).toBe(md);
});
