import type { ResolvedActivation } from './activations.js';
import type { MatvecEngine } from './matvec-engine.js';

/** Everything one direction needs to run its time steps over every batch entry. */
export interface RecurrenceArgs {
  readonly e: MatvecEngine;
  /** out[j*4 + g] += (R h)[g*H + j] for h at x (float offsets in engine memory), one or two vectors at once. */
  readonly mv1: (x: number, out: number) => void;
  readonly mv2: (x0: number, x1: number, o0: number, o1: number) => void;
  /** Float offset in engine memory of this direction's peephole section. */
  readonly peepOff: number;
  /** h of batch entry b at hOff + b*hStride (in: initial h; out: final h). hStride = 4*ceil(H/4), zero padded. */
  readonly hOff: number;
  readonly hStride: number;
  readonly usePeepholes: boolean;
  readonly H: number;
  readonly B: number;
  /** Input projections incl. bias in engine memory, [t*B + b][j][4]. */
  readonly xpOff: number;
  readonly f: ResolvedActivation;
  readonly g: ResolvedActivation;
  readonly h: ResolvedActivation;
  /** Clip threshold, or Infinity for no clip. */
  readonly clip: number;
  readonly inputForget: boolean;
  /** c of batch entry b at cOff + b*hStride in engine memory (in: initial c; out: final c). */
  readonly cOff: number;
  /** Y output (or null): h of step t, batch b goes to t * yStepT + b * yStepB + yBase. */
  readonly y: Float32Array | null;
  readonly yStepT: number;
  readonly yStepB: number;
  readonly yBase: number;
  /** Valid length of each batch entry. */
  readonly lens: Int32Array;
  readonly reverse: boolean;
  /** Scratch of B entries (active batch entries of a step). */
  readonly active: Int32Array;
}

/**
 * Runs one direction. At step s, batch entry b is active while s < lens[b] and processes time index
 * t = s (forward) or lens[b]-1-s (reverse: each entry starts at its own last valid step). Per step, the
 * active entries go two at a time through mv2, which adds R * h_{t-1} for all four gates into each
 * entry's projection row in place (one pass over R for two entries), then the cell update turns each
 * row into c_t and h_t (in engine memory; h is read by the next step): with the default activations
 * and an engine that has it, by the vectorized cell4 for whole groups of four units. Allocates nothing.
 * The caller must not grow the engine's scratch while this runs.
 */
export function runRecurrence(a: RecurrenceArgs): void {
  const { e, mv1, mv2, H, B, lens, reverse, active, hOff, hStride, xpOff } = a;
  const H4 = 4 * H;
  let maxLen = 0;
  for (let b = 0; b < B; b++) maxLen = Math.max(maxLen, lens[b]!);
  const fast = e.cell4 !== undefined && a.f.name === 'sigmoid' && a.g.name === 'tanh' && a.h.name === 'tanh';
  const groups = fast ? H >> 2 : 0;
  const flags = (a.usePeepholes ? 1 : 0) | (a.inputForget ? 2 : 0);
  const rowOf = (s: number, b: number) => xpOff + ((reverse ? lens[b]! - 1 - s : s) * B + b) * H4;
  for (let s = 0; s < maxLen; s++) {
    let n = 0;
    for (let b = 0; b < B; b++) if (s < lens[b]!) active[n++] = b;
    let k = 0;
    for (; k + 2 <= n; k += 2) {
      const b0 = active[k]!, b1 = active[k + 1]!;
      mv2(hOff + b0 * hStride, hOff + b1 * hStride, rowOf(s, b0), rowOf(s, b1));
    }
    if (k < n) mv1(hOff + active[k]! * hStride, rowOf(s, active[k]!));
    for (k = 0; k < n; k++) {
      const b = active[k]!;
      const t = reverse ? lens[b]! - 1 - s : s;
      const row = rowOf(s, b);
      if (groups > 0) e.cell4!(row, a.peepOff, a.cOff + b * hStride, hOff + b * hStride, groups, flags, a.clip);
      cellUpdate(a, row, hOff + b * hStride, a.cOff + b * hStride, 4 * groups);
      if (a.y) a.y.set(e.mem.subarray(hOff + b * hStride, hOff + b * hStride + H), t * a.yStepT + b * a.yStepB + a.yBase);
    }
  }
}

/** Gate activations and state update of units j0..H-1 of one batch entry for one step, from its pre-activation row. */
function cellUpdate(a: RecurrenceArgs, row: number, hAt: number, cAt: number, j0: number): void {
  const { H, peepOff, usePeepholes, clip, inputForget } = a;
  const m = a.e.mem;
  const c = m;
  const fAct = a.f.fn;
  const gAct = a.g.fn;
  const hAct = a.h.fn;
  for (let j = j0, q = row + 4 * j0, pp = peepOff + 4 * j0; j < H; j++, q += 4, pp += 4) {
    let gi = m[q]!;
    let go = m[q + 1]!;
    let gf = m[q + 2]!;
    let gc = m[q + 3]!;
    const cPrev = c[cAt + j]!;
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
    c[cAt + j] = fg * cPrev + ig * gAct(gc);
    const cNew = c[cAt + j]!;
    if (usePeepholes) go += m[pp + 1]! * cNew;
    if (go > clip) go = clip; else if (go < -clip) go = -clip;
    m[hAt + j] = fAct(go) * hAct(cNew);
  }
}
