/**
 * The fuzzing suite's short seeded run (`npm run fuzz -- --runs N` is the long one): every entry
 * point, a few cases each, must end ok or with lstmc's own diagnostic. Then the regression cases
 * under fixtures/fuzz/, each a shrunk case a fuzz run once found, replayed with the outcome it must
 * have now.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTRY_POINTS, caseFromJson, classify, entryPoint, fuzzEntry } from './fuzz/index.js';

const RUNS = Number(process.env.LSTMC_FUZZ_RUNS ?? 12);
const SEED = Number(process.env.LSTMC_FUZZ_SEED ?? 20261206);

describe(`fuzz: ${RUNS} seeded cases per entry point (seed ${SEED})`, () => {
  for (const e of ENTRY_POINTS)
    it(e.name, async () => {
      const r = await fuzzEntry(e, { runs: RUNS, seed: SEED, budgetMs: 20_000, maxFindings: 1 });
      const f = r.findings[0];
      expect(f ? `${f.outcome}: ${f.detail}\ncase ${JSON.stringify(f.input)}` : '').toBe('');
      expect(r.counts.ok + r.counts.diagnostic).toBe(RUNS);
    });
});

const FIXTURES = join(import.meta.dirname, 'fixtures/fuzz');

describe('fuzz regressions (fixtures/fuzz/*.json)', () => {
  for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort())
    it(name, async () => {
      const fx = caseFromJson(readFileSync(join(FIXTURES, name), 'utf8')) as { entry: string; found: string; expect: string; input: unknown };
      const r = await classify(() => entryPoint(fx.entry).run(fx.input), 20_000);
      expect(r.outcome === 'diagnostic' ? `diagnostic ${r.detail}` : r.outcome).toBe(fx.expect);
    });
});
