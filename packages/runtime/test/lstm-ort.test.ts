import { describe, expect, it } from 'vitest';
import { createModel, loadModel, writeRuntimeGraph } from '../src/index.js';
import { allFiniteAndBelow, maxScaledDiff } from './helpers/compare.js';
import { lstmOnnxFeeds, lstmOnnxModel, lstmRuntimeModel, randomLstmConfig, randomLstmData, toLayout } from './helpers/lstm-case.js';
import { ortSession, runOrt } from './helpers/ort.js';
import { Rng } from './helpers/random.js';

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
/** Unbounded activations (e.g. Softplus as a gate) can blow up; such cases say nothing about accuracy. */
const DEGENERATE_BOUND = 1e4;

describe('lstm.dense.f32 against onnxruntime-node', () => {
  it(`matches ${CASES} random configurations within ${TOL}`, async () => {
    const failures: string[] = [];
    let compared = 0;
    let degenerate = 0;
    for (let seed = BASE_SEED; compared < CASES; seed++) {
      const rng = new Rng(seed);
      const cfg = randomLstmConfig(rng);
      const data = randomLstmData(cfg, rng);
      const desc = JSON.stringify({ ...cfg, seqLens: cfg.seqLens && [...cfg.seqLens] });
      try {
        const want = await runOrt(await ortSession(lstmOnnxModel(cfg, data)), lstmOnnxFeeds(cfg, data));
        if (!Object.values(want).every((t) => allFiniteAndBelow(t, DEGENERATE_BOUND))) {
          degenerate++;
          continue;
        }
        compared++;
        const { model, feeds } = lstmRuntimeModel(cfg, data);
        // Odd seeds go through the file format, even ones run the in-memory model; every third case
        // uses the portable JS matvec engine instead of WebAssembly SIMD.
        const options = { matvec: seed % 3 === 0 ? ('js' as const) : ('auto' as const) };
        const m = seed % 2 ? loadModel(writeRuntimeGraph(model), options) : createModel(model, options);
        const got = m.run(feeds);
        expect(Object.keys(got).sort(), `seed ${seed}`).toEqual(Object.keys(want).sort());
        let err = 0;
        for (const name of Object.keys(want)) {
          const w = toLayout(cfg, name, want[name]!);
          expect([...got[name]!.shape], `seed ${seed} ${name} shape`).toEqual([...w.shape]);
          err = Math.max(err, maxScaledDiff(got[name]!, w));
        }
        if (!(err <= TOL)) failures.push(`seed ${seed}: error ${err} ${desc}`);
      } catch (e) {
        failures.push(`seed ${seed}: ${(e as Error).message} ${desc}`);
      }
    }
    if (failures.length) console.error(failures.join('\n'));
    expect(failures).toEqual([]);
    expect(degenerate, 'too many blown-up configurations skipped').toBeLessThan(CASES / 10);
  });
});
