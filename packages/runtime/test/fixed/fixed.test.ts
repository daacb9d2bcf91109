import { describe, expect, it } from 'vitest';
import {
  buildLut,
  buildLuts,
  cellUpdate,
  chooseLstmFormats,
  fracFor,
  inputProjections,
  layerProducts,
  lstmFormatsByCell,
  lstmLayerFixed,
  lstmSequenceFixed,
  lutLookup,
  quantizeArray,
  quantizeLstmDirection,
  roundHalfEven,
  saturate,
  shiftRound,
  toFixed,
} from '../../src/fixed/index.js';
import { floatLstm, type FloatDir } from './float-lstm.js';
import { rng } from '@lstmc/testing';

describe('rounding and saturation', () => {
  it('rounds half to even', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, -2.5001].map(roundHalfEven)).toEqual([0, 2, 2, 0, -2, -2, 2, -3]);
  });
  it('shifts right with RNE and left exactly', () => {
    expect(shiftRound(12, 3)).toBe(2); // 1.5 -> 2
    expect(shiftRound(20, 3)).toBe(2); // 2.5 -> 2
    expect(shiftRound(-20, 3)).toBe(-2);
    expect(shiftRound(-21, 3)).toBe(-3);
    expect(shiftRound(5, -4)).toBe(80);
  });
  it('saturates to the signed range', () => {
    expect([saturate(40000, 16), saturate(-40000, 16), saturate(127, 8), saturate(-129, 8)]).toEqual([32767, -32768, 127, -128]);
    expect(toFixed(1, 15, 16)).toBe(32767);
    expect(toFixed(-1, 15, 16)).toBe(-32768);
    expect(toFixed(0.3, 8, 16)).toBe(77); // 76.8
  });
  it('fracFor picks the finest scale that fits', () => {
    expect(fracFor(1, 16)).toBe(14); // 1.0 * 2^15 = 32768 does not fit
    expect(fracFor(0.99, 16)).toBe(15);
    expect(fracFor(3, 8)).toBe(5); // 96 fits, 192 does not
    expect(fracFor(0, 8)).toBe(7);
  });
});

describe('activation LUT', () => {
  it('interpolates between table points, ties to even (hand-worked)', () => {
    // tanh, 4 entries, 8 bits: points -4, -2, 0, 2 -> [-128 (saturated), -123, 0, 123]
    const t = buildLut('tanh', 4, 8);
    expect(Array.from(t)).toEqual([-128, -123, 0, 123]);
    // x = 1.0 at fIn 4 (16): u = 80, sh = 5, k = 2, phi = 16: 0 + RNE(123 * 16 / 32 = 61.5) = 62
    expect(lutLookup(t, 'tanh', 16, 4)).toBe(62);
    // beyond the range: last entry / first entry
    expect(lutLookup(t, 'tanh', 1000, 4)).toBe(123);
    expect(lutLookup(t, 'tanh', -1000, 4)).toBe(-128);
  });

  it('256-entry 16-bit tables stay within 1e-4 of the true functions and are monotone', () => {
    const luts = buildLuts(256, 16);
    for (const kind of ['sigmoid', 'tanh'] as const) {
      const f = kind === 'sigmoid' ? (x: number) => 1 / (1 + Math.exp(-x)) : Math.tanh;
      const range = kind === 'sigmoid' ? 8 : 4;
      let prev = -Infinity;
      let maxErr = 0;
      for (let a = -range * 4096; a < range * 4096; a += 7) {
        const q = lutLookup(luts[kind], kind, a, 12);
        expect(q).toBeGreaterThanOrEqual(prev);
        prev = q;
        maxErr = Math.max(maxErr, Math.abs(q / 32768 - f(a / 4096)));
      }
      // the top segment is flat: error there is f(2^r) - f(2^r - step), below 1.1e-4 for both
      expect(maxErr).toBeLessThan(1.2e-4);
    }
  });
});

describe('cell update', () => {
  it('c = f*c + i*g with one rounding (hand-worked, 8-bit)', () => {
    // gates at frac 7: f = 0.5 (64), i = 0.25 (32), g = -0.75 (-96); c at frac 4: 2.0 (32)
    const c = Int32Array.of(32);
    const g = Int32Array.of(32, 0, 64, -96); // i, o, f, g with H = 1
    cellUpdate(c, 0, g, 0, 2, 3, 1, 4, 8);
    // 0.5*2 + 0.25*-0.75 = 0.8125 -> 13 at frac 4 (exact)
    expect(c[0]).toBe(13);
  });
});

