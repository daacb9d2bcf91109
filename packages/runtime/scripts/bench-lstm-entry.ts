/**
 * Micro-benchmark of lstm.dense.f32 against onnxruntime-node (one thread) on the project's benchmark
 * shapes. Not a test; run with `node scripts/bench-lstm.mjs`. The project-level benchmark lives in tools/.
 */
import { createModel } from '../src/index.js';
import { lstmOnnxFeeds, lstmOnnxModel, lstmRuntimeModel, randomLstmData, type LstmConfig } from '../test/helpers/lstm-case.js';
import { ortSession, runOrt } from '../test/helpers/ort.js';
import { Rng } from '@lstmc/testing';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const min = (xs: number[]) => Math.min(...xs);

export async function main(): Promise<void> {
  const reps = Number(process.env['REPS'] ?? 15);
  for (const [I, H] of [[256, 512], [1024, 1024]] as const) {
    const cfg: LstmConfig = { direction: 'forward', H, I, T: 100, B: 1, layout: 0, inputForget: false, bias: true, peepholes: false, initialH: false, initialC: false, outputs: [true, true, true], runtimePack: false };
    const data = randomLstmData(cfg, new Rng(1));
    const sess = await ortSession(lstmOnnxModel(cfg, data));
    const feeds = lstmOnnxFeeds(cfg, data);
    const { model, feeds: rtFeeds } = lstmRuntimeModel(cfg, data);
    const m = createModel(model);
    const tOrt: number[] = [];
    const tRt: number[] = [];
    for (let r = 0; r < reps + 2; r++) {
      let t0 = performance.now();
      await runOrt(sess, feeds);
      const a = performance.now() - t0;
      t0 = performance.now();
      m.run(rtFeeds);
      const b = performance.now() - t0;
      if (r >= 2) {
        tOrt.push(a);
        tRt.push(b);
      }
    }
    const o = median(tOrt);
    const l = median(tRt);
    console.log(`I=${I} H=${H} T=100 B=1: median lstmc ${l.toFixed(1)} ms, ORT(1 thread) ${o.toFixed(1)} ms, ratio ${(l / o).toFixed(2)}; min ${min(tRt).toFixed(1)} vs ${min(tOrt).toFixed(1)} ms, ratio ${(min(tRt) / min(tOrt)).toFixed(2)}`);
  }
}
