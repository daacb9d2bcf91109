/**
 * `quantize`: fixed point for the accelerator. Per LSTM direction: W, R and
 * peepholes as weightBits integers with a power-of-two scale per matrix,
 * the bias (Wb + Rb) at the accumulator's scale, x and c formats from
 * calibration ranges (c: the candidate scale with the least output error),
 * h at actBits - 1. The float weights stay (the JS backend runs them); the
 * fixed-point copies are initializers named by `lstmc.q.*` attributes.
 * The error of each layer's outputs against float32 on the calibration data
 * (h: Y and Y_h; c: Y_c) is reported, and the pass fails when the error of h
 * exceeds `error-budget`.
 */
import { type DType, type Graph, type Node, type Tensor, isDiagnosticError, makeTensor, producers } from '@lstmc/ir';
import {
  type FixedBits,
  type FixedLstmFormats,
  type FixedLstmLayer,
  type LayerProducts,
  SATURATION_TENSORS,
  buildLuts,
  formatSaturation,
  layerProducts,
  lstmFormatsByCell,
  quantizeArray,
  quantizeLstmDirection,
  quantizeLstmExtras,
} from '@lstmc/runtime/fixed';
import { ANN, type AttrPatch, addInitializers, derivedName, dropAnnotations, floatsAttr, intsAttr, patchNodes, stringsAttr } from '../../annotations.js';
import { type LayerTrace, traceForPass } from '../../calibration/index.js';
import { fedByLstm } from '../../layer-glue.js';
import { lstmLayout, lstmNodes, lstmParams } from '../../lstm-params.js';
import { definePass } from '../../pass.js';
import { reachingBranches } from '../../branch-lstms.js';
import { floatDirections, unsupportedActivation } from './float-layer.js';
import { type LayerError, fixedLayerError } from './measure.js';
import { CELL_SEARCHES, searchCellScale } from './cell-scale-search.js';
import { inputProjectionCache } from './input-cache.js';

/** Without calibration data, x and c are assumed to lie in [-8, 8]. */
export const ASSUMED_RANGE = 8;

