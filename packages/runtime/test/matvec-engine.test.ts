import { describe, expect, it } from 'vitest';
import { simdEngine, createMatvecEngine } from '../src/kernels/lstm/matvec-engine.js';
import { Rng } from '@lstmc/testing';

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
  it('reports scratch beyond what WebAssembly memory can hold as E-RT-EXEC', () => {
    expect(() => createMatvecEngine(new Float32Array(4)).scratch(2 ** 31)).toThrow(expect.objectContaining({ code: 'E-RT-EXEC' }));
  });

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

describe('vectorized cell update (cell4)', () => {
  const sig = (x: number) => 1 / (1 + Math.exp(-x));

  it('matches the LSTM cell formulas with peepholes, input_forget and clip, and propagates NaN', () => {
    const rng = new Rng(5);
    const e = createMatvecEngine(new Float32Array(4));
    expect(e.cell4).toBeDefined();
    for (let trial = 0; trial < 24; trial++) {
      const groups = rng.int(1, 4);
      const n = 4 * groups;
      const flags = trial % 4;
      const clip = trial % 3 === 0 ? Infinity : rng.uniform(0.3, 4);
      e.scratch(12 * n + 8);
      const row = e.scratchOff, peep = row + 4 * n, c = peep + 4 * n, h = c + n;
      const rowData = rng.f32(4 * n, -6, 6);
      const peepData = rng.f32(4 * n, -1, 1).map((v, i) => (i % 4 === 3 ? 0 : v));
      const cData = rng.f32(n, -3, 3);
      // a NaN in o, with a finite clip (trial 5, peepholes) and without one (trial 12: the clamp to +-Infinity runs too)
      const nanTrial = trial === 5 || trial === 12;
      if (nanTrial) rowData[1] = NaN;
      e.mem.set(rowData, row);
      e.mem.set(peepData, peep);
      e.mem.set(cData, c);
      e.cell4!(row, peep, c, h, groups, flags, clip);
      const cl = (v: number) => Math.max(-clip, Math.min(clip, v));
      for (let j = 0; j < n; j++) {
        let [gi, go, gf, gc] = [0, 1, 2, 3].map((g) => rowData[4 * j + g]!) as [number, number, number, number];
        const cp = cData[j]!;
        if (flags & 1) {
          gi += peepData[4 * j]! * cp;
          gf += peepData[4 * j + 2]! * cp;
        }
        const i = sig(cl(gi));
        const f = flags & 2 ? 1 - i : sig(cl(gf));
        const cn = f * cp + i * Math.tanh(cl(gc));
        if (flags & 1) go += peepData[4 * j + 1]! * cn;
        const hn = sig(cl(go)) * Math.tanh(cn);
        if (nanTrial && j === 0) {
          expect(Number.isNaN(e.mem[h]!), 'NaN in o reaches h').toBe(true);
          continue;
        }
        expect(Math.abs(e.mem[c + j]! - cn), `trial ${trial} c[${j}]`).toBeLessThan(1e-6);
        expect(Math.abs(e.mem[h + j]! - hn), `trial ${trial} h[${j}]`).toBeLessThan(1e-6);
      }
    }
  });
});

describe('the activations of cell4 over their whole range', () => {
  for (const kind of ['wasm-simd'] as const) {
    it(`${kind}: sigmoid(40) * tanh(x) within 3.2e-7 and sigmoid(x) * tanh(40) within 2.5e-7 of float64, from -40 to 40 and at the infinities`, () => {
      const xs = [...Array.from({ length: 4001 }, (_, i) => -40 + i * 0.02), -Infinity, Infinity, 1e-7, -1e-7, 0];
      while (xs.length % 4) xs.push(0);
      const n = xs.length;
      const e = createMatvecEngine(new Float32Array(4), kind);
      e.scratch(12 * n + 8);
      const row = e.scratchOff, peep = row + 4 * n, c = peep + 4 * n, h = c + n;
      // c_t = sigmoid(i) * tanh(g) from c_{t-1} = 0: i = 40 leaves tanh(g) (times sigmoid(40), 1 in f32),
      // g = 40 sigmoid(i) (times the kernel's tanh(40), 1 or 1 - 2^-24). The bounds: tanh's 3.0e-7, and
      // sigmoid's 1.6e-7 plus the roundings of the product (tools/scripts/fit-tanh.mjs prints both).
      for (const [what, set, want, tol] of [
        ['tanh', (j: number) => [40, 0, 0, xs[j]!], Math.tanh, 3.2e-7],
        ['sigmoid', (j: number) => [xs[j]!, 0, 0, 40], (x: number) => 1 / (1 + Math.exp(-x)), 2.5e-7],
      ] as const) {
        for (let j = 0; j < n; j++) e.mem.set(set(j), row + 4 * j);
        e.mem.fill(0, c, c + n);
        e.cell4!(row, peep, c, h, n / 4, 0, Infinity);
        let worst = 0;
        for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs(e.mem[c + j]! - want(Math.fround(xs[j]!))));
        expect(worst, what).toBeLessThanOrEqual(tol);
      }
    });
  }
});

