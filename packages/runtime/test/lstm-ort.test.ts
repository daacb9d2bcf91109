import { describe, expect, it } from 'vitest';
import { lstmRuntimeModel, randomLstmConfig, randomLstmData, widenLstmConfig } from './helpers/lstm-case.js';
import { runLstmDifferential } from './helpers/lstm-differential.js';
import { ZERO_SKIP_MAX_DENSITY } from '../src/kernels/lstm/zero-skip.js';

/**
 * Randomized differential test of lstm.dense.f32 against onnxruntime-node: direction, hidden 1..64,
 * input 1..48, seq 1..20, batch 1..5, layout 0/1 (layout 1 compared with ORT on transposed layout-0 data),
 * clip, every activation with and without alpha/beta, peepholes, sequence_lens with shorter and zero
 * lengths, input_forget, initial states, output subsets, weights packed at build time or by lstm.pack.f32.
 * Each case is seeded; a failing seed is printed with its configuration.
 */
const CASES = 220;
const BASE_SEED = 0x15c0;
const TOL = 1e-5;

describe('lstm.dense.f32 against onnxruntime-node', () => {
  it(`matches ${CASES} random configurations within ${TOL}`, async () => {
    const { failures, degenerate } = await runLstmDifferential(CASES, BASE_SEED, TOL, (rng) => {
      const cfg = randomLstmConfig(rng);
      const data = randomLstmData(cfg, rng);
      return { cfg, data, build: () => lstmRuntimeModel(cfg, data) };
    });
    expect(failures).toEqual([]);
    expect(degenerate, 'too many blown-up configurations skipped').toBeLessThan(CASES / 10);
  });

  it('matches 40 random configurations with batches up to 40 and sizes up to 300 (blocked batched products) within 1e-5', async () => {
    const { failures, degenerate } = await runLstmDifferential(40, 0xb10c, TOL, (rng) => {
      const cfg = widenLstmConfig(randomLstmConfig(rng), rng);
      const data = randomLstmData(cfg, rng);
      return { cfg, data, build: () => lstmRuntimeModel(cfg, data) };
    });
    expect(failures).toEqual([]);
    expect(degenerate).toBeLessThan(4);
  });

  it('matches 40 random configurations on mostly-zero inputs (per-row zero skipping mixed with dense rows) within 1e-5', async () => {
    let skipped = 0;
    const { failures, degenerate } = await runLstmDifferential(40, 0x2e50, TOL, (rng) => {
      const cfg = widenLstmConfig(randomLstmConfig(rng), rng);
      const data = randomLstmData(cfg, rng);
      // Each input vector gets its own zero fraction, so one call mixes skipped and dense rows.
      for (let r = 0; r < cfg.T * cfg.B; r++) {
        const z = rng.pick([0, 0.5, 0.8, 0.95, 1]);
        for (let k = 0; k < cfg.I; k++) if (rng.bool(z)) data.X[r * cfg.I + k] = 0;
      }
      // rows sparse enough for the column path (zero-skip.ts)
      for (let r = 0; r < cfg.T * cfg.B; r++) if (data.X.subarray(r * cfg.I, (r + 1) * cfg.I).filter((v) => v !== 0).length <= ZERO_SKIP_MAX_DENSITY * cfg.I) skipped++;
      return { cfg, data, build: () => lstmRuntimeModel(cfg, data) };
    });
    expect(failures).toEqual([]);
    expect(degenerate).toBeLessThan(4);
    expect(skipped).toBeGreaterThan(100);
  });
});
