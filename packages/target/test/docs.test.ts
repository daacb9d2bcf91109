import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { renderTargetParamsTable } from '../src/index.js';

it('docs/target.md holds the parameter table generated from TARGET_PARAMS', () => {
  const doc = readFileSync(fileURLToPath(new URL('../../../docs/target.md', import.meta.url)), 'utf8');
  expect(doc).toContain(renderTargetParamsTable());
});