function randomDir(rand: () => number, H: number, I: number, opts: { peephole?: boolean; clip?: number; inputForget?: boolean; sparsity?: number }): FloatDir {
  const m = (n: number, s: number) =>
    Float64Array.from({ length: n }, () => (rand() < (opts.sparsity ?? 0) ? 0 : (rand() * 2 - 1) * s));
  return {
    hidden: H,
    input: I,
    W: m(4 * H * I, 0.6),
    R: m(4 * H * H, 0.4),
    Wb: m(4 * H, 0.3),
    Rb: m(4 * H, 0.3),
    P: opts.peephole ? m(3 * H, 0.5) : null,
    clip: opts.clip ?? null,
    inputForget: opts.inputForget ?? false,
  };
}

describe('fixed-point LSTM against a float64 LSTM', () => {
  const cases = [
    { name: 'plain', H: 8, I: 5, T: 12, opts: {} },
    { name: 'peephole', H: 6, I: 3, T: 10, opts: { peephole: true } },
    { name: 'clip', H: 5, I: 4, T: 9, opts: { clip: 0.7 } },
    { name: 'input_forget', H: 7, I: 2, T: 8, opts: { inputForget: true } },
    { name: 'sparse 80%', H: 16, I: 12, T: 10, opts: { sparsity: 0.8 } },
  ];
  for (const bits of [16, 8] as const) {
    for (const cs of cases) {
      it(`${cs.name}, ${bits}-bit`, () => {
        const rand = rng(cs.H * 31 + cs.I + bits);
        const d = randomDir(rand, cs.H, cs.I, cs.opts);
        const x = Float64Array.from({ length: cs.T * cs.I }, () => rand() * 4 - 2);
        const fb = { weightBits: bits, actBits: bits, accBits: 2 * bits, lutEntries: 256 };
        const fmt = chooseLstmFormats(d, fb, 2, 4);
        const q = quantizeLstmDirection(d, fmt, fb);
        for (const reverse of [false, true]) {
          const want = floatLstm(d, x, cs.T, reverse, cs.T - 2);
          const got = lstmSequenceFixed(q, quantizeArray(x, fmt.x, bits), cs.T, null, null, reverse, cs.T - 2);
          let err = 0;
          for (let i = 0; i < want.y.length; i++) err = Math.max(err, Math.abs(got.y[i] / 2 ** (bits - 1) - want.y[i]));
          // 16 bits: a few LSBs of weights/LUT per step; 8 bits: coarse but bounded
          expect(err).toBeLessThan(bits === 16 ? 3e-3 : 0.15);
          // padded steps stay zero
          expect(Array.from(got.y.subarray((cs.T - 2) * cs.H))).toEqual(new Array(2 * cs.H).fill(0));
          let cerr = 0;
          for (let i = 0; i < cs.H; i++) cerr = Math.max(cerr, Math.abs(got.c[i] / 2 ** fmt.c - want.c[i]));
          expect(cerr).toBeLessThan(bits === 16 ? 5e-3 : 0.3);
        }
      });
    }
  }

  it('bidirectional, batch 3 with sequence lengths: each (batch, direction) equals its own sequence', () => {
    const rand = rng(99);
    const H = 4;
    const I = 3;
    const T = 5;
    const B = 3;
    const fb = { weightBits: 16, actBits: 16, accBits: 32, lutEntries: 256 };
    const dirs = [randomDir(rand, H, I, {}), randomDir(rand, H, I, {})].map((d) => quantizeLstmDirection(d, chooseLstmFormats(d, fb, 2, 4), fb));
    const x = quantizeArray(Float64Array.from({ length: T * B * I }, () => rand() * 2 - 1), dirs[0].fmt.x, 16);
    const lens = [5, 3, 1];
    const res = lstmLayerFixed(dirs, 'bidirectional', x, T, B, lens, null, null);
    for (let b = 0; b < B; b++) {
      const xb = new Int32Array(T * I);
      for (let t = 0; t < T; t++) xb.set(x.subarray((t * B + b) * I, (t * B + b + 1) * I), t * I);
      for (let d = 0; d < 2; d++) {
        const r = lstmSequenceFixed(dirs[d], xb, T, null, null, d === 1, lens[b]);
        for (let t = 0; t < T; t++) {
          expect(Array.from(res.Y.subarray(((t * 2 + d) * B + b) * H, ((t * 2 + d) * B + b + 1) * H))).toEqual(Array.from(r.y.subarray(t * H, (t + 1) * H)));
        }
        expect(Array.from(res.Yh.subarray((d * B + b) * H, (d * B + b + 1) * H))).toEqual(Array.from(r.h));
      }
    }
  });
});

