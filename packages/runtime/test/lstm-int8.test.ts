import { describe, expect, it } from 'vitest';
import { createMatvecEngine } from '../src/kernels/lstm/matvec-engine.js';
import { createModel } from '../src/index.js';
import { allFiniteAndBelow, maxAbsDiff } from './helpers/compare.js';
import { lstmOnnxFeeds, lstmOnnxModel, lstmRuntimeModel, randomLstmConfig, randomLstmData, toLayout, widenLstmConfig } from './helpers/lstm-case.js';
import { ortSession, runOrt } from './helpers/ort.js';
import { Rng } from '@lstmc/testing';

describe('the int8 vector quantizer (qvec)', () => {
  for (const kind of ['wasm-simd', 'js'] as const) {
    it(`${kind}: |xq| <= xmax, each entry the nearest integer to x * xmax / max|x|, nothing written past K`, () => {
      const rng = new Rng(kind === 'js' ? 63 : 64);
      for (let trial = 0; trial < 60; trial++) {
        // K from 1 (only the scalar tails) past several groups of eight; offsets not 16-byte aligned
        const K = rng.int(1, 70);
        const xmax = rng.int(1, 32767);
        const scale = 10 ** rng.uniform(-6, 4);
        const x = Float32Array.from(rng.f32(K), (v) => v * scale);
        const e = createMatvecEngine(new Float32Array(4), kind);
        const at = rng.int(0, 3);
        e.scratch(at + K + 4 + K);
        const xOff = e.scratchOff + at;
        const xqOff = xOff + K + 1;
        e.mem.set(x, xOff);
        const xq = () => new Int16Array(e.mem.buffer, e.mem.byteOffset + 4 * xqOff, 2 * K + 2);
        xq().fill(0x5a5a);
        const s = e.quantize(xOff, K, xqOff, xmax);
        const max = Math.max(...x.map(Math.abs));
        expect(Math.abs(s - max / xmax), `trial ${trial}`).toBeLessThanOrEqual(1e-6 * (max / xmax));
        const q = xq();
        for (let k = 0; k < K; k++) {
          const want = (x[k]! * xmax) / max;
          expect(Math.abs(q[k]!), `trial ${trial} k ${k}`).toBeLessThanOrEqual(xmax);
          expect(Math.abs(q[k]! - want), `trial ${trial} k ${k}`).toBeLessThanOrEqual(0.5 + 1e-6 * xmax);
        }
        for (let k = K; k < 2 * K + 2; k++) expect(q[k], `past K: ${k}`).toBe(0x5a5a);
      }
    });

    it(`${kind}: an all-zero vector gives scale 0 and leaves xq as it was; a NaN gives a NaN scale`, () => {
      const e = createMatvecEngine(new Float32Array(4), kind);
      e.scratch(64);
      const x = e.scratchOff;
      const xqOff = x + 24;
      const xq = new Int16Array(e.mem.buffer, e.mem.byteOffset + 4 * xqOff, 20).fill(7);
      expect(e.quantize(x, 13, xqOff, 1000)).toBe(0);
      expect([...new Int16Array(e.mem.buffer, e.mem.byteOffset + 4 * xqOff, 20)]).toEqual([...xq]);
      e.mem.set(Float32Array.of(1, -2, Number.NaN, 4, 0.5, 1, 1, 1, 3), x);
      expect(e.quantize(x, 9, xqOff, 1000)).toBeNaN();
      e.mem.set(Float32Array.of(1, -2, 3, 4, 0.5, 1, 1, 1, Number.NaN), x);
      expect(e.quantize(x, 9, xqOff, 1000)).toBeNaN();
    });
  }
});

describe('int8 weight product (mvq1)', () => {
  for (const kind of ['wasm-simd', 'js'] as const) {
    it(`${kind}: exact int32 sums of int8 weights times int16 inputs, scaled per row`, () => {
      const rng = new Rng(kind === 'js' ? 61 : 62);
      for (let trial = 0; trial < 25; trial++) {
        const H = rng.int(1, 20);
        const Ko = rng.int(1, 12);
        const ws = 8 * Ko; // floats per unit
        const wBytes = Int8Array.from({ length: 32 * Ko * H }, () => rng.int(-127, 127));
        const scales = rng.f32(4 * H, 0, 0.1);
        const xq = Int16Array.from({ length: 8 * Ko }, () => rng.int(-16000, 16000));
        const mem = new Float32Array(H * ws + 4 * H + 4 * Ko);
        new Int8Array(mem.buffer).set(wBytes);
        mem.set(scales, H * ws);
        new Int16Array(mem.buffer).set(xq, 2 * (H * ws + 4 * H));
        const e = createMatvecEngine(mem, kind);
        e.scratch(4 * H);
        const out = e.scratchOff;
        const o0 = rng.f32(4 * H);
        e.mem.set(o0, out);
        const sx = rng.uniform(1e-5, 1e-3);
        e.mvq(0, ws, H * ws, H * ws + 4 * H, Ko, out, H, sx);
        for (let j = 0; j < H; j++)
          for (let g = 0; g < 4; g++) {
            let acc = 0;
            for (let k = 0; k < 8 * Ko; k++) acc += wBytes[j * 32 * Ko + (k >> 3) * 32 + g * 8 + (k & 7)]! * xq[k]!;
            const want = o0[4 * j + g]! + acc * scales[4 * j + g]! * sx;
            expect(Math.abs(e.mem[out + 4 * j + g]! - want), `trial ${trial} unit ${j} gate ${g}`).toBeLessThan(1e-5 * (1 + Math.abs(want)));
          }
      }
    });
  }
});

