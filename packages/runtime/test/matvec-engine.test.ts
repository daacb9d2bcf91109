import { describe, expect, it } from 'vitest';
import { createMatvecEngine } from '../src/kernels/lstm/matvec-engine.js';
import { Rng } from './helpers/random.js';

/** out[j*4+g] += sum_{q<Kq, l<4} w[wOff + j*ws + q*16 + g*4 + l] * x[4q+l], in float64 from the same float32 inputs. */
function reference(w: Float32Array, wOff: number, x: Float32Array, out: Float32Array, H: number, Kq: number, ws: number): Float64Array {
  const r = Float64Array.from(out);
  for (let j = 0; j < H; j++) {
    for (let g = 0; g < 4; g++) {
      for (let q = 0; q < Kq; q++) for (let l = 0; l < 4; l++) r[j * 4 + g] += w[wOff + j * ws + q * 16 + g * 4 + l]! * x[4 * q + l]!;
    }
  }
  return r;
}

describe('matvec engines', () => {
  it('uses WebAssembly SIMD in Node 20', () => {
    expect(createMatvecEngine(new Float32Array(4)).kind).toBe('wasm-simd');
    expect(createMatvecEngine(new Float32Array(4), 'js').kind).toBe('js');
  });

  for (const kind of ['wasm-simd', 'js'] as const) {
    it(`${kind}: mv1 and mv2 match a float64 reference (odd Kq, strided units, offsets, memory growth)`, () => {
      const rng = new Rng(kind === 'js' ? 1 : 2);
      for (let trial = 0; trial < 40; trial++) {
        const H = rng.int(1, 9);
        const Kq = rng.int(1, 11);
        const ws = 16 * (Kq + rng.int(0, 3));
        const wOff = 4 * rng.int(0, 5);
        const w = rng.f32(wOff + H * ws + 8);
        const e = createMatvecEngine(w, kind);
        // Enough scratch to force a growth of the wasm memory on some trials.
        const big = trial % 10 === 0 ? 70_000 : 0;
        e.scratch(big + 8 * Kq + 8 * H + 64);
        const xs = [0, 1].map((i) => e.scratchOff + big + i * 4 * Kq);
        const os = [0, 1].map((i) => e.scratchOff + big + 8 * Kq + i * 4 * H);
        const xData = xs.map(() => rng.f32(4 * Kq));
        const oData = os.map(() => rng.f32(4 * H));
        xs.forEach((o, i) => e.mem.set(xData[i]!, o));
        os.forEach((o, i) => e.mem.set(oData[i]!, o));
        const two = trial % 2 === 0;
        if (two) e.mv2(wOff, xs[0]!, xs[1]!, os[0]!, os[1]!, H, Kq, ws);
        else e.mv1(wOff, xs[0]!, os[0]!, H, Kq, ws);
        for (let i = 0; i < (two ? 2 : 1); i++) {
          const want = reference(w, wOff, xData[i]!, oData[i]!, H, Kq, ws);
          const got = e.mem.subarray(os[i]!, os[i]! + 4 * H);
          for (let q = 0; q < 4 * H; q++) expect(Math.abs(got[q]! - want[q]!), `trial ${trial} row ${i} elem ${q}`).toBeLessThan(1e-5);
        }
        // Weights stay intact after growth.
        expect(Array.from(e.mem.subarray(0, w.length))).toEqual(Array.from(w));
      }
    });
  }
});