describe('column products for zero-input skipping (zcols)', () => {
  for (const kind of ['wasm-simd', 'js'] as const) {
    it(`${kind}: out += sum of x_i * column(k_i) matches a float64 reference (n not a multiple of 4, n = 0)`, () => {
      const rng = new Rng(kind === 'js' ? 51 : 52);
      for (let trial = 0; trial < 30; trial++) {
        const H = rng.int(1, 40);
        const K = rng.int(1, 30);
        const cols = rng.f32(K * 4 * H);
        const e = createMatvecEngine(cols, kind);
        const n = trial === 0 ? 0 : rng.int(1, K);
        const ks = Array.from({ length: n }, () => rng.int(0, K - 1));
        const xv = rng.f32(n);
        e.scratch(2 * n + 4 * H + 8);
        const ksOff = e.scratchOff;
        const xvOff = ksOff + n;
        const out = Math.ceil((xvOff + n) / 4) * 4;
        new Int32Array(e.mem.buffer).set(ks.map((k) => k * 4 * H * e.sparseUnit), ksOff);
        e.mem.set(xv, xvOff);
        const o0 = rng.f32(4 * H);
        e.mem.set(o0, out);
        e.zcols(0, ksOff, xvOff, n, out, H);
        for (let r = 0; r < 4 * H; r++) {
          let want = o0[r]!;
          for (let i = 0; i < n; i++) want += xv[i]! * cols[ks[i]! * 4 * H + r]!;
          expect(Math.abs(e.mem[out + r]! - want), `trial ${trial} row ${r}`).toBeLessThan(1e-5);
        }
      }
    });
  }
});

describe('float32 sums in the order of k over output-channel units (mvc)', () => {
  /** Unit u's weights by the documented layout: quads of units interleaved per k, the units after them alone. */
  const packUnits = (w: Float32Array[][], K: number): Float32Array => {
    const U = w.length;
    const quads = U & ~3;
    const out = new Float32Array(4 * K * U);
    for (let u = 0; u < U; u++)
      for (let k = 0; k < K; k++)
        for (let c = 0; c < 4; c++) out[u < quads ? 4 * K * (u & ~3) + 16 * k + 4 * (u & 3) + c : 4 * K * u + 4 * k + c] = w[u]![c]![k]!;
    return out;
  };
  it(`each output is its value plus the float32 sum from zero of its products in order of k (unit and column tails, K = 1)`, () => {
    const rng = new Rng(82);
    const shapes: [number, number, number][] = [[1, 1, 1], [4, 1, 2], [5, 3, 3], [9, 17, 1], [3, 256, 4], [8, 7, 5], [11, 40, 2]];
    for (let t = 0; t < 12; t++) shapes.push([rng.int(1, 14), rng.int(1, 70), rng.int(1, 6)]);
    for (const [U, K, n] of shapes) {
      const w = Array.from({ length: U }, () => Array.from({ length: 4 }, () => rng.f32(K, -1, 1)));
      const wOff = 4; // not at 0: offsets must be honoured
      const packed = packUnits(w, K);
      const mem = new Float32Array(wOff + packed.length);
      mem.set(packed, wOff);
      const e = simdEngine(mem, 'wasm-simd')!;
      e.scratch(K * n + 4 * U * n + 8);
      const x = e.scratchOff;
      const o = x + Math.ceil((K * n) / 4) * 4;
      const xs = rng.f32(K * n, -2, 2);
      const o0 = rng.f32(4 * U * n + 4);
      e.mem.set(xs, x);
      e.mem.set(o0, o);
      e.mvc(wOff, x, o, U, K, n);
      for (let p = 0; p < n; p++)
        for (let u = 0; u < U; u++)
          for (let c = 0; c < 4; c++) {
            let s = 0;
            for (let k = 0; k < K; k++) s = Math.fround(s + Math.fround(w[u]![c]![k]! * xs[p * K + k]!));
            const i = p * 4 * U + 4 * u + c;
            expect(e.mem[o + i], `U ${U} K ${K} n ${n}: column ${p} unit ${u} channel ${c}`).toBe(Math.fround(o0[i]! + s));
          }
      expect(e.mem.subarray(o + 4 * U * n, o + 4 * U * n + 4), 'the floats after the last row').toEqual(o0.subarray(4 * U * n));
    }
  });
});

