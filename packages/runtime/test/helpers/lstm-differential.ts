/**
 * Test-only: the loop of the randomized LSTM differential tests against onnxruntime-node. For each
 * seed, `makeCase` draws a configuration and its data; the ONNX model runs in onnxruntime, the runtime
 * model (odd seeds through the file format, every third seed on the JS matvec engine) in lstmc.
 * Returns the failures (seed, error, configuration) and how many blown-up cases were skipped.
 */
import { createModel, loadModel, type LoadOptions, type RtTensor, type RuntimeModel } from '../../src/index.js';
import { writeRuntimeGraph } from '../../src/writer.js';
import { allFiniteAndBelow, maxScaledDiff } from './compare.js';
import { lstmOnnxFeeds, lstmOnnxModel, toLayout, type LstmConfig, type LstmData } from './lstm-case.js';
import { ortSession, runOrt } from './ort.js';
import { Rng } from '@lstmc/testing';

export interface DifferentialCase {
  readonly cfg: LstmConfig;
  readonly data: LstmData;
  /** Extra description of the case for failure messages. */
  readonly extra?: unknown;
  /** The runtime model, built lazily (after the ORT reference). */
  readonly build: () => { model: RuntimeModel; feeds: Record<string, RtTensor> };
}

/** Unbounded activations (e.g. Softplus as a gate) can blow up; such cases say nothing about accuracy. */
const DEGENERATE_BOUND = 1e4;

export async function runLstmDifferential(cases: number, baseSeed: number, tol: number, makeCase: (rng: Rng) => DifferentialCase, load: LoadOptions = {}) {
  const failures: string[] = [];
  let compared = 0;
  let degenerate = 0;
  for (let seed = baseSeed; compared < cases; seed++) {
    const { cfg, data, extra, build } = makeCase(new Rng(seed));
    const desc = JSON.stringify({ ...cfg, seqLens: cfg.seqLens && [...cfg.seqLens], extra });
    try {
      const want = await runOrt(await ortSession(lstmOnnxModel(cfg, data)), lstmOnnxFeeds(cfg, data));
      if (!Object.values(want).every((t) => allFiniteAndBelow(t, DEGENERATE_BOUND))) {
        degenerate++;
        continue;
      }
      compared++;
      const { model, feeds } = build();
      const options = { matvec: seed % 3 === 0 ? ('js' as const) : ('auto' as const), ...load };
      const m = seed % 2 ? loadModel(writeRuntimeGraph(model), options) : createModel(model, options);
      await m.threadsReady();
      let got: Record<string, RtTensor>;
      try {
        got = m.run(feeds);
      } finally {
        m.close();
      }
      const names = Object.keys(want).sort();
      if (Object.keys(got).sort().join() !== names.join()) throw new Error(`outputs ${Object.keys(got)} instead of ${names}`);
      let err = 0;
      for (const name of names) {
        const w = toLayout(cfg, name, want[name]!);
        if (got[name]!.shape.join() !== w.shape.join()) throw new Error(`${name} has shape [${got[name]!.shape}], ORT [${w.shape}]`);
        err = Math.max(err, maxScaledDiff(got[name]!, w));
      }
      if (!(err <= tol)) failures.push(`seed ${seed}: error ${err} ${desc}`);
    } catch (e) {
      failures.push(`seed ${seed}: ${(e as Error).message} ${desc}`);
    }
  }
  if (failures.length) console.error(failures.join('\n'));
  return { failures, degenerate };
}
