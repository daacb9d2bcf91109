import { fail } from '@lstmc/ir';
import { productShifts } from '@lstmc/runtime/fixed';
import { layerWeightResidency, streamTiles, tileBufferOffset, usesSparseInput, usesSparseWeights, type MatvecMode, type WeightTile } from '@lstmc/target';
import { WIDTHS } from '../isa/fields.js';
import type { Mnemonic } from '../isa/table.js';
import { addConsts, addMatrix, emit, here, matrixLayout, type Builder } from './builder.js';
import type { DirPlan } from './lstm-plan.js';

/** DRAM regions one direction reads and writes (word addresses). */
export interface DirRegions {
  /** x_t is the concatenation of these per-step sources (address of step 0, width). */
  readonly x: readonly { readonly addr: number; readonly width: number }[];
  readonly y: number;
  readonly h0: number | null;
  readonly c0: number | null;
  readonly yh: number;
  readonly yc: number;
  /** A region of zeros at least H words long. */
  readonly zeros: number;
}

const MV: Record<MatvecMode, Mnemonic> = { dense: 'mv.d', 'sparse-weight': 'mv.sw', 'sparse-input': 'mv.si', 'sparse-both': 'mv.sb' };

/** Vector memory layout of a direction: x | h | c | gates (4H) | tanh(c). */
export function vmemLayout(I: number, H: number) {
  const x = 0;
  const h = x + I;
  const c = h + H;
  const g = c + H;
  const tc = g + 4 * H;
  return { x, h, c, g, tc, words: tc + H };
}

/**
 * Emit the microcode of one LSTM direction. The step sequence follows
 * stepVectorOps (@lstmc/target) and lstmStepFixed (runtime/src/fixed):
 * W then R into the accumulators, bias, peepholes, activations, cell, h.
 * Returns the vector memory words and accumulator rows it uses.
 */
export function lowerDirection(b: Builder, d: DirPlan, r: DirRegions, name: string): { vmem: number; acc: number } {
  const t = b.target;
  const l = d.layer;
  const H = l.hidden;
  const I = l.input;
  const vm = vmemLayout(I, H);
  if (vm.words > 2 ** WIDTHS.vaddr || 4 * H > 2 ** WIDTHS.aaddr) {
    fail('E-ACCEL-TOO-LARGE', `layer needs ${vm.words} vector-memory words and ${4 * H} accumulators; the accelerator has ${2 ** WIDTHS.vaddr} and ${2 ** WIDTHS.aaddr}`, { node: d.node.name });
  }
  const sh = productShifts(l);
  const wSparse = usesSparseWeights(d.modeW);
  const rSparse = usesSparseWeights(d.modeR);
  const plan = {
    features: { hidden: H, bias: !!l.bias, peephole: !!l.peephole, inputForget: l.inputForget },
    input: I,
    w: { layout: matrixLayout(t, l.W, 4 * H, I, wSparse, d.assignment), mode: d.modeW },
    r: { layout: matrixLayout(t, l.R, 4 * H, H, rSparse, d.assignment), mode: d.modeR },
  };
  const res = layerWeightResidency(plan, t);
  const tiles = res.streaming ? streamTiles(plan.w, plan.r, t) : null;
  if (res.streaming && !tiles) {
    fail('E-ACCEL-TOO-LARGE', `a single weight column of the layer needs more than half of the ${t.weightSramBytesPerPe}-byte weight SRAM per PE, which double-buffered streaming needs`, { node: d.node.name });
  }
  const add = (k: { matrix: 'w' | 'r'; c0: number; c1: number }, label: string) =>
    k.matrix === 'w' ? addMatrix(b, label, l.W, 4 * H, I, wSparse, sh.w, d.assignment, k.c0, k.c1) : addMatrix(b, label, l.R, 4 * H, H, rSparse, sh.r, d.assignment, k.c0, k.c1);
  const W = tiles ? null : add({ matrix: 'w', c0: 0, c1: I }, `${name}/W`);
  const R = tiles ? null : add({ matrix: 'r', c0: 0, c1: H }, `${name}/R`);
  const tileMats = tiles ? tiles.map((k) => add(k, `${name}/${k.matrix.toUpperCase()}[${k.c0}:${k.c1}]`).index) : [];
  const biasK = l.bias ? addConsts(b, l.bias) : 0;
  const peepK = l.peephole ? addConsts(b, l.peephole) : 0;

  // prologue
  if (l.clip !== null) emit(b, 'cfg', { r: 0, v: l.clip });
  if (l.peephole) emit(b, 'cfg', { r: 1, v: sh.p });
  if (W && R) {
    emit(b, 'dma.w', { m: W.index, o: 0 });
    emit(b, 'dma.w', { m: R.index, o: Math.max(0, ...W.bytesPerPe) });
  } else emit(b, 'dma.w', { m: tileMats[0], o: tileBufferOffset(0, t) });
  emit(b, 'dma.ld', { v: vm.h, d: r.h0 ?? r.zeros, n: H, t: 0 });
  emit(b, 'dma.ld', { v: vm.c, d: r.c0 ?? r.zeros, n: H, t: 0 });
  emit(b, 'sync');
  const loop = emit(b, isReverse(d) ? 'tloop.r' : 'tloop.f', { len: d.node.inputs[4] ? 1 : 0, end: 0 });

  // one time step
  let off = 0;
  for (const s of r.x) {
    emit(b, 'dma.ld', { v: vm.x + off, d: s.addr, n: s.width, t: 1 });
    off += s.width;
  }
  emit(b, 'sync');
  if (W && R) {
    product(b, W.index, vm.x, I, d.modeW, d.runtimeW, true);
    product(b, R.index, vm.h, H, d.modeR, d.runtimeR, false);
  } else {
    streamedProduct(b, tiles!, tileMats, 'w', vm.x, I, d.modeW, d.runtimeW);
    streamedProduct(b, tiles!, tileMats, 'r', vm.h, H, d.modeR, d.runtimeR);
  }
  if (l.bias) emit(b, 'v.bias', { a: 0, k: biasK, n: 4 * H });
  const act = (mn: 'act.sig' | 'act.tanh', dst: number, src: number, n: number, fromAcc: boolean) =>
    emit(b, mn, { d: dst, src: fromAcc ? 0 : 1, s: src, n, f: fromAcc ? l.fmt.acc : l.fmt.c, c: fromAcc && l.clip !== null ? 1 : 0 });
  if (l.peephole) {
    emit(b, 'v.peep', { a: 0, k: peepK, c: vm.c, n: H });
    emit(b, 'v.peep', { a: 2 * H, k: peepK + 2 * H, c: vm.c, n: H });
    act('act.sig', vm.g, 0, H, true);
    act('act.sig', vm.g + 2 * H, 2 * H, H, true);
  } else {
    act('act.sig', vm.g, 0, 3 * H, true);
  }
  act('act.tanh', vm.g + 3 * H, 3 * H, H, true);
  if (l.inputForget) emit(b, 'v.om', { d: vm.g + 2 * H, s: vm.g, n: H });
  emit(b, 'v.cell', { c: vm.c, g: vm.g, n: H, f: l.fmt.c });
  if (l.peephole) {
    emit(b, 'v.peep', { a: H, k: peepK + H, c: vm.c, n: H });
    act('act.sig', vm.g + H, H, H, true);
  }
  act('act.tanh', vm.tc, vm.c, H, false);
  emit(b, 'v.mul', { d: vm.h, a: vm.g + H, b: vm.tc, n: H });
  emit(b, 'dma.st', { d: r.y, v: vm.h, n: H, t: 1 });
  emit(b, 'tnext');
  b.code[loop].operands.end = here(b);

  // epilogue
  emit(b, 'dma.st', { d: r.yh, v: vm.h, n: H, t: 0 });
  emit(b, 'dma.st', { d: r.yc, v: vm.c, n: H, t: 0 });
  return { vmem: vm.words, acc: 4 * H };
}