describe('int8 weight product for two vectors (mvq2)', () => {
  for (const kind of ['wasm-simd', 'js'] as const) {
    it(`${kind}: bit for bit the two mvq calls it stands for`, () => {
      const rng = new Rng(kind === 'js' ? 63 : 64);
      for (let trial = 0; trial < 25; trial++) {
        const H = rng.int(1, 20);
        const Ko = rng.int(1, 12);
        const ws = 8 * Ko;
        const mem = new Float32Array(H * ws + 4 * H + 8 * Ko);
        new Int8Array(mem.buffer).set(Int8Array.from({ length: 32 * Ko * H }, () => rng.int(-127, 127)));
        mem.set(rng.f32(4 * H, 0, 0.1), H * ws);
        new Int16Array(mem.buffer).set(Int16Array.from({ length: 16 * Ko }, () => rng.int(-16000, 16000)), 2 * (H * ws + 4 * H));
        const [xq0, xq1] = [H * ws + 4 * H, H * ws + 4 * H + 4 * Ko];
        const e = createMatvecEngine(mem, kind);
        e.scratch(16 * H);
        const o = Array.from({ length: 4 }, (_v, i) => e.scratchOff + 4 * H * i);
        const init = rng.f32(4 * H);
        for (const at of o) e.mem.set(init, at);
        const [sx0, sx1] = [rng.uniform(1e-5, 1e-3), rng.uniform(1e-5, 1e-3)];
        e.mvq2(0, ws, H * ws, xq0, xq1, Ko, o[0]!, o[1]!, H, sx0, sx1);
        e.mvq(0, ws, H * ws, xq0, Ko, o[2]!, H, sx0);
        e.mvq(0, ws, H * ws, xq1, Ko, o[3]!, H, sx1);
        expect(e.mem.slice(o[0], o[0]! + 4 * H), `trial ${trial} vector 0`).toEqual(e.mem.slice(o[2], o[2]! + 4 * H));
        expect(e.mem.slice(o[1], o[1]! + 4 * H), `trial ${trial} vector 1`).toEqual(e.mem.slice(o[3], o[3]! + 4 * H));
      }
    });
  }
});

describe('lstm.dense.f32 with int8 weights (lstmWeights: int8)', () => {
  it('stays within 0.02 of onnxruntime (float32) on 40 random configurations, and differs from the f32 path', async () => {
    const rng = new Rng(0x1e8);
    let compared = 0;
    let worst = 0;
    let changed = 0;
    while (compared < 40) {
      const cfg = widenLstmConfig(randomLstmConfig(rng), rng);
      // Bounded activations only: the error of unbounded ones (Relu, Softplus as gates) grows with the sequence.
      delete cfg.activations;
      const data = randomLstmData(cfg, rng);
      const want = await runOrt(await ortSession(lstmOnnxModel(cfg, data)), lstmOnnxFeeds(cfg, data));
      if (!Object.values(want).every((t) => allFiniteAndBelow(t, 1e4))) continue;
      compared++;
      const { model, feeds } = lstmRuntimeModel(cfg, data);
      const options = { lstmWeights: 'int8' as const, matvec: compared % 3 === 0 ? ('js' as const) : ('auto' as const) };
      const q = createModel(model, options).run(feeds);
      const f = createModel(model).run(feeds);
      for (const name of Object.keys(want)) {
        const w = toLayout(cfg, name, want[name]!);
        worst = Math.max(worst, maxAbsDiff(q[name]!, w));
        if (maxAbsDiff(q[name]!, f[name]!) > 0) changed++;
      }
    }
    expect(worst).toBeLessThan(0.02);
    expect(changed).toBeGreaterThan(20);
  });
});
