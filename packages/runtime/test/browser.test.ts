import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { hasRelaxedSimd, loadModel, type RtAttr, type RtTensor, type RuntimeModel } from '../src/index.js';
import { writeRuntimeGraph } from '../src/writer.js';
import { bundleRuntime } from '../scripts/bundle.mjs';
import { Rng, hasChromium, withChromium } from '@lstmc/testing';
import { randomLstmConfig, randomLstmData, type LstmConfig } from './helpers/lstm-case.js';
import { lstmSparseRuntimeModel, pruneLstmData } from './helpers/lstm-sparse-case.js';
import { twoLayerLstmModel } from './helpers/sample-models.js';

/**
 * Loads the esbuild browser bundle in headless Chromium and runs a model there, a pruned LSTM on
 * lstm.sparse.f32, and a conv front end on the Conv, depthwise, Log and element-wise kernels; the
 * outputs must be bit-identical to Node's on every matvec engine: the plain
 * WebAssembly SIMD module, the JS engine, and 'auto', which is the relaxed-SIMD module in Chromium and,
 * with the V8 flag this file sets for its own process, in Node 20 too.
 */
const chromiumHere = hasChromium('browser test');
setFlagsFromString('--experimental-wasm-relaxed-simd');
const ENGINES = ['auto', 'wasm-simd', 'js'] as const;

/** Runs in the page: loads the bundle, runs the model with both matvec engines, and loads a corrupt file. */
const BROWSER_SCRIPT = `async ({ bytes, x, sparse, front }) => {
  const rt = await import('/lstmc-runtime.mjs');
  const out = {};
  const bitsOf = (res) => Object.fromEntries(Object.entries(res).map(([k, t]) => [k, Array.from(new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length))]));
  for (const matvec of ['auto', 'wasm-simd', 'js']) {
    const model = rt.loadModel(new Uint8Array(bytes), { matvec });
    out[matvec] = bitsOf(model.run({ input: { dtype: 'f32', shape: [7, 2, 6], data: new Float32Array(x) } }));
    const sm = rt.loadModel(new Uint8Array(sparse.bytes), { matvec });
    out['sparse-' + matvec] = bitsOf(sm.run({ X: { dtype: 'f32', shape: sparse.shape, data: new Float32Array(sparse.x) } }));
    const fm = rt.loadModel(new Uint8Array(front.bytes), { matvec });
    out['front-' + matvec] = bitsOf(fm.run({ x: { dtype: 'f32', shape: [1, 8, 40], data: new Float32Array(front.x) } }));
  }
  let corrupt = 'accepted';
  try {
    const b = new Uint8Array(bytes);
    b[100] ^= 1;
    rt.loadModel(b);
  } catch (e) {
    corrupt = e.code;
  }
  return { out, corrupt, simd: rt.hasWasmSimd(), relaxed: rt.hasRelaxedSimd() };
}`;

/**
 * A conv front end on the engine's kernels for the ops around the LSTMs: a Conv with constant weights
 * (mvc), Relu, a depthwise Conv (dwc), Abs, Add of a scalar, Log (logv), Mul by one value per channel
 * (vbin's row form); x is [1, 8, 40].
 */
function frontEndModel(rng: Rng): RuntimeModel {
  const f32 = (shape: number[], lo = -1, hi = 1): RtTensor => ({ dtype: 'f32', shape, data: rng.f32(shape.reduce((a, b) => a * b, 1), lo, hi) });
  const opset = { opset: { type: 'int', value: 17 } } as const;
  const values: RuntimeModel['values'][number][] = [
    { name: 'x', dtype: 'f32', shape: [1, 8, 40] },
    { name: 'w1', dtype: 'f32', shape: [12, 8, 3], data: f32([12, 8, 3]) },
    { name: 'b1', dtype: 'f32', shape: [12], data: f32([12]) },
    { name: 'wd', dtype: 'f32', shape: [12, 1, 5], data: f32([12, 1, 5]) },
    { name: 'bd', dtype: 'f32', shape: [12], data: f32([12]) },
    { name: 'one', dtype: 'f32', shape: [], data: { dtype: 'f32', shape: [], data: Float32Array.of(1) } },
    { name: 'gain', dtype: 'f32', shape: [1, 12, 1], data: f32([1, 12, 1], 0.5, 2) },
    ...['c1', 'r1', 'c2', 'a2', 's2', 'l2', 'y'].map((name) => ({ name, dtype: 'f32' as const, shape: null })),
  ];
  const v = (name: string) => values.findIndex((x) => x.name === name);
  const node = (kernel: string, ins: string[], out: string, attrs: Record<string, RtAttr> = {}) => ({ kernel, name: out, inputs: ins.map(v), outputs: [v(out)], attrs: { ...attrs, ...opset } });
  return {
    values,
    inputs: [v('x')],
    outputs: [v('y')],
    nodes: [
      node('Conv', ['x', 'w1', 'b1'], 'c1', { pads: { type: 'ints', value: [1, 1] } }),
      node('Relu', ['c1'], 'r1'),
      node('Conv', ['r1', 'wd', 'bd'], 'c2', { group: { type: 'int', value: 12 }, pads: { type: 'ints', value: [2, 2] } }),
      node('Abs', ['c2'], 'a2'),
      node('Add', ['a2', 'one'], 's2'),
      node('Log', ['s2'], 'l2'),
      node('Mul', ['l2', 'gain'], 'y'),
    ],
  };
}