function isReverse(d: DirPlan): boolean {
  const dir = d.node.attrs.direction?.value ?? 'forward';
  return dir === 'reverse' || (dir === 'bidirectional' && d.dir === 1);
}

/** A matrix-vector product, with the zero scan its mode needs, or a run-time choice between two modes. */
function product(
  b: Builder,
  m: number,
  v: number,
  n: number,
  mode: MatvecMode,
  runtime: { high: MatvecMode; zeroCount: number } | null,
  clear: boolean,
): void {
  const z = clear ? 1 : 0;
  if (!runtime) {
    if (usesSparseInput(mode)) emit(b, 'zscan', { v, n });
    emit(b, MV[mode], { m, v, a: 0, z });
    return;
  }
  emit(b, 'zscan', { v, n });
  const br = emit(b, 'bzc', { th: Math.min(runtime.zeroCount, 2 ** WIDTHS.count - 1), target: 0 });
  emit(b, MV[mode], { m, v, a: 0, z });
  const j = emit(b, 'jmp', { target: 0 });
  b.code[br].operands.target = here(b);
  emit(b, MV[runtime.high], { m, v, a: 0, z });
  b.code[j].operands.target = here(b);
}

/**
 * The products of one matrix's tiles in the double-buffered order of
 * streamedProductOrder (@lstmc/target): the zero scan of the whole vector when
 * the mode reads it, then per tile the prefetch of the next tile (W's last
 * tile prefetches R's first, R's last the next step's tile 0) into the other
 * SRAM half, the tile's product on its input columns, and a sync for the
 * prefetched tile (but after the last one). A run-time decision
 * emits the tile sequence once per mode; both issue the same transfers.
 */
function streamedProduct(
  b: Builder,
  tiles: readonly WeightTile[],
  mats: readonly number[],
  which: 'w' | 'r',
  v: number,
  n: number,
  mode: MatvecMode,
  runtime: { high: MatvecMode; zeroCount: number } | null,
): void {
  const t = b.target;
  const mine = tiles.flatMap((k, i) => (k.matrix === which ? [i] : []));
  const body = (md: MatvecMode) => {
    for (const k of mine) {
      const next = (k + 1) % tiles.length;
      // an odd count puts the last tile and tile 0 in the same buffer: prefetch after the product
      const after = next === 0 && tiles.length % 2 === 1;
      if (!after) emit(b, 'dma.w', { m: mats[next], o: tileBufferOffset(next, t) });
      emit(b, MV[md], { m: mats[k], v: v + tiles[k].c0, a: 0, z: which === 'w' && k === mine[0] ? 1 : 0 });
      if (after) emit(b, 'dma.w', { m: mats[0], o: tileBufferOffset(0, t) });
      if (k + 1 < tiles.length) emit(b, 'sync');
    }
  };
  if (!runtime) {
    if (usesSparseInput(mode)) emit(b, 'zscan', { v, n });
    body(mode);
    return;
  }
  emit(b, 'zscan', { v, n });
  const br = emit(b, 'bzc', { th: Math.min(runtime.zeroCount, 2 ** WIDTHS.count - 1), target: 0 });
  body(mode);
  const j = emit(b, 'jmp', { target: 0 });
  b.code[br].operands.target = here(b);
  body(runtime.high);
  b.code[j].operands.target = here(b);
}
