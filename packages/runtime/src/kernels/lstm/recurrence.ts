import type { ResolvedActivation } from './activations.js';
import type { MatvecEngine } from './matvec-engine.js';

/** Everything one direction of one batch entry needs to run its time steps. */
export interface RecurrenceArgs {
  readonly e: MatvecEngine;
  /** Float offsets in engine memory: this direction's R and peephole sections, h (H floats, holds h_{t-1}). */
  readonly rOff: number;
  readonly peepOff: number;
  readonly hOff: number;
  readonly usePeepholes: boolean;
  readonly H: number;
  /** Input projections incl. bias in engine memory, [row][j][4]; row of step t is t * xpRowStep + xpRowBase. */
  readonly xpOff: number;
  readonly xpRowStep: number;
  readonly xpRowBase: number;
  readonly f: ResolvedActivation;
  readonly g: ResolvedActivation;
  readonly h: ResolvedActivation;
  /** Clip threshold, or Infinity for no clip. */
  readonly clip: number;
  readonly inputForget: boolean;
  /** c (in: initial c; updated in place). */
  readonly c: Float32Array;
  /** Y output (or null), and where step t of this direction/batch goes: t * yStep + yBase. */
  readonly y: Float32Array | null;
  readonly yStep: number;
  readonly yBase: number;
}

/**
 * Runs `len` steps over time indices t = 0..len-1 (forward) or len-1..0 (reverse). Per step: one fused
 * matvec adds R * h_{t-1} for all four gates into the step's projection row (in place), then the cell
 * update turns the row into c_t (in `c`) and h_t (in engine memory at hOff, read by the next step).
 * Allocates nothing. The caller must not grow the engine's scratch while this runs.
 */
export function runRecurrence(a: RecurrenceArgs, len: number, reverse: boolean): void {
  const { e, rOff, peepOff, hOff, usePeepholes, H, xpOff, xpRowStep, xpRowBase, clip, inputForget, c, y, yStep, yBase } = a;
  const fAct = a.f.fn;
  const gAct = a.g.fn;
  const hAct = a.h.fn;
  const m = e.mem;
  const H4 = 4 * H;
  for (let s = 0; s < len; s++) {
    const t = reverse ? len - 1 - s : s;
    const row = xpOff + (t * xpRowStep + xpRowBase) * H4;
    e.mv1(rOff, hOff, row, H, H, H4);
    for (let j = 0, q = row, pp = peepOff; j < H; j++, q += 4, pp += 4) {
      let gi = m[q]!;
      let go = m[q + 1]!;
      let gf = m[q + 2]!;
      let gc = m[q + 3]!;
      const cPrev = c[j]!;
      if (usePeepholes) {
        gi += m[pp]! * cPrev;
        gf += m[pp + 2]! * cPrev;
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
      if (usePeepholes) go += m[pp + 1]! * cNew;
      if (go > clip) go = clip; else if (go < -clip) go = -clip;
      m[hOff + j] = fAct(go) * hAct(cNew);
    }
    if (y) y.set(m.subarray(hOff, hOff + H), t * yStep + yBase);
  }
}
