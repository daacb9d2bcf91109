import type { ResolvedActivation } from './activations.js';

/** Everything one direction of one batch entry needs to run its time steps. */
export interface RecurrenceArgs {
  /** Packed weights (pack.ts) and the offsets of this direction's R, peephole sections. */
  readonly w: Float32Array;
  readonly rOff: number;
  readonly peepOff: number;
  readonly usePeepholes: boolean;
  readonly H: number;
  /** Input projections incl. bias, [row][j][4]; row of time step t is `t * xpRowStep + xpRowBase`. */
  readonly xp: Float32Array;
  readonly xpRowStep: number;
  readonly xpRowBase: number;
  readonly f: ResolvedActivation;
  readonly g: ResolvedActivation;
  readonly h: ResolvedActivation;
  /** Clip threshold, or Infinity for no clip. */
  readonly clip: number;
  readonly inputForget: boolean;
  /** Scratch: h of the previous step (in: initial h), next h, and c (in: initial c; updated in place). */
  readonly hPrev: Float32Array;
  readonly hNext: Float32Array;
  readonly c: Float32Array;
  /** Y output (or null), and where step t of this direction/batch goes: t * yStep + yBase. */
  readonly y: Float32Array | null;
  readonly yStep: number;
  readonly yBase: number;
}

/**
 * Runs `len` steps over time indices t = 0..len-1 (forward) or len-1..0 (reverse).
 * Returns the buffer holding the final h (hPrev or hNext, they swap every step); c holds the final c.
 * Allocates nothing: every buffer comes in through `a`.
 */
export function runRecurrence(a: RecurrenceArgs, len: number, reverse: boolean): Float32Array {
  const { w, rOff, peepOff, usePeepholes, H, xp, xpRowStep, xpRowBase, clip, inputForget, c, y, yStep, yBase } = a;
  const fAct = a.f.fn;
  const gAct = a.g.fn;
  const hAct = a.h.fn;
  let hp = a.hPrev;
  let hn = a.hNext;
  const H4 = 4 * H;
  const hOdd = H & 1;
  const hEven = H - hOdd;
  for (let s = 0; s < len; s++) {
    const t = reverse ? len - 1 - s : s;
    const xo = (t * xpRowStep + xpRowBase) * H4;
    for (let j = 0; j < H; j++) {
      // Fused matvec: all four gate rows of unit j in one pass over a contiguous 4*H stream.
      let p = rOff + j * H4;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
      for (let k = 0; k < hEven; k += 2, p += 8) {
        const u = hp[k]!;
        const v = hp[k + 1]!;
        a0 += w[p]! * u; a1 += w[p + 1]! * u; a2 += w[p + 2]! * u; a3 += w[p + 3]! * u;
        b0 += w[p + 4]! * v; b1 += w[p + 5]! * v; b2 += w[p + 6]! * v; b3 += w[p + 7]! * v;
      }
      if (hOdd) {
        const u = hp[hEven]!;
        a0 += w[p]! * u; a1 += w[p + 1]! * u; a2 += w[p + 2]! * u; a3 += w[p + 3]! * u;
      }
      const q = xo + j * 4;
      let gi = xp[q]! + a0 + b0;
      let go = xp[q + 1]! + a1 + b1;
      let gf = xp[q + 2]! + a2 + b2;
      let gc = xp[q + 3]! + a3 + b3;
      const cPrev = c[j]!;
      if (usePeepholes) {
        gi += w[peepOff + j * 3]! * cPrev;
        gf += w[peepOff + j * 3 + 2]! * cPrev;
      }
      if (gi > clip) gi = clip; else if (gi < -clip) gi = -clip;
      if (gc > clip) gc = clip; else if (gc < -clip) gc = -clip;
      const ig = fAct(gi);
      let fg: number;
      if (inputForget) fg = 1 - ig;
      else {
        if (gf > clip) gf = clip; else if (gf < -clip) gf = -clip;
        fg = fAct(gf);
      }
      c[j] = fg * cPrev + ig * gAct(gc);
      const cNew = c[j]!;
      if (usePeepholes) go += w[peepOff + j * 3 + 1]! * cNew;
      if (go > clip) go = clip; else if (go < -clip) go = -clip;
      hn[j] = fAct(go) * hAct(cNew);
    }
    if (y) y.set(hn, t * yStep + yBase);
    const tmp = hp;
    hp = hn;
    hn = tmp;
  }
  return hp;
}