/** A forward pruned LSTM (X only, no optional inputs) on lstm.sparse.f32, with its feeds. */
function sparseBrowserCase() {
  const rng = new Rng(33);
  const cfg: LstmConfig = { ...randomLstmConfig(rng), direction: 'forward', H: 11, I: 7, T: 20, B: 1, layout: 0, outputs: [true, true, true], initialH: false, initialC: false, runtimePack: false };
  delete cfg.seqLens;
  const data = randomLstmData(cfg, rng);
  pruneLstmData(cfg, data, rng);
  const { model, feeds } = lstmSparseRuntimeModel(cfg, data, { sparseW: true, sparseR: true });
  return { bytes: writeRuntimeGraph(model), feeds };
}

/**
 * Runs in a page: the model with threads: 2. Returns the outputs' bits, the threads the product ran
 * on and the sections run with the worker (0 when the page cannot share memory with workers).
 */
const THREADS_SCRIPT = `async ({ bytes, x, matvec }) => {
  const rt = await import('/lstmc-runtime.mjs');
  const model = rt.loadModel(new Uint8Array(bytes), { threads: 2, matvec });
  const threads = await model.threadsReady();
  // Several runs: a part runs on whichever thread claims it first.
  let res;
  for (let r = 0; r < 20; r++) res = model.run({ input: { dtype: 'f32', shape: [7, 2, 6], data: new Float32Array(x) } });
  const stats = model.threadStats();
  model.close();
  const out = Object.fromEntries(Object.entries(res).map(([k, t]) => [k, Array.from(new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length))]));
  return { out, threads, sections: stats.sections, workerParts: stats.workerParts, isolated: self.crossOriginIsolated === true };
}`;

const bits = (t: RtTensor) => Array.from(new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length));