describe('depthwise 1-D convolution of stride 1 (dwc)', () => {
  it(`o[c][i] = b[c] + the float32 sum from zero of w[c][t] r[i + t*dil], taps in order, r channel c copied into the zeroed row at pad, rows os apart in order of c (dilations, one tap, one channel, spilling tails, offsets)`, () => {
    const rng = new Rng(92);
    for (const [C, kT, dil, L, pad, nv, os] of [[1, 1, 1, 4, 0, 1, 4], [1, 1, 1, 1, 0, 1, 1], [3, 5, 1, 11, 2, 3, 11], [258, 5, 1, 10, 2, 3, 10], [4, 3, 2, 7, 1, 2, 8], [2, 7, 3, 17, 9, 5, 17], [5, 2, 1, 2, 1, 1, 2], [6, 3, 1, 12, 0, 2, 12]] as const) {
      const wOff = 4;
      const w = rng.f32(C * kT, -1, 1);
      const mem = new Float32Array(wOff + C * kT);
      mem.set(w, wOff);
      const e = simdEngine(mem, 'wasm-simd')!;
      const rowLen = Math.max(pad + L, 4 * nv + (kT - 1) * dil) + 4;
      const bOff = e.scratchOff;
      const xOff = bOff + ((C + 3) & ~3);
      const rowOff = xOff + ((C * L + 3) & ~3);
      const oOff = rowOff + rowLen;
      const end = (C - 1) * os + 4 * nv; // the last row's last vector
      e.scratch(oOff + end + 4 - bOff);
      const [b, x, o0] = [rng.f32(C), rng.f32(C * L, -2, 2), rng.f32(end + 4)];
      e.mem.set(b, bOff);
      e.mem.set(x, xOff);
      e.mem.fill(0, rowOff, oOff);
      e.mem.set(o0, oOff);
      e.dwc(wOff, bOff, xOff, oOff, C, kT, dil, L, rowOff, pad, nv, os);
      const r = (c: number, i: number) => (i >= pad && i < pad + L ? x[c * L + i - pad]! : 0);
      for (let c = 0; c < C; c++)
        for (let i = 0; i < (c === C - 1 ? 4 * nv : Math.min(os, 4 * nv)); i++) {
          let s = 0;
          for (let t = 0; t < kT; t++) s = Math.fround(s + Math.fround(w[c * kT + t]! * r(c, i + t * dil)));
          expect(e.mem[oOff + c * os + i], `C ${C} kT ${kT} dil ${dil} L ${L} pad ${pad} os ${os}: channel ${c} position ${i}`).toBe(Math.fround(b[c]! + s));
        }
      expect(Array.from(e.mem.subarray(oOff + end, oOff + end + 4)), 'the floats after the last row').toEqual(Array.from(o0.subarray(end)));
      expect(Array.from(e.mem.subarray(xOff, xOff + C * L)), 'the input rows').toEqual(Array.from(x));
    }
  });
});

describe('float32 logarithms (logv)', () => {
  const bits = new Uint32Array(1);
  const asF32 = new Float32Array(bits.buffer);
  /** The gap between |v| and the next float32 up: one ulp at v. */
  const ulp = (v: number): number => {
    asF32[0] = Math.abs(v);
    bits[0]! += 1;
    return asF32[0]! - Math.abs(v);
  };
  const cases = (rng: Rng): Float32Array => {
    const u = new Uint32Array(1 << 16);
    for (let i = 0; i < u.length; i++) u[i] = rng.int(0, 0x7f7fffff); // every positive finite float, subnormals included
    const x = new Float32Array(u.buffer);
    for (let i = 0; i < 2048; i++) x[i] = 1 + (rng.next() - 0.5) * 2 ** -(i % 24); // near 1, where ln x is small
    x.set([0, -0, -1, -1e-30, Number.NaN, Infinity, -Infinity, 1, 2 ** -149, 2 ** -126, 3.4e38, Math.SQRT1_2, Math.fround(Math.SQRT1_2)], 2048);
    return x;
  };
  it(`within 1 ulp of the correctly rounded logarithm on 65,536 floats (subnormals, near 1), and Math.log's answer at 0, -0, negatives, NaN and the infinities`, () => {
    const x = cases(new Rng(94));
    const e = simdEngine(new Float32Array(4), 'wasm-simd')!;
    e.scratch(2 * x.length);
    const [at, out] = [e.scratchOff, e.scratchOff + x.length];
    e.mem.set(x, at);
    e.logv(at, out, x.length / 4);
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      const want = Math.fround(Math.log(x[i]!));
      const got = e.mem[out + i]!;
      if (!Number.isFinite(want)) {
        expect(got, `ln ${x[i]}`).toBe(want);
        continue;
      }
      worst = Math.max(worst, Math.abs(got - want) / ulp(want));
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(Array.from(e.mem.subarray(at, at + x.length)), 'the input is left as it was').toEqual(Array.from(x));
  });
});

