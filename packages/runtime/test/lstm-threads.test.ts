import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleRuntime } from '../scripts/bundle.mjs';
import { Rng } from '@lstmc/testing';
import { createModel, isRuntimeError, type LoadOptions, type RtTensor, type RuntimeModel } from '../src/index.js';
import { writeRuntimeGraph } from '../src/writer.js';
import { splitPoint } from '../src/kernels/lstm/threads/split-calls.js';
import { LIST_CALLS } from '../src/kernels/lstm/threads/thread-pool.js';
import { lstmRuntimeModel, numDirections, randomLstmConfig, randomLstmData, widenLstmConfig, type LstmConfig } from './helpers/lstm-case.js';
import { runLstmDifferential } from './helpers/lstm-differential.js';
import { lstmSparseRuntimeModel, pruneLstmData, randomSparseChoice } from './helpers/lstm-sparse-case.js';
import { pruneRowGroups } from './helpers/lstm-group-case.js';

/**
 * The load option `threads`: every LSTM product split between the main thread and worker threads must
 * give the bits of one thread (each unit's sums are computed by the same instructions), on every
 * kernel (dense, CSR, row groups, int8, zero-input skipping), odd sizes, batch 1 and 8 and several
 * sequence lengths; and onnxruntime's results within the tolerance of the one-thread tests.
 */
const bitsOf = (t: RtTensor) => Array.from(new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length));

/**
 * Parts of sections the workers ran, over all threaded runs of this file: a part runs on whichever
 * thread claims it first, so a single run on a busy machine may leave every part to the main thread.
 */
let workerParts = 0;

/** Runs `model` on one thread and on `threads`; returns the outputs' bits of both and the threaded run's sections. */
async function bothWays(model: RuntimeModel, feeds: Record<string, RtTensor>, threads: number, load: LoadOptions = {}) {
  const one = createModel(model, load).run(feeds);
  const m = createModel(model, { ...load, threads });
  try {
    const ready = await m.threadsReady();
    const many = m.run(feeds);
    const stats = m.threadStats();
    workerParts += stats.workerParts;
    return { one, many, ready, sections: stats.sections };
  } finally {
    m.close();
  }
}

function expectSameBits(one: Record<string, RtTensor>, many: Record<string, RtTensor>, what: string) {
  expect(Object.keys(many).sort(), what).toEqual(Object.keys(one).sort());
  for (const k of Object.keys(one)) expect(bitsOf(many[k]!), `${what}: output ${k}`).toEqual(bitsOf(one[k]!));
}

/** A random configuration with batch 1 or 8 (alternating), T from a fixed list, odd sizes often. */
function threadConfig(rng: Rng, i: number): LstmConfig {
  const cfg = widenLstmConfig(randomLstmConfig(rng), rng);
  cfg.B = i % 2 ? 8 : 1;
  cfg.T = [1, 2, 7, 33][i % 4]!;
  if (cfg.seqLens) cfg.seqLens = Int32Array.from({ length: cfg.B }, () => (rng.bool(0.15) ? 0 : rng.int(1, cfg.T)));
  if (rng.bool(0.5)) cfg.H = 2 * rng.int(0, 150) + 1;
  return cfg;
}