describe('runs that share input projections or stop early (the quantize pass\'s c search)', () => {
  const fb = { weightBits: 16, actBits: 16, accBits: 32, lutEntries: 256 };
  for (const opts of [{}, { peephole: true, clip: 0.9 }, { sparsity: 0.7, inputForget: true }]) {
    it(`inputProjections rows are the W products lstmLayerFixed computes: the same outputs, bit for bit (${JSON.stringify(opts)})`, () => {
      const rand = rng(7);
      const [H, I, T, B] = [5, 4, 6, 3];
      const floats = [randomDir(rand, H, I, opts), randomDir(rand, H, I, opts)];
      for (const cMax of [1, 4, 32]) {
        const dirs = floats.map((d) => quantizeLstmDirection(d, chooseLstmFormats(d, fb, 2, cMax), fb));
        const prods = dirs.map(layerProducts);
        const x = quantizeArray(Float64Array.from({ length: T * B * I }, () => rand() * 4 - 2), dirs[0].fmt.x, 16);
        const lens = [6, 4, 0];
        const want = lstmLayerFixed(dirs, 'bidirectional', x, T, B, lens, null, null, prods);
        const asked: string[] = [];
        const got = lstmLayerFixed(dirs, 'bidirectional', x, T, B, lens, null, null, prods, undefined, {
          inputs: (b, d, xb, len) => {
            asked.push(`${b}/${d}/${len}`);
            return inputProjections(dirs[d], xb, T, len, prods[d]);
          },
        });
        expect(asked).toEqual(['0/0/6', '0/1/6', '1/0/4', '1/1/4', '2/0/0', '2/1/0']);
        expect(got.stopped).toBe(false);
        expect(Array.from(got.Y)).toEqual(Array.from(want.Y));
        expect(Array.from(got.Yc)).toEqual(Array.from(want.Yc));
      }
    });
  }

  it('watch sees every step with its h and ends the run when it returns false', () => {
    const rand = rng(8);
    const [H, I, T, B] = [4, 3, 5, 2];
    const d = randomDir(rand, H, I, {});
    const l = quantizeLstmDirection(d, chooseLstmFormats(d, fb, 2, 4), fb);
    const x = quantizeArray(Float64Array.from({ length: T * B * I }, () => rand() * 2 - 1), l.fmt.x, 16);
    const full = lstmLayerFixed([l], 'reverse', x, T, B, null, null, null);
    const seen: string[] = [];
    const r = lstmLayerFixed([l], 'reverse', x, T, B, null, null, null, undefined, undefined, {
      watch: (t, dir, b, h) => {
        seen.push(`${b}:${t}`);
        expect(Array.from(h)).toEqual(Array.from(full.Y.subarray((t * B + b) * H, (t * B + b + 1) * H)));
        return !(b === 1 && t === 2);
      },
    });
    expect(r.stopped).toBe(true);
    expect(seen).toEqual(['0:4', '0:3', '0:2', '0:1', '0:0', '1:4', '1:3', '1:2']);
  });

  it('lstmFormatsByCell(d, ...)(c) is chooseLstmFormats(d, ..., c), peepholes or not', () => {
    const rand = rng(9);
    for (const opts of [{}, { peephole: true }]) {
      const d = randomDir(rand, 6, 5, opts);
      const byCell = lstmFormatsByCell(d, fb, 3);
      for (const c of [0.5, 1, 2, 4, 8, 16, 32, 1000]) expect(byCell(c)).toEqual(chooseLstmFormats(d, fb, 3, c));
      expect(lstmFormatsByCell(d, fb, 3, 15)(4)).toEqual(chooseLstmFormats(d, fb, 3, 4, 15));
    }
  });
});