describe('element-wise float32 operations (vbin, vun)', () => {
  const SPECIAL = [0, -0, Infinity, -Infinity, Number.NaN, 1e-45, -1e-40, 3.4e38, -3.4e38, 1, -1, 0.1];
  const BIN: ((a: number, b: number) => number)[] = [(a, b) => a + b, (a, b) => a - b, (a, b) => a * b, (a, b) => a / b];
  const UN: ((a: number) => number)[] = [(a) => (a > 0 ? a : 0), Math.sqrt, (a) => -a, Math.abs];
  const same = (got: number, want: number) => (Number.isNaN(want) ? Number.isNaN(got) : Object.is(got, want));
  it(`add, sub, mul, div over rows with each operand full, one element, a row repeated or one element per row, relu, sqrt, neg, abs: float32 arithmetic's bits, nothing written past the vectors`, () => {
    const rng = new Rng(98);
    const e = simdEngine(new Float32Array(4), 'wasm-simd')!;
    for (const nv of [1, 3, 17]) {
      e.scratch(12 * nv + 4);
      const [x, y, o] = [e.scratchOff, e.scratchOff + 4 * nv, e.scratchOff + 8 * nv];
      const xs = rng.f32(4 * nv, -4, 4);
      const ys = rng.f32(4 * nv, -4, 4);
      SPECIAL.forEach((v, i) => { xs[(3 * i) % (4 * nv)] = v; ys[(5 * i + 1) % (4 * nv)] = SPECIAL[(i + 4) % SPECIAL.length]!; });
      // rows x (nv / rows) vectors; each operand: the full shape, one element, a row repeated, one element per row
      const rows = nv === 17 ? 1 : nv;
      const per = nv / rows;
      const forms: [string, number, number, (i: number) => number][] = [
        ['full', 4, 4 * per, (i) => i],
        ['scalar', 0, 0, () => 0],
        ['row repeated', 4, 0, (i) => i % (4 * per)],
        ['one per row', 0, 1, (i) => Math.floor(i / (4 * per))],
      ];
      for (let kindOp = 0; kindOp < 4; kindOp++)
        for (const [xn, xi, xr, xAt] of forms)
          for (const [yn, yi, yr, yAt] of forms) {
            e.mem.set(xs, x);
            e.mem.set(ys, y);
            e.mem.fill(7, o, o + 4 * nv + 4);
            e.vbin(kindOp, x, xi, xr, y, yi, yr, o, rows, per);
            for (let i = 0; i < 4 * nv; i++) {
              const want = Math.fround(BIN[kindOp]!(xs[xAt(i)]!, ys[yAt(i)]!));
              expect(same(e.mem[o + i]!, want), `op ${kindOp} x ${xn} y ${yn} rows ${rows}: ${i}: ${e.mem[o + i]} vs ${want}`).toBe(true);
            }
            expect(Array.from(e.mem.subarray(o + 4 * nv, o + 4 * nv + 4))).toEqual([7, 7, 7, 7]);
          }
      for (let kindOp = 0; kindOp < 4; kindOp++) {
        e.mem.set(xs, x);
        e.vun(kindOp, x, o, nv);
        for (let i = 0; i < 4 * nv; i++) {
          const want = Math.fround(UN[kindOp]!(xs[i]!));
          expect(same(e.mem[o + i]!, want), `unary ${kindOp} nv ${nv}: ${i}: ${e.mem[o + i]} vs ${want}`).toBe(true);
        }
      }
    }
  });
});

