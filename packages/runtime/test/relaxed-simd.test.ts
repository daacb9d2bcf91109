import { setFlagsFromString } from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Rng } from '@lstmc/testing';
import { createModel, hasRelaxedSimd, isRuntimeError, type LoadOptions, type RtTensor, type RuntimeModel } from '../src/index.js';
import { matvecModule } from '../src/kernels/lstm/matvec-engine.js';
import { decodeSites, withRelaxedMadd } from '../src/kernels/lstm/relaxed-simd.js';
import { MATVEC_FMA_SITES } from '../src/generated/matvec-module.js';
import { matvecModuleSites } from '../src/kernels/lstm/wasm/matvec-module.js';
import { encodeModule, op } from '../src/kernels/lstm/wasm/wasm-encoder.js';
import { lstmRuntimeModel, numDirections, randomLstmConfig, randomLstmData, widenLstmConfig, type LstmConfig } from './helpers/lstm-case.js';
import { runLstmDifferential } from './helpers/lstm-differential.js';
import { lstmSparseRuntimeModel, pruneLstmData, randomSparseChoice } from './helpers/lstm-sparse-case.js';
import { pruneRowGroups } from './helpers/lstm-group-case.js';

/**
 * The relaxed-SIMD variant of the matvec module (relaxed-simd.ts): the rewrite of the multiply-add
 * sites, the load option matvec 'wasm-relaxed' and 'auto' where the host has relaxed SIMD, against
 * onnxruntime on every f32 product kernel, and threads. Node 20 has relaxed SIMD behind a V8 flag,
 * which this file sets for its own process (as `node --experimental-wasm-relaxed-simd` would).
 */
setFlagsFromString('--experimental-wasm-relaxed-simd');

const bitsOf = (t: RtTensor) => Array.from(new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length));
const allBits = (r: Record<string, RtTensor>) => Object.keys(r).sort().flatMap((k) => bitsOf(r[k]!));

/** Whether this host fuses f32x4.relaxed_madd: a*a - round(a*a) is 2^-24 fused and 0 unfused for a = 1 + 2^-12. */
function hostFusesMadd(): boolean {
  const a = 1 + 2 ** -12;
  const f = { name: 'f', params: 0, locals: [] as [number, number][], body: [
    op.i32(0), op.f32x4Const(a), op.f32x4Const(a), op.f32x4Const(-Math.fround(a * a)), [0xfd, 0x85, 0x02], op.v128Store(0),
  ] };
  const inst = new WebAssembly.Instance(new WebAssembly.Module(encodeModule([f], 1)), {});
  (inst.exports['f'] as () => void)();
  return new Float32Array((inst.exports['mem'] as WebAssembly.Memory).buffer, 0, 1)[0] !== 0;
}

/** A dense, CSR, four-unit or sixteen-unit row-group f32 LSTM case (by i mod 4), batch 1 or 8. */
function productCase(rng: Rng, i: number): { cfg: LstmConfig; build: () => { model: RuntimeModel; feeds: Record<string, RtTensor> }; data: ReturnType<typeof randomLstmData> } {
  const kind = i % 4;
  const base = widenLstmConfig(randomLstmConfig(rng), rng);
  const cfg: LstmConfig = { ...base, B: i % 2 ? 8 : 1, ...(kind === 3 ? { H: 16 * rng.int(2, 4) + rng.int(0, 15) } : {}) };
  if (cfg.seqLens) cfg.seqLens = Int32Array.from({ length: cfg.B }, () => rng.int(1, cfg.T));
  const data = randomLstmData(cfg, rng);
  if (kind === 0) return { cfg, data, build: () => lstmRuntimeModel(cfg, data) };
  const D = numDirections(cfg);
  if (kind === 1) pruneLstmData(cfg, data, rng);
  else {
    const width = kind === 3 ? 16 : 4;
    pruneRowGroups(data.W, D, cfg.H, cfg.I, 0.85, width === 16 ? 0 : 0.1, rng, width);
    pruneRowGroups(data.R, D, cfg.H, cfg.H, 0.85, width === 16 ? 0 : 0.1, rng, width);
  }
  const choice = randomSparseChoice(rng);
  return { cfg: { ...cfg, runtimePack: false }, data, build: () => lstmSparseRuntimeModel({ ...cfg, runtimePack: false }, data, choice) };
}