describe.skipIf(!chromiumHere)('browser bundle in headless Chromium', () => {
  it('runs a two-layer LSTM model with outputs bit-identical to Node', { timeout: 120_000 }, async () => {
    const bundle = readFileSync(await bundleRuntime(join(tmpdir(), `lstmc-runtime-${process.pid}.mjs`)), 'utf8');
    expect(bundle).not.toMatch(/from\s*["']node:/);
    const bytes = writeRuntimeGraph(twoLayerLstmModel(new Rng(31), { I: 6, H: 9, C: 4 }));
    const x = new Rng(32).f32(7 * 2 * 6);
    const node: Record<string, Record<string, number[]>> = {};
    expect(hasRelaxedSimd()).toBe(true);
    for (const matvec of ENGINES) {
      const out = loadModel(bytes, { matvec }).run({ input: { dtype: 'f32', shape: [7, 2, 6], data: x } });
      node[matvec] = Object.fromEntries(Object.entries(out).map(([k, t]) => [k, bits(t)]));
    }
    // A pruned LSTM on lstm.sparse.f32 (W and R compressed), 20 steps so the W projection uses spmmT.
    const sc = sparseBrowserCase();
    for (const matvec of ENGINES) {
      const out = loadModel(sc.bytes, { matvec }).run(sc.feeds);
      node[`sparse-${matvec}`] = Object.fromEntries(Object.entries(out).map(([k, t]) => [k, bits(t)]));
    }
    // A conv front end on the Conv, depthwise, Log and element-wise kernels.
    const front = writeRuntimeGraph(frontEndModel(new Rng(34)));
    const fx = new Rng(35).f32(8 * 40, -2, 2);
    for (const matvec of ENGINES) {
      const out = loadModel(front, { matvec }).run({ x: { dtype: 'f32', shape: [1, 8, 40], data: fx } });
      node[`front-${matvec}`] = Object.fromEntries(Object.entries(out).map(([k, t]) => [k, bits(t)]));
    }
    // The engine paths ran: the Conv's float32 sums differ in some bits from the reference's float64 ones (matvec js).
    expect(node['front-wasm-simd']).not.toEqual(node['front-js']);
    await withChromium(async (browser) => {
      const page = await browser.newPage();
      await page.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.pathname === '/lstmc-runtime.mjs') return route.fulfill({ contentType: 'text/javascript', body: bundle });
        return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>lstmc</title>' });
      });
      await page.goto('http://lstmc.test/');
      // Passed as source text: vitest rewrites dynamic import() in functions it transforms.
      const X = sc.feeds['X']!;
      const arg = JSON.stringify({ bytes: Array.from(bytes), x: Array.from(x), sparse: { bytes: Array.from(sc.bytes), x: Array.from(X.data as Float32Array), shape: X.shape }, front: { bytes: Array.from(front), x: Array.from(fx) } });
      const result = (await page.evaluate(`(${BROWSER_SCRIPT})(${arg})`)) as {
        out: Record<string, Record<string, number[]>>;
        corrupt: string;
        simd: boolean;
        relaxed: boolean;
      };
      expect(result.simd).toBe(true);
      expect(result.relaxed).toBe(true);
      expect(result.corrupt).toBe('E-RT-CHECKSUM');
      for (const matvec of ENGINES) {
        expect(result.out[matvec], matvec).toEqual(node[matvec]);
        expect(result.out[`sparse-${matvec}`], `sparse ${matvec}`).toEqual(node[`sparse-${matvec}`]);
        expect(result.out[`front-${matvec}`], `conv front end ${matvec}`).toEqual(node[`front-${matvec}`]);
      }
      // threads: 2 on a page that is not cross-origin isolated: no SharedArrayBuffer, one thread, same bits.
      const single = (await page.evaluate(`(${THREADS_SCRIPT})(${JSON.stringify({ bytes: Array.from(bytes), x: Array.from(x), matvec: 'auto' })})`)) as ThreadsResult;
      expect(single).toMatchObject({ threads: 1, sections: 0, workerParts: 0, isolated: false });
      expect(single.out).toEqual(node['auto']);
    });
  });

  it('runs the LSTM products on a Web Worker over shared memory in a cross-origin isolated page, bit-identical to Node', { timeout: 120_000 }, async () => {
    const bundle = readFileSync(await bundleRuntime(join(tmpdir(), `lstmc-runtime-threads-${process.pid}.mjs`)), 'utf8');
    const bytes = writeRuntimeGraph(twoLayerLstmModel(new Rng(31), { I: 6, H: 9, C: 4 }));
    const x = new Rng(32).f32(7 * 2 * 6);
    const out = loadModel(bytes).run({ input: { dtype: 'f32', shape: [7, 2, 6], data: x } });
    const want = Object.fromEntries(Object.entries(out).map(([k, t]) => [k, bits(t)]));
    await withChromium(async (browser) => {
      const page = await browser.newPage();
      const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
      await page.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.pathname === '/lstmc-runtime.mjs') return route.fulfill({ contentType: 'text/javascript', body: bundle, headers: isolation });
        return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>lstmc</title>', headers: isolation });
      });
      // https: cross-origin isolation needs a secure origin.
      await page.goto('https://lstmc.test/');
      const r = (await page.evaluate(`(${THREADS_SCRIPT})(${JSON.stringify({ bytes: Array.from(bytes), x: Array.from(x), matvec: 'auto' })})`)) as ThreadsResult;
      expect(r.isolated).toBe(true);
      expect(r.threads).toBe(2);
      expect(r.sections).toBeGreaterThan(0);
      expect(r.workerParts).toBeGreaterThan(0);
      expect(r.out).toEqual(want);
    });
  });
});

interface ThreadsResult {
  out: Record<string, number[]>;
  threads: number;
  sections: number;
  workerParts: number;
  isolated: boolean;
}