describe('the transposed write-back (tback), spmmT\'s operand transpose (xpose) and the gather (gatherF32)', () => {
  for (const kind of ['wasm-simd', 'js'] as const) {
    it(`${kind}: tback writes add_r + outT[.][r] to dst_r (count not a multiple of four; a shared bias, and rows as their own addends)`, () => {
      const rng = new Rng(kind === 'js' ? 71 : 72);
      for (const [H4, count, own] of [[4, 1, false], [8, 5, true], [12, 16, false], [20, 7, true], [16, 3, false]] as const) {
        const n = Math.ceil(count / 16) * 16;
        const slots = count + 3; // three rows after the last: they must keep what they hold
        const e = createMatvecEngine(new Float32Array(4), kind);
        e.scratch(H4 * n + slots * H4 + H4 + 2 * n + 8);
        const [oT, xp] = [e.scratchOff, e.scratchOff + H4 * n];
        const bias = xp + slots * H4;
        const lists = bias + H4;
        const [t, b, rows] = [rng.f32(H4 * n), rng.f32(H4), rng.f32(slots * H4)];
        e.mem.set(t, oT);
        e.mem.set(b, bias);
        e.mem.set(rows, xp);
        // vector r goes to row slot count-1-r (reversed order)
        const ints = new Int32Array(e.mem.buffer, e.mem.byteOffset + 4 * lists, 2 * n);
        for (let r = 0; r < n; r++) {
          const dst = xp + (r < count ? count - 1 - r : count) * H4; // past count: the row after (stores there are a bug)
          ints[r] = dst * e.sparseUnit;
          ints[n + r] = (own ? dst : bias) * e.sparseUnit;
        }
        e.tback(oT, n, lists, lists + n, H4, count);
        for (let r = 0; r < count; r++) {
          const slot = count - 1 - r;
          for (let i = 0; i < H4; i++) {
            const add = own ? rows[slot * H4 + i]! : b[i]!;
            expect(e.mem[xp + slot * H4 + i], `${H4}x${count}: vector ${r} col ${i}`).toBe(Math.fround(t[i * n + r]! + add));
          }
        }
        expect(Array.from(e.mem.subarray(xp + count * H4, xp + slots * H4)), `${H4}x${count}: the rows after`).toEqual(Array.from(rows.subarray(count * H4)));
      }
    });

    it(`${kind}: xpose puts float k of vector i at xT[k][i], vectors anywhere in memory (listed at sparseUnit), one vector listed twice`, () => {
      const rng = new Rng(kind === 'js' ? 73 : 74);
      for (const [n, Kq] of [[4, 1], [16, 3], [32, 1], [16, 10], [48, 7]] as const) {
        const e = createMatvecEngine(new Float32Array(4), kind);
        const vecs = n * 4 * Kq + 4 * Kq; // the vectors, in shuffled slots, and a gap
        e.scratch(vecs + 4 * Kq * n + n + 8);
        const base = e.scratchOff;
        const xT = base + vecs;
        const list = xT + 4 * Kq * n;
        const data = rng.f32(vecs);
        e.mem.set(data, base);
        const slot = Array.from({ length: n }, (_v, i) => (i === n - 1 ? 0 : i + 1)); // the last vector is slot 0 again, as a zero vector is
        slot[0] = 0;
        const ints = new Int32Array(e.mem.buffer, e.mem.byteOffset + 4 * list, n);
        for (let i = 0; i < n; i++) ints[i] = (base + slot[i]! * 4 * Kq) * e.sparseUnit;
        e.mem.fill(Number.NaN, xT, xT + 4 * Kq * n);
        e.xpose(list, n, Kq, xT);
        for (let i = 0; i < n; i++)
          for (let k = 0; k < 4 * Kq; k++) expect(e.mem[xT + k * n + i], `n ${n} Kq ${Kq}: vector ${i} float ${k}`).toBe(data[slot[i]! * 4 * Kq + k]);
      }
    });

    it(`${kind}: gatherF32 writes src[idx[i]] for i < n, repeats and any order, and nothing past n`, () => {
      const rng = new Rng(kind === 'js' ? 83 : 84);
      for (const [srcLen, n] of [[1, 1], [7, 5], [40, 97], [300, 64], [5, 0]] as const) {
        const e = createMatvecEngine(new Float32Array(4), kind);
        const idxLen = (n + 3) & ~3;
        e.scratch(srcLen + 4 + idxLen + (n + 2));
        const src = e.scratchOff;
        const idxOff = src + ((srcLen + 3) & ~3);
        const d32 = idxOff + idxLen;
        const data = rng.f32(srcLen);
        e.mem.set(data, src);
        const idx = Array.from({ length: n }, () => rng.int(0, srcLen - 1));
        e.ints().set(idx, idxOff);
        e.mem.fill(Number.NaN, d32, d32 + n + 2);
        e.gatherF32(d32, src, idxOff, n);
        expect(Array.from(e.mem.subarray(d32, d32 + n))).toEqual(idx.map((i) => data[i]!));
        expect([...e.mem.subarray(d32 + n, d32 + n + 2)].every(Number.isNaN), `past n = ${n}`).toBe(true);
      }
    });
  }
});