describe('the relaxed-SIMD module', () => {
  it('the shipped site offsets are the generator\'s, and every site is rewritten and nothing else', () => {
    const sites = decodeSites(MATVEC_FMA_SITES);
    expect(sites).toEqual(matvecModuleSites(1).fmaSites);
    expect(sites.length).toBeGreaterThanOrEqual(40);
    const plain = matvecModule();
    const relaxed = matvecModule(true);
    expect(relaxed.length).toBe(plain.length);
    const inSite = (p: number) => sites.some((s) => p >= s && p < s + 8);
    for (let p = 0; p < plain.length; p++) if (plain[p] !== relaxed[p]) expect(inSite(p), `byte ${p}`).toBe(true);
    for (const s of sites) {
      expect([...plain.subarray(s, s + 3), plain[s + 3], ...plain.subarray(s + 5, s + 8)], `site ${s}`).toEqual([0xfd, 0xe6, 0x01, 0x20, 0xfd, 0xe4, 0x01]);
      expect([...relaxed.subarray(s, s + 8)], `site ${s}`).toEqual([0x20, plain[s + 4], 0xfd, 0x85, 0x02, 0x01, 0x01, 0x01]);
    }
    expect(WebAssembly.validate(plain)).toBe(true);
    expect(WebAssembly.validate(relaxed)).toBe(true);
    expect(hasRelaxedSimd()).toBe(true);
    // an offset that is not a site is refused, not patched
    expect(() => withRelaxedMadd(plain, [sites[0]! + 1])).toThrow(/no multiply-add at byte/);
  });

  afterEach(() => vi.restoreAllMocks());

  it('where the host lacks relaxed SIMD: wasm-relaxed fails with E-RT-EXEC, auto runs the plain module', () => {
    const rng = new Rng(0x5e00);
    const cfg: LstmConfig = { ...randomLstmConfig(rng), runtimePack: false };
    const { model, feeds } = lstmRuntimeModel(cfg, randomLstmData(cfg, rng));
    const plainBits = allBits(createModel(model, { matvec: 'wasm-simd' }).run(feeds));
    const validate = WebAssembly.validate.bind(WebAssembly);
    const relaxedBytes = matvecModule(true);
    vi.spyOn(WebAssembly, 'validate').mockImplementation((b) => !(b instanceof Uint8Array && b.length === relaxedBytes.length && b.every((x, i) => x === relaxedBytes[i])) && validate(b));
    expect(hasRelaxedSimd()).toBe(false);
    let code = 'accepted';
    try {
      createModel(model, { matvec: 'wasm-relaxed' }).run(feeds);
    } catch (e) {
      code = isRuntimeError(e) ? e.code : String(e);
    }
    expect(code).toBe('E-RT-EXEC');
    expect(allBits(createModel(model).run(feeds))).toEqual(plainBits);
  });
});

describe('matvec wasm-relaxed against onnxruntime-node', () => {
  it('dense, CSR, row groups and 16-unit row groups on 40 random configurations within 1e-5', async () => {
    let i = 0;
    const { failures, degenerate } = await runLstmDifferential(40, 0x5e40, 1e-5, (rng) => productCase(rng, i++), { matvec: 'wasm-relaxed' });
    expect(failures).toEqual([]);
    expect(degenerate).toBeLessThan(4);
  });
});

describe('matvec auto and threads on the relaxed module', () => {
  const run = (model: RuntimeModel, feeds: Record<string, RtTensor>, load: LoadOptions) => allBits(createModel(model, load).run(feeds));

  it('auto runs the relaxed module; where the host fuses, its bits differ from the plain module\'s', () => {
    let differ = 0;
    for (let i = 0; i < 8; i++) {
      const { build } = productCase(new Rng(0x5e80 + i), i);
      const { model, feeds } = build();
      const relaxed = run(model, feeds, { matvec: 'wasm-relaxed' });
      expect(run(model, feeds, {}), `case ${i}`).toEqual(relaxed);
      if (relaxed.some((b, k) => b !== run(model, feeds, { matvec: 'wasm-simd' })[k])) differ++;
    }
    console.log(`relaxed differs from plain in ${differ} of 8 cases; host fuses: ${hostFusesMadd()}`);
    if (hostFusesMadd()) expect(differ).toBeGreaterThan(0);
  });

  it('threads: 2 on the relaxed module gives the bits of one thread (the workers run the same variant)', async () => {
    for (let i = 0; i < 8; i++) {
      const { build } = productCase(new Rng(0x5ec0 + i), i);
      const { model, feeds } = build();
      const one = run(model, feeds, { matvec: 'wasm-relaxed' });
      const m = createModel(model, { matvec: 'wasm-relaxed', threads: 2 });
      try {
        await m.threadsReady();
        expect(allBits(m.run(feeds)), `case ${i}`).toEqual(one);
      } finally {
        m.close();
      }
    }
  });
});