describe('threads: bit-identical to one thread', () => {
  it('dense f32 on 24 random configurations (2 and 3 threads)', async () => {
    for (let i = 0; i < 24; i++) {
      const rng = new Rng(0x7e00 + i);
      const cfg = threadConfig(rng, i);
      const { model, feeds } = lstmRuntimeModel(cfg, randomLstmData(cfg, rng));
      const r = await bothWays(model, feeds, i % 3 === 2 ? 3 : 2);
      // lstm.pack.f32 cases have no constant weights to prepare: no engine joins the pool, no worker starts.
      expect(r.ready).toBe(cfg.runtimePack ? 1 : i % 3 === 2 ? 3 : 2);
      if (!cfg.runtimePack) expect(r.sections, `case ${i}`).toBeGreaterThan(0);
      expectSameBits(r.one, r.many, `case ${i} ${JSON.stringify({ ...cfg, seqLens: undefined })}`);
    }
  });

  it('int8 weights and mostly-zero inputs (zero skipping next to the dense product) on 12 configurations', async () => {
    for (let i = 0; i < 12; i++) {
      const rng = new Rng(0x7e40 + i);
      const cfg = { ...threadConfig(rng, i), runtimePack: false };
      const data = randomLstmData(cfg, rng);
      if (i % 2) for (let k = 0; k < data.X.length; k++) if (rng.bool(0.85)) data.X[k] = 0;
      const { model, feeds } = lstmRuntimeModel(cfg, data);
      const r = await bothWays(model, feeds, 2, i % 2 ? {} : { lstmWeights: 'int8' });
      expect(r.sections).toBeGreaterThan(0);
      expectSameBits(r.one, r.many, `case ${i}`);
    }
  });

  it('lstm.sparse.f32 on CSR, on row groups and on 16-unit row groups, f32 and int8, 18 configurations', async () => {
    for (let i = 0; i < 18; i++) {
      const rng = new Rng(0x7e80 + i);
      const base = threadConfig(rng, i);
      // every third: 16-unit groups (gsw) with a tail of four-unit groups
      const width = i % 3 === 2 ? 16 : 4;
      const cfg = width === 16 ? { ...base, H: 16 * rng.int(2, 5) + rng.int(0, 15) } : base;
      const data = randomLstmData(cfg, rng);
      const D = numDirections(cfg);
      if (i % 3 === 1) pruneLstmData(cfg, data, rng);
      else {
        pruneRowGroups(data.W, D, cfg.H, cfg.I, 0.9, width === 16 ? 0 : 0.1, rng, width);
        pruneRowGroups(data.R, D, cfg.H, cfg.H, 0.9, width === 16 ? 0 : 0.1, rng, width);
      }
      const { model, feeds } = lstmSparseRuntimeModel(cfg, data, randomSparseChoice(rng));
      // every fourth case, and the 16-unit ones at i = 5, 11, 17, on int8 weights: the int8 row groups (gsq, gswq) and rows split too
      const r = await bothWays(model, feeds, 2, i % 4 === 3 || i % 6 === 5 ? { lstmWeights: 'int8' } : {});
      if (!cfg.runtimePack) expect(r.sections).toBeGreaterThan(0);
      expectSameBits(r.one, r.many, `case ${i}`);
    }
  });

  it('a projection longer than one call list (sections run early) and a stream', async () => {
    const rng = new Rng(0x7ec0);
    const cfg: LstmConfig = { ...randomLstmConfig(rng), direction: 'forward', H: 253, I: 1200, T: 200, B: 40, layout: 0, outputs: [true, true, true], runtimePack: false, activations: undefined, clip: undefined };
    delete cfg.seqLens;
    const { model, feeds } = lstmRuntimeModel(cfg, randomLstmData(cfg, rng));
    const r = await bothWays(model, feeds, 2);
    // 4000 row pairs times 5 unit blocks of W (13 units of 19.2 KB per cache block, times the pool's 4
    // parts: 52 units per block): more calls than one list holds (LIST_CALLS), so the projection is at
    // least two sections, plus one per step.
    expect(20000).toBeGreaterThan(LIST_CALLS);
    expect(r.sections).toBeGreaterThanOrEqual(cfg.T + 2);
    expectSameBits(r.one, r.many, 'long projection');
    const X = feeds['X']!;
    const chunk = (t0: number, t1: number): RtTensor => ({ dtype: 'f32', shape: [t1 - t0, cfg.B, cfg.I], data: (X.data as Float32Array).subarray(t0 * cfg.B * cfg.I, t1 * cfg.B * cfg.I) });
    const m = createModel(model, { threads: 2 });
    try {
      await m.threadsReady();
      const s = m.createStream();
      s.push({ ...feeds, X: chunk(0, 3) });
      const last = s.push({ ...feeds, X: chunk(3, 200) });
      expect(bitsOf(last['Y_h']!)).toEqual(bitsOf(r.one['Y_h']!));
    } finally {
      m.close();
    }
  });
});

describe('threads: the workers took part', () => {
  it('ran some of the parts of the runs above', () => {
    expect(workerParts).toBeGreaterThan(0);
  });
});

describe('threads: against onnxruntime-node', () => {
  it('dense f32 with 2 threads matches 30 random configurations within 1e-5', async () => {
    let i = 0;
    const { failures, degenerate } = await runLstmDifferential(30, 0x7f00, 1e-5, (rng) => {
      const cfg = threadConfig(rng, i++);
      const data = randomLstmData(cfg, rng);
      return { cfg, data, build: () => lstmRuntimeModel(cfg, data) };
    }, { threads: 2 });
    expect(failures).toEqual([]);
    expect(degenerate).toBeLessThan(3);
  });
});

