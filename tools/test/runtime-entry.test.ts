/**
 * `lstmc runtime-entry`: the module it writes for real runtime graphs is bundled with esbuild into an
 * app the way an embedder would (the app imports loadModel from it, a helper from @lstmc/runtime),
 * minified; the bundle holds only the graphs' kernels (issue 11's size goal is for this bundle: the
 * runtime one model ships with) and computes what torch computed for the example.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
// @ts-expect-error: a plain ES module script without declarations
import { bundleApp } from '../scripts/runtime-sizes.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTensorFile } from '@lstmc/backend-js';
import { BUILTIN_KERNELS, KERNEL_EXPORTS, OP_KERNELS, loadModel, type RtTensor } from '@lstmc/runtime';
import * as runtimeExports from '@lstmc/runtime';
import { hasChromium, withChromium } from '@lstmc/testing';
import { cli, REPO } from './helpers.js';

/** The goal of issue 11 for the runtime an app ships (minified bytes). */
const GOAL = 100_000;
const SPARSE = join(REPO, 'examples/kws-lstm-sparse');
const dir = mkdtempSync(join(tmpdir(), 'lstmc-runtime-entry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function compile(model: string, out: string): Promise<string> {
  const file = join(dir, out);
  const r = await cli('compile', model, '--target', 'js', '-o', file);
  expect(r.code, r.stderr).toBe(0);
  return file;
}

/** Bundles `app` (source text, in dir) with esbuild as an embedder would: minified, for the browser unless said. */
const bundle = (name: string, app: string, platform: 'browser' | 'node' = 'browser'): Promise<{ file: string; bytes: number; text: string }> => bundleApp(dir, name, app, platform);

const input = () => readTensorFile(join(SPARSE, 'test_data_set_0/input_0.pb')).tensor;
const torchOut = () => readTensorFile(join(SPARSE, 'test_data_set_0/output_0.pb')).tensor;
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

describe('the runtime of the sparse keyword-spotting example', () => {
  let kws = '';
  let source = '';
  beforeAll(async () => {
    kws = await compile(join(SPARSE, 'model.onnx'), 'kws.lrg');
    const r = await cli('runtime-entry', kws, '-o', join(dir, 'kws-runtime.mjs'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*kws-runtime\.mjs \(5 kernels: .*lstm\.sparse\.f32\)/);
    source = readFileSync(join(dir, 'kws-runtime.mjs'), 'utf8');
  });

  it('names exactly the kernels of the graph', () => {
    expect(source).toContain("import { createRuntime, gemmKernel, lstmSparseF32Kernel, opKernel } from '@lstmc/runtime';");
    // the zero initial states' Shape/Gather/Unsqueeze/Concat/ConstantOfShape/Slice were dropped by fold
    expect(source).toContain("import { Gather, Softmax, Squeeze } from '@lstmc/runtime/ops';");
    expect(source).toContain("'lstm.sparse.f32': lstmSparseF32Kernel,");
    expect(source).toContain('Gemm: gemmKernel,');
    expect(source).not.toContain('lstmDenseF32Kernel');
    expect(source).not.toContain('threadPool');
  });

  it(`bundled into an app it is within ${GOAL} bytes minified, and computes what torch did`, async () => {
    const data = input();
    writeFileSync(join(dir, 'features.json'), JSON.stringify({ shape: data.shape, data: Array.from(data.data as Float32Array) }));
    const app = [
      "import { loadModel } from './kws-runtime.mjs';",
      "import { tensor } from '@lstmc/runtime';",
      'export function run(bytes, { shape, data }) {',
      '  const model = loadModel(bytes);',
      "  return model.run({ features: tensor('f32', shape, Float32Array.from(data)) }).probs;",
      '}',
    ].join('\n');
    const b = await bundle('kws', app);
    const whole = (await bundle('whole', app.replace("from './kws-runtime.mjs'", "from '@lstmc/runtime'"))).bytes;
    console.log(`kws-lstm-sparse runtime: ${b.bytes} bytes minified; with the whole runtime: ${whole}`);
    expect(b.bytes).toBeLessThanOrEqual(GOAL);
    expect(b.bytes).toBeLessThan(whole * 0.7);
    // What is left out: the fixed-point emulator, threads, and other ops' evaluations.
    expect(b.text).not.toContain('lstm.fixed');
    expect(b.text).not.toContain('worker_threads');
    expect(b.text).not.toMatch(/\bConvTranspose|group must divide/);
    const { run } = (await import(pathToFileURL(b.file).href)) as { run: (bytes: Uint8Array, f: unknown) => RtTensor };
    const got = run(new Uint8Array(readFileSync(kws)), JSON.parse(readFileSync(join(dir, 'features.json'), 'utf8')));
    const full = loadModel(new Uint8Array(readFileSync(kws))).run({ features: data }).probs!;
    expect(Array.from(got.data as Float32Array)).toEqual(Array.from(full.data as Float32Array));
    expect(maxAbs(got.data as Float32Array, torchOut().data as Float32Array)).toBeLessThan(1e-4);
  });

  it.skipIf(!hasChromium('runtime-entry browser test'))('the bundled app runs in headless Chromium, bit-identical to Node (the plain SIMD module on both)', { timeout: 120_000 }, async () => {
    const app = "export { loadModel } from './kws-runtime.mjs';";
    const b = await bundle('kws-browser', app);
    const data = input();
    const full = loadModel(new Uint8Array(readFileSync(kws)), { matvec: 'wasm-simd' }).run({ features: data }).probs!;
    const want = Array.from(new Uint32Array(full.data.buffer, full.data.byteOffset, full.data.length));
    const got = await withChromium(async (browser) => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.route('**/*', (route) =>
        new URL(route.request().url()).pathname === '/runtime.mjs'
          ? route.fulfill({ contentType: 'text/javascript', body: b.text })
          : route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>lstmc</title>' }),
      );
      await page.goto('http://lstmc.test/');
      // Source text: vitest rewrites dynamic import() in functions it transforms.
      const script = `(async ({ bytes, shape, x }) => {
        const { loadModel } = await import('/runtime.mjs');
        const p = loadModel(new Uint8Array(bytes), { matvec: 'wasm-simd' }).run({ features: { dtype: 'f32', shape, data: new Float32Array(x) } }).probs;
        return Array.from(new Uint32Array(p.data.buffer, p.data.byteOffset, p.data.length));
      })(${JSON.stringify({ bytes: Array.from(readFileSync(kws)), shape: data.shape, x: Array.from(data.data as Float32Array) })})`;
      const r = (await page.evaluate(script)) as number[];
      expect(errors).toEqual([]);
      return r;
    });
    expect(got).toEqual(want);
  });

  it('refuses a graph with a kernel it was not built with, naming the kernel', async () => {
    const dense = await compile(join(REPO, 'examples/kws-lstm/model.onnx'), 'kws-dense.lrg');
    const b = await bundle('refuse', "export { loadModel } from './kws-runtime.mjs';", 'node');
    const { loadModel: load } = (await import(pathToFileURL(b.file).href)) as { loadModel: (bytes: Uint8Array) => unknown };
    expect(() => load(new Uint8Array(readFileSync(dense)))).toThrow(/unknown kernel 'lstm\.(dense|pack)\.f32' \(not in this runtime's registry\)/);
  });
});

it('one module for several graphs (the example and Silero VAD v5) holds the union of their kernels; --threads links threads that give the same bits', async () => {
  const kws = await compile(join(SPARSE, 'model.onnx'), 'kws2.lrg');
  const vad = await compile(join(REPO, 'tools/test/corpus/silero/v5/model.onnx'), 'vad.lrg');
  const r = await cli('runtime-entry', kws, vad, '--threads', '--json');
  expect(r.code, r.stderr).toBe(0);
  const res = JSON.parse(r.stdout) as { output: null; kernels: string[]; threads: boolean; source: string };
  expect(res.kernels).toEqual(expect.arrayContaining(['lstm.sparse.f32', 'lstm.dense.f32', 'Conv', 'Softmax', 'Pad']));
  expect(res.threads).toBe(true);
  writeFileSync(join(dir, 'both-runtime.mjs'), res.source);
  const b = await bundle('both', "export { loadModel } from './both-runtime.mjs';", 'node');
  const { loadModel: load } = (await import(pathToFileURL(b.file).href)) as { loadModel: typeof loadModel };
  const feeds = { input: { dtype: 'f32', shape: [1, 512], data: Float32Array.from({ length: 512 }, (_, i) => Math.sin(i / 7) * 0.3) }, state: { dtype: 'f32', shape: [2, 1, 128], data: new Float32Array(256) }, sr: { dtype: 'i64', shape: [], data: BigInt64Array.of(16000n) } } as const;
  const want = loadModel(new Uint8Array(readFileSync(vad))).run(feeds as never);
  const threaded = load(new Uint8Array(readFileSync(vad)), { threads: 2 });
  expect(await threaded.threadsReady()).toBe(2);
  const got = threaded.run(feeds as never);
  threaded.close();
  for (const k of Object.keys(want)) expect(Array.from(got[k]!.data as Float32Array), k).toEqual(Array.from(want[k]!.data as Float32Array));
  const k2 = load(new Uint8Array(readFileSync(kws))).run({ features: input() });
  expect(maxAbs(k2.probs!.data as Float32Array, torchOut().data as Float32Array)).toBeLessThan(1e-4);
});

it.each(['v4-legacy', 'v5', '16k-op15'])(`Silero VAD %s (the corpus's largest runtimes: conv front end, 20-21 kernels) ships within ${GOAL} bytes`, async (v) => {
  const vad = await compile(join(REPO, `tools/test/corpus/silero/${v}/model.onnx`), `vad-${v}.lrg`);
  const r = await cli('runtime-entry', vad, '-o', join(dir, `vad-${v}-runtime.mjs`));
  expect(r.code, r.stderr).toBe(0);
  const b = await bundle(`vad-${v}`, `export { loadModel } from './vad-${v}-runtime.mjs';`);
  console.log(`silero ${v} runtime: ${b.bytes} bytes minified`);
  expect(b.bytes).toBeLessThanOrEqual(GOAL);
  expect(b.text).toContain('"Conv"');
});

it('names each built-in kernel by an export of @lstmc/runtime that is that kernel, or as an op', () => {
  for (const [k, kernel] of Object.entries(BUILTIN_KERNELS)) {
    if (Object.hasOwn(KERNEL_EXPORTS, k)) expect((runtimeExports as Record<string, unknown>)[KERNEL_EXPORTS[k]!], k).toBe(kernel);
    else expect(OP_KERNELS[k], k).toBe(kernel);
  }
});

it('refuses what is not a runtime graph, naming the file', async () => {
  const r = await cli('runtime-entry', 'examples/kws-lstm/model.onnx');
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/error\[E-RT-MAGIC\]: not an lstmc runtime graph .*examples\/kws-lstm\/model\.onnx/);
  const bad = join(dir, 'bad.lrg');
  const good = readFileSync(await compile(join(SPARSE, 'model.onnx'), 'kws3.lrg'));
  writeFileSync(bad, good.subarray(0, good.length - 100));
  const t = await cli('runtime-entry', bad);
  expect(t.code).toBe(1);
  expect(t.stderr).toMatch(/^error\[E-RT-[A-Z-]+\]: .*bad\.lrg/);
  expect(t.stderr).not.toMatch(/\n\s+at /);
});
