import { copyRun } from '@lstmc/ops';
import type { ResolvedActivation } from './activations.js';
import type { MatvecEngine } from './matvec-engine.js';
import type { RowProduct } from './row-products.js';

/** Everything one direction needs to run its time steps over every batch entry. */
export interface RecurrenceArgs {
  readonly e: MatvecEngine;
  /** The recurrent product: each active entry's row += R h_{t-1}, all entries of a step in one call. */
  readonly recur: RowProduct;
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
  /** Scratch of B entries each: the active batch entries of a step, their h and row offsets. */
  readonly active: Int32Array;
  readonly xs: Int32Array;
  readonly outs: Int32Array;
}

/**
 * Runs one direction. At step s, batch entry b is active while s < lens[b] and processes time index
 * t = s (forward) or lens[b]-1-s (reverse: each entry starts at its own last valid step). Per step, one
 * call of the recurrent product adds R * h_{t-1} for all four gates into every active entry's
 * projection row in place (the product decides how the entries share weight loads), then the cell update turns each
 * row into c_t and h_t (in engine memory; h is read by the next step): with the default activations
 * and an engine that has it, by the vectorized cell4 for whole groups of four units. Allocates nothing.
 * The caller must not grow the engine's scratch while this runs.
 */
export function runRecurrence(a: RecurrenceArgs): void {
  const { e, recur, H, B, lens, reverse, active, xs, outs, hOff, hStride, xpOff } = a;
  const H4 = 4 * H;
  let maxLen = 0;
  for (let b = 0; b < B; b++) maxLen = Math.max(maxLen, lens[b]!);
  const fast = e.cell4 !== undefined && a.f.name === 'sigmoid' && a.g.name === 'tanh' && a.h.name === 'tanh';
  const groups = fast ? H >> 2 : 0;
  const flags = (a.usePeepholes ? 1 : 0) | (a.inputForget ? 2 : 0);
  // All entries have one length: at every step they are all active at the same t.
  let uniform = true;
  for (let b = 1; b < B; b++) if (lens[b] !== lens[0]) uniform = false;
  const rowOf = (s: number, b: number) => xpOff + ((reverse ? lens[b]! - 1 - s : s) * B + b) * H4;
  // One or two entries of one length on a dense product without threads: every step in one call
  // (MatvecEngine.steps: the same calls as the loop below, from WebAssembly), then the saved h into Y.
  const dense = recur.dense;
  if (e.steps && dense && fast && uniform && B <= 2 && hStride === H && groups > 0) {
    e.steps(dense.wOff, dense.Kq, dense.ws, H, xpOff, hOff, a.cOff, a.peepOff, flags, a.clip, maxLen, B, reverse);
    for (let t = 0; t < maxLen; t++) storeY(a, t, xpOff + t * B * H4);
    return;
  }
  for (let s = 0; s < maxLen; s++) {
    let n = 0;
    for (let b = 0; b < B; b++) if (s < lens[b]!) active[n++] = b;
    for (let k = 0; k < n; k++) {
      xs[k] = hOff + active[k]! * hStride;
      outs[k] = rowOf(s, active[k]!);
    }
    recur(n, xs, outs);
    // Every entry active at the same t with unpadded states: the rows, c and h of the entries are each
    // one contiguous run, so one cell4 call (without peepholes, which are per unit) and one Y copy serve all.
    if (n === B && uniform && hStride === H) {
      const t = reverse ? lens[0]! - 1 - s : s;
      const row = rowOf(s, 0);
      if (groups > 0 && !a.usePeepholes) e.cell4!(row, a.peepOff, a.cOff, hOff, B * groups, flags, a.clip);
      for (let b = 0; b < B; b++) {
        if (groups > 0 && a.usePeepholes) e.cell4!(row + b * H4, a.peepOff, a.cOff + b * hStride, hOff + b * hStride, groups, flags, a.clip);
        cellUpdate(a, row + b * H4, hOff + b * hStride, a.cOff + b * hStride, 4 * groups);
      }
      storeY(a, t, hOff);
      continue;
    }
    for (let k = 0; k < n; k++) {
      const b = active[k]!;
      const t = reverse ? lens[b]! - 1 - s : s;
      const row = rowOf(s, b);
      if (groups > 0) e.cell4!(row, a.peepOff, a.cOff + b * hStride, hOff + b * hStride, groups, flags, a.clip);
      cellUpdate(a, row, hOff + b * hStride, a.cOff + b * hStride, 4 * groups);
      if (a.y) copyRun(a.y, t * a.yStepT + b * a.yStepB + a.yBase, e.mem, hOff + b * hStride, H);
    }
  }
}

/**
 * Every entry's h of time t, entry b's H floats at src + b*H in engine memory, into Y (when wanted):
 * one run where Y holds the entries of a step together. Short rows by a loop (copyRun): a subarray and
 * set() cost about 50 ns whatever the length.
 */
function storeY(a: RecurrenceArgs, t: number, src: number): void {
  const { y, H, B } = a;
  if (!y) return;
  if (a.yStepB === H) copyRun(y, t * a.yStepT + a.yBase, a.e.mem, src, B * H);
  else for (let b = 0; b < B; b++) copyRun(y, t * a.yStepT + b * a.yStepB + a.yBase, a.e.mem, src + b * H, H);
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