describe('threads: options, fallback and shutdown', () => {
  afterEach(() => vi.unstubAllGlobals());

  const small = () => {
    const rng = new Rng(0x7f40);
    const cfg: LstmConfig = { ...randomLstmConfig(rng), H: 33, I: 9, T: 5, B: 8, runtimePack: false, outputs: [true, true, true] };
    delete cfg.seqLens;
    return lstmRuntimeModel(cfg, randomLstmData(cfg, rng));
  };

  it('rejects a threads option that is not a positive integer (E-RT-OPTION)', () => {
    const { model } = small();
    for (const threads of [0, -1, 1.5, Number.NaN]) {
      let code = 'accepted';
      try {
        createModel(model, { threads });
      } catch (e) {
        code = isRuntimeError(e) ? e.code : String(e);
      }
      expect(code, `threads ${threads}`).toBe('E-RT-OPTION');
    }
  });

  it('runs on one thread, without error, where SharedArrayBuffer is missing, on the JS engine, and after close', async () => {
    const { model, feeds } = small();
    const want = createModel(model).run(feeds);
    vi.stubGlobal('SharedArrayBuffer', undefined);
    const noSab = createModel(model, { threads: 2 });
    expect(await noSab.threadsReady()).toBe(1);
    expectSameBits(want, noSab.run(feeds), 'no SharedArrayBuffer');
    vi.unstubAllGlobals();
    const js = createModel(model, { threads: 2, matvec: 'js' });
    expectSameBits(createModel(model, { matvec: 'js' }).run(feeds), js.run(feeds), 'js engine');
    expect(js.threadStats().sections).toBe(0);
    js.close();
    const closed = createModel(model, { threads: 2 });
    await closed.threadsReady();
    closed.close();
    expect(closed.threadStats().threads).toBe(1);
    expectSameBits(want, closed.run(feeds), 'after close');
  });

  it('the esbuild bundle in a Node process: threads from process.getBuiltinModule, and the process exits without close()', { timeout: 60_000 }, async () => {
    const { model, feeds } = small();
    const dir = mkdtempSync(join(tmpdir(), 'lstmc-threads-'));
    const bundle = await bundleRuntime(join(dir, 'rt.mjs'));
    writeFileSync(join(dir, 'model.lrg'), writeRuntimeGraph(model));
    const feedsJson = JSON.stringify(Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, { dtype: t.dtype, shape: t.shape, data: Array.from(t.data as Float32Array) }])));
    writeFileSync(join(dir, 'run.mjs'), `import { readFileSync } from 'node:fs';
const rt = await import(${JSON.stringify(pathToFileURL(bundle).href)});
const m = rt.loadModel(new Uint8Array(readFileSync(${JSON.stringify(join(dir, 'model.lrg'))})), { threads: 2 });
const threads = await m.threadsReady();
const feeds = Object.fromEntries(Object.entries(${feedsJson}).map(([k, t]) => [k, { ...t, data: new Float32Array(t.data) }]));
const y = m.run(feeds).Y_h;
console.log(JSON.stringify({ threads, sections: m.threadStats().sections, bits: Array.from(new Uint32Array(y.data.buffer, y.data.byteOffset, y.data.length)) }));
`);
    const r = spawnSync(process.execPath, [join(dir, 'run.mjs')], { encoding: 'utf8', timeout: 30_000 });
    expect(r.error, 'the process did not exit by itself').toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const got = JSON.parse(r.stdout) as { threads: number; sections: number; bits: number[] };
    expect(got.threads).toBe(2);
    expect(got.sections).toBeGreaterThan(0);
    expect(got.bits).toEqual(bitsOf(createModel(model).run(feeds)['Y_h']!));
  });

  it('splits units at multiples of 4 that cover every unit in order', () => {
    for (const units of [0, 1, 3, 4, 5, 17, 64, 1023, 4096])
      for (const parts of [1, 2, 3, 5]) {
        const cuts = Array.from({ length: parts + 1 }, (_v, p) => splitPoint(p, parts, units));
        expect(cuts[0]).toBe(0);
        expect(cuts[parts]).toBe(units);
        for (let p = 0; p < parts; p++) {
          expect(cuts[p + 1]!).toBeGreaterThanOrEqual(cuts[p]!);
          if (p + 1 < parts) expect(cuts[p + 1]! % 4).toBe(0);
        }
      }
  });
});
