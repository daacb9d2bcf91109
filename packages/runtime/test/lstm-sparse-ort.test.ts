import { describe, expect, it } from 'vitest';
import { randomLstmConfig, randomLstmData, widenLstmConfig } from './helpers/lstm-case.js';
import { runLstmDifferential } from './helpers/lstm-differential.js';
import { lstmSparseRuntimeModel, pruneLstmData, randomSparseChoice } from './helpers/lstm-sparse-case.js';

/**
 * Randomized differential test of lstm.sparse.f32 against onnxruntime-node running the same pruned
 * model densely: the configurations of the dense test (directions, sequence_lens, peepholes, clip,
 * activations, initial states, layouts, output subsets), W and R magnitude-pruned to 0.5..0.97 plus whole
 * zero rows and columns, W only / R only / both compressed, packed at build time or by
 * lstm.sparse.pack.f32, through the file format or in memory, on the WebAssembly and the JS engine.
 */
const CASES = 120;
const BASE_SEED = 0x5ba7;
const TOL = 1e-5;

describe('lstm.sparse.f32 against onnxruntime-node', () => {
  it(`matches ${CASES} random pruned configurations within ${TOL}`, async () => {
    const { failures, degenerate } = await runLstmDifferential(CASES, BASE_SEED, TOL, (rng) => {
      const cfg = randomLstmConfig(rng);
      const data = randomLstmData(cfg, rng);
      pruneLstmData(cfg, data, rng);
      const choice = randomSparseChoice(rng);
      return { cfg, data, extra: choice, build: () => lstmSparseRuntimeModel(cfg, data, choice) };
    });
    expect(failures).toEqual([]);
    expect(degenerate, 'too many blown-up configurations skipped').toBeLessThan(CASES / 10);
  });

  it('a compressed R over 5 to 40 batch entries (the transposed per-step product, spmmT) matches 40 configurations within 1e-5', async () => {
    const { failures, degenerate } = await runLstmDifferential(40, 0x5bf0, TOL, (rng) => {
      const cfg = widenLstmConfig(randomLstmConfig(rng), rng);
      cfg.B = rng.int(5, 40);
      // some entries shorter than others: the steps where fewer than 5 are active take the pair kernels
      if (cfg.seqLens || rng.bool(0.4)) cfg.seqLens = Int32Array.from({ length: cfg.B }, () => (rng.bool(0.1) ? 0 : rng.int(1, cfg.T)));
      const data = randomLstmData(cfg, rng);
      pruneLstmData(cfg, data, rng);
      const choice = { sparseW: rng.bool(), sparseR: true };
      return { cfg, data, extra: choice, build: () => lstmSparseRuntimeModel(cfg, data, choice) };
    });
    expect(failures).toEqual([]);
    expect(degenerate).toBeLessThan(4);
  });
});