export const quantizePass = reachingBranches(definePass({
  name: 'quantize',
  summary: 'fixed-point LSTM weights (int8/int16, power-of-two scale per matrix) and int16 activations, with error vs float32',
  options: {
    'weight-bits': { kind: 'enum', values: ['target', '8', '16'], default: 'target', doc: 'weight width; target = the target file weightBits' },
    'x-max': { kind: 'float-or-auto', default: 'auto', min: 0, doc: 'largest |x| of layer inputs; auto = from calibration (else 8)' },
    'c-max': { kind: 'float-or-auto', default: 'auto', min: 0, doc: 'largest |c| of the cell state; auto = scale with least calibration error (else 8)' },
    'error-budget': { kind: 'float', default: 0, min: 0, doc: 'fail when a layer output max abs error exceeds this (0 = no limit)' },
    'c-search': {
      kind: 'enum',
      values: CELL_SEARCHES,
      default: 'bounded',
      doc: "how c-max=auto compares its candidates: bounded = a candidate stops once its error reaches the best so far, and W·x is computed once for all (the same choice, faster); exhaustive = every candidate runs in full",
    },
  },
  requires: [],
  establishes: ['quantized'],
  invalidates: ['encoded'],
  counters: {
    layers: 'LSTM layers quantized',
    matrices: 'weight matrices quantized',
    'calibration-samples': 'samples used to measure the error',
    'assumed-ranges': 'layers whose x or c range was assumed (|x|, |c| <= 8) for want of calibration data or options',
    'c-candidates-stopped': 'c-max=auto candidates (c-search=bounded) stopped early: their error had reached the best so far',
    saturations: 'values that saturated in the fixed-point run on the calibration data (x, states, gates, cell, h)',
  },
  async run(input, ctx) {
    const o = ctx.options;
    const g = dropAnnotations(input, ['lstmc.q.']);
    const bits: FixedBits = {
      weightBits: o['weight-bits'] === 'target' ? ctx.target.weightBits : Number(o['weight-bits']),
      actBits: ctx.target.actBits,
      accBits: ctx.target.accBits,
      lutEntries: ctx.target.lutEntries,
    };
    const nodes = lstmNodes(g);
    if (ctx.calibration.length) ctx.progress('calibration run', 0, nodes.length);
    const traces = ctx.calibration.length ? await traceForPass(g, ctx) : [];
    // A branch's samples are the outer samples that take it: counted once, at the top level.
    if (!ctx.inBranch) ctx.count('calibration-samples', ctx.calibration.length);
    const added = new Map<string, Tensor>();
    const patches = new Map<Node, AttrPatch>();
    const rows: (string | number)[][] = [];
    const prods = producers(g);
    const luts = buildLuts(bits.lutEntries, bits.actBits);
    for (const [k, n] of nodes.entries()) {
      const p = lstmParams(g, n);
      if (!p) continue;
      ctx.progress(n.name, k, nodes.length);
      const bad = unsupportedActivation(n);
      if (bad) ctx.fail('E-QUANT-UNSUPPORTED', `layer '${n.name}': ${bad}`, n.name);
      const tr = traces.find((t) => t.node === n);
      const direction = (n.attrs.direction?.value ?? 'forward') as 'forward' | 'reverse' | 'bidirectional';
      const layout = lstmLayout(n);
      const floats = floatDirections(g, p);
      // A layer fed by another LSTM's Y gets that layer's h words unchanged (h's format, |h| < 1),
      // as the accelerator codegen and the fixed-point lowering do.
      const fed = fedByLstm((v) => prods.get(v), n.inputs[0] ?? '');
      const xFrac = fed ? bits.actBits - 1 : undefined;
      const xMax = fed ? 1 : o['x-max'] !== 'auto' ? o['x-max'] : tr ? maxAbsOf(tr.x) : ASSUMED_RANGE;
      const candidates = o['c-max'] !== 'auto' ? [o['c-max']] : tr ? [1, 2, 4, 8, 16, 32] : [ASSUMED_RANGE];
      // Without calibration data nothing runs in fixed point: the layers are their formats, bias and peepholes,
      // and W and R are quantized once, straight into the tensors' integer width.
      // The c candidates differ in c's (and at most the accumulator's) format: W and R, quantized at formats
      // that do not depend on c, and their product layout are made once and shared by every candidate, and so
      // are the W·x products of the calibration inputs (input-cache.ts).
      const shared = floats.map(() => new Map<string, { layer: FixedLstmLayer; prods: LayerProducts }>());
      const fixedLayer = (k: number, fmt: FixedLstmFormats) => {
        const key = `${fmt.w}/${fmt.r}`;
        const hit = shared[k].get(key);
        if (hit) return { layer: { ...hit.layer, fmt, ...quantizeLstmExtras(floats[k], fmt, bits) }, prods: hit.prods };
        const layer = quantizeLstmDirection(floats[k], fmt, bits, luts);
        const made = { layer, prods: layerProducts(layer) };
        shared[k].set(key, made);
        return made;
      };
      const formatsFor = floats.map((d) => lstmFormatsByCell(d, bits, xMax, xFrac));
      let best: { layers: QuantizedDirection[]; err: LayerError | undefined };
      if (tr) {
        const inputs = o['c-search'] === 'bounded' ? inputProjectionCache() : undefined;
        const r = searchCellScale(
          candidates,
          (cMax, stopAt) => {
            const runs = formatsFor.map((f, k) => fixedLayer(k, f(cMax)));
            const fixed = runs.map((r) => r.layer);
            const err = fixedLayerError(fixed, direction, layout, tr, runs.map((r) => r.prods), { stopAt, inputs });
            return err && { err, made: fixed };
          },
          o['c-search'],
        );
        ctx.count('c-candidates-stopped', r.stopped);
        best = { layers: r.made, err: r.err };
      } else {
        const fmts = formatsFor.map((f) => f(candidates[0]));
        best = { layers: floats.map((d, k) => ({ fmt: fmts[k], ...quantizeLstmExtras(d, fmts[k], bits), W: undefined, R: undefined })), err: undefined };
      }
      const { layers, err } = best;
      ctx.count('layers');
      const xFrom = fed ? 'h of the layer before' : o['x-max'] !== 'auto' ? 'x-max' : tr ? 'calibration' : `assumed ±${ASSUMED_RANGE}`;
      const cFrom = o['c-max'] !== 'auto' ? 'c-max' : tr ? 'calibration' : `assumed ±${ASSUMED_RANGE}`;
      if (xFrom.startsWith('assumed') || cFrom.startsWith('assumed')) ctx.count('assumed-ranges');
      const saturated = err ? formatSaturation(err.saturation) : [];
      if (err) ctx.count('saturations', SATURATION_TENSORS.reduce((a, k) => a + err.saturation.counts[k].count, 0));
      const wDtype: DType = bits.weightBits === 8 ? 'i8' : 'i16';
      const accDtype: DType = bits.accBits > 32 ? 'i64' : 'i32';
      const names = { W: [] as string[], R: [] as string[], B: [] as string[], P: [] as string[] };
      layers.forEach((l, d) => {
        const put = (kind: 'W' | 'R' | 'B' | 'P', t: Tensor) => {
          const name = derivedName(n, kind, d, 'q');
          added.set(name, t);
          names[kind].push(name);
        };
        const weights = (q: Int32Array | undefined, f: ArrayLike<number>, frac: number) =>
          q ? intData(wDtype, q) : quantizeArray(f, frac, bits.weightBits, wDtype === 'i8' ? new Int8Array(f.length) : new Int16Array(f.length));
        put('W', makeTensor(wDtype, [4 * p.hidden, p.inputSize], weights(l.W, floats[d].W, l.fmt.w), { frac: l.fmt.w }));
        put('R', makeTensor(wDtype, [4 * p.hidden, p.hidden], weights(l.R, floats[d].R, l.fmt.r), { frac: l.fmt.r }));
        if (l.bias) put('B', makeTensor(accDtype, [4 * p.hidden], intData(accDtype, l.bias), { frac: l.fmt.acc }));
        if (l.peephole) put('P', makeTensor(wDtype, [3 * p.hidden], intData(wDtype, l.peephole), { frac: l.fmt.p }));
        ctx.count('matrices', 2);
        rows.push([
          layers.length === 1 ? n.name : `${n.name}[${d === 0 ? 'fwd' : 'rev'}]`,
          bits.weightBits,
          l.fmt.w,
          l.fmt.r,
          l.fmt.x,
          l.fmt.c,
          l.fmt.acc,
          err ? err.maxAbs : 'n/a',
          err ? err.meanAbs : 'n/a',
          err ? err.cMaxAbs : 'n/a',
          `x: ${xFrom}, c: ${cFrom}`,
          err ? saturated.join('; ') || 'none' : 'n/a (no calibration data)',
        ]);
      });
      const fmts = layers.map((l) => l.fmt);
      const patch: AttrPatch = {
        [ANN.qW]: stringsAttr(names.W),
        [ANN.qR]: stringsAttr(names.R),
        [ANN.qWFrac]: intsAttr(fmts.map((f) => f.w)),
        [ANN.qRFrac]: intsAttr(fmts.map((f) => f.r)),
        [ANN.qXFrac]: intsAttr(fmts.map((f) => f.x)),
        [ANN.qCFrac]: intsAttr(fmts.map((f) => f.c)),
        [ANN.qAccFrac]: intsAttr(fmts.map((f) => f.acc)),
        [ANN.qHFrac]: intsAttr(fmts.map(() => bits.actBits - 1)),
        [ANN.qWeightBits]: intsAttr([bits.weightBits]),
      };
      if (names.B.length) patch[ANN.qB] = stringsAttr(names.B);
      if (names.P.length) {
        patch[ANN.qP] = stringsAttr(names.P);
        patch[ANN.qPFrac] = intsAttr(fmts.map((f) => f.p));
      }
      if (err) patch[ANN.qError] = floatsAttr([err.maxAbs, err.cMaxAbs]);
      patches.set(n, patch);
      if (err && o['error-budget'] > 0 && err.maxAbs > o['error-budget'])
        ctx.fail(
          'E-QUANT-BUDGET',
          `layer '${n.name}': fixed-point output error ${err.maxAbs.toExponential(3)} (max abs vs float32 on calibration data) exceeds the error budget ${o['error-budget']}`,
          n.name,
        );
    }
    ctx.report({
      title: `quantize: int${bits.weightBits} weights, int${bits.actBits} activations, int${bits.accBits} accumulator${
        ctx.calibration.length ? '' : `; no calibration data: input and cell ranges assumed within ±${ASSUMED_RANGE} (give --calibration DIR, or x-max/c-max)`
      }`,
      columns: ['layer', 'weight bits', 'W frac', 'R frac', 'x frac', 'c frac', 'acc frac', 'max abs err', 'mean abs err', 'c max abs err', 'ranges from', 'saturated on calibration data'],
      rows,
    });
    return addInitializers(patchNodes(g, patches), added);
  },
}));

/** A direction as quantized: the fixed-point layer when it was run on calibration data, else its parameters without W and R. */
type QuantizedDirection = Pick<FixedLstmLayer, 'fmt' | 'bias' | 'peephole' | 'clip'> & { readonly W: Int32Array | undefined; readonly R: Int32Array | undefined };

function maxAbsOf(ts: readonly Tensor[]): number {
  let m = 0;
  for (const t of ts) {
    const d = t.data as ArrayLike<number>;
    for (let i = 0; i < d.length; i++) m = Math.max(m, Math.abs(d[i]));
  }
  return m;
}

/** Integers (already in range) as the typed data of an integer tensor, without a plain-array detour. */
function intData(dtype: 'i8' | 'i16' | 'i32' | 'i64', v: Int32Array | Float64Array): Int8Array | Int16Array | Int32Array | BigInt64Array {
  if (dtype === 'i64') return BigInt64Array.from(v, (x) => BigInt(x));
  const out = dtype === 'i8' ? new Int8Array(v.length) : dtype === 'i16' ? new Int16Array(v.length) : new Int32Array(v.length);
  out.set(v);
  return out;
}
