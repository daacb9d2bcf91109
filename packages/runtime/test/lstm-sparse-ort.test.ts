import { describe, expect, it } from 'vitest';
import { randomLstmConfig, randomLstmData } from './helpers/lstm-case.js';
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
});
