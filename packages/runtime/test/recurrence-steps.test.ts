import { describe, expect, it } from 'vitest';
import { Rng } from '@lstmc/testing';
import { resolveActivations } from '../src/kernels/lstm/activations.js';
import { createMatvecEngine, type MatvecEngine } from '../src/kernels/lstm/matvec-engine.js';
import { runRecurrence } from '../src/kernels/lstm/recurrence.js';
import { denseProduct } from '../src/kernels/lstm/row-products.js';

// The one-call recurrence (MatvecEngine.steps, wasm/steps-module.ts): where runRecurrence takes it,
// and that it leaves h, c and Y with the bits of the step loop it replaces (the loop's results
// against onnxruntime are lstm-ort.test.ts's).
const [F, G, Hact] = resolveActivations(['Sigmoid', 'Tanh', 'Tanh'], [], []);

interface Case {
  readonly H: number;
  readonly B: number;
  readonly T: number;
  readonly lens: number[];
  readonly reverse: boolean;
  readonly peepholes: boolean;
  readonly clip: number;
  readonly inputForget: boolean;
}

/** Runs one direction on a fresh engine (through `wrap`): h, c, Y and how many steps calls it made. */
function runCase(c: Case, seed: number, wrap: (e: MatvecEngine) => MatvecEngine) {
  const rng = new Rng(seed);
  const { H, B, T } = c;
  const H4 = 4 * H;
  const Kq = Math.ceil(H / 4);
  const weights = rng.f32(H * 16 * Kq + H4, -0.5, 0.5); // R packed, then the peepholes
  const base = createMatvecEngine(weights, 'wasm-simd');
  let calls = 0;
  const e0 = wrap(base);
  const e = e0.steps ? Object.assign(Object.create(e0) as MatvecEngine, { steps: (...a: Parameters<NonNullable<MatvecEngine['steps']>>) => (calls++, e0.steps!(...a)) }) : e0;
  const xpOff = base.scratchOff;
  const hOff = xpOff + T * B * H4;
  const cOff = hOff + B * H;
  base.scratch(T * B * H4 + 2 * B * H);
  const m = base.mem;
  m.set(rng.f32(T * B * H4, -2, 2), xpOff);
  m.set(rng.f32(2 * B * H, -1, 1), hOff);
  const y = new Float32Array(T * B * H);
  runRecurrence({
    e, recur: denseProduct(e, 0, H, H), peepOff: H * 16 * Kq, hOff, hStride: H, usePeepholes: c.peepholes, H, B, xpOff, f: F!, g: G!, h: Hact!,
    clip: c.clip, inputForget: c.inputForget, cOff, y, yStepT: B * H, yStepB: H, yBase: 0, lens: Int32Array.from(c.lens), reverse: c.reverse,
    active: new Int32Array(B), xs: new Int32Array(B), outs: new Int32Array(B),
  });
  return { hc: Array.from(m.subarray(hOff, hOff + 2 * B * H)), y: Array.from(y), calls };
}

const noSteps = (e: MatvecEngine): MatvecEngine => Object.assign(Object.create(e) as MatvecEngine, { steps: undefined });

describe('the one-call recurrence (steps)', () => {
  it('runs every step of one or two entries of one length in one call, with the step loop\'s bits: forward and reverse, peepholes, clip, input_forget, lengths under T', () => {
    const rng = new Rng(99);
    for (let i = 0; i < 24; i++) {
      const B = 1 + (i % 2);
      const T = rng.int(1, 9);
      const L = i % 3 === 0 ? rng.int(1, T) : T;
      const c: Case = { H: 4 * rng.int(1, 12), B, T, lens: new Array<number>(B).fill(L), reverse: i % 4 >= 2, peepholes: i % 5 === 0, clip: i % 6 === 1 ? 0.7 : Infinity, inputForget: i % 7 === 3 };
      const fused = runCase(c, 1000 + i, (e) => e);
      const loop = runCase(c, 1000 + i, noSteps);
      expect(fused.calls, JSON.stringify(c)).toBe(1);
      expect(loop.calls).toBe(0);
      expect(fused.hc, `h and c, ${JSON.stringify(c)}`).toEqual(loop.hc);
      expect(fused.y, `Y, ${JSON.stringify(c)}`).toEqual(loop.y);
    }
  });

  it('keeps the step loop for entries of different lengths and for more than two entries', () => {
    for (const c of [
      { H: 8, B: 2, T: 5, lens: [5, 3], reverse: false, peepholes: false, clip: Infinity, inputForget: false },
      { H: 8, B: 3, T: 4, lens: [4, 4, 4], reverse: false, peepholes: false, clip: Infinity, inputForget: false },
    ] satisfies Case[])
      expect(runCase(c, 7, (e) => e).calls, JSON.stringify(c)).toBe(0);
  });
});
