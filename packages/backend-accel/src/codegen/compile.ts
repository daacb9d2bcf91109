import { fail, type Graph, type Node } from '@lstmc/ir';
import { buildLuts, quantizeArray } from '@lstmc/runtime/fixed';
import type { Target } from '@lstmc/target';
import type { HostOutput, IoTensor, LayerRange, LxbProgram } from '../container/program.js';
import { concatWeights, emit, finishCode, here, newBuilder } from './builder.js';
import { isConcatView, refuseHost, sourcesOf, traceBack, type Source } from './graph-walk.js';
import { hostSection } from './host-section.js';
import { lowerDirection, type DirRegions } from './lower-lstm.js';
import { planLstm, type DirPlan } from './lstm-plan.js';

export interface CompileOptions {
  /** Longest sequence when the model's sequence dimension is symbolic. */
  readonly maxSeqLen?: number;
}

export const DEFAULT_MAX_SEQ_LEN = 256;

const DIR_NAMES = ['fwd', 'rev'];

/**
 * Lower a graph of LSTM layers (and the Squeeze/Transpose/Reshape glue
 * between them) to an accelerator program. Each LSTM direction becomes one
 * code segment (lower-lstm.ts); the host runs the program once per sequence.
 */
export function compileAccel(g: Graph, target: Target, opts: CompileOptions = {}): LxbProgram {
  const sources = sourcesOf(g);
  const b = newBuilder(target);
  const A = target.actBits;
  const lstms = g.nodes.filter((n) => n.op === 'LSTM');
  if (lstms.length === 0) fail('E-ACCEL-UNSUPPORTED', 'the model has no LSTM layer to run on the accelerator', {});
  const plans = new Map<Node, DirPlan[]>(lstms.map((n) => [n, planLstm(g, n, target)]));

  // sequence length bound
  const staticT = (n: Node): number | undefined => {
    const shape = g.values.get(n.inputs[0])?.type.shape;
    const layout = (n.attrs.layout?.value ?? 0) as number;
    const d = shape?.[layout === 0 ? 0 : 1];
    return typeof d === 'number' ? d : undefined;
  };
  const maxSeqLen = Math.max(1, ...lstms.map((n) => staticT(n) ?? opts.maxSeqLen ?? DEFAULT_MAX_SEQ_LEN));

  // DRAM allocation: zeros, then per node: x (graph input), states, outputs
  let dram = 0;
  const alloc = (words: number) => {
    const at = dram;
    dram += words;
    return at;
  };
  const maxH = Math.max(...lstms.map((n) => plans.get(n)![0].layer.hidden));
  const zeros = alloc(maxH);
  const tensors: IoTensor[] = [];
  const yRegions = new Map<Node, number[]>();
  const layers: LayerRange[] = [];
  let seqName: string | null | undefined;
  let seqValues: number[] | null = null;
  let vmemWords = 0;
  let accRows = 0;

  for (const n of lstms) {
    const dirs = plans.get(n)!;
    const D = dirs.length;
    const H = dirs[0].layer.hidden;
    const I = dirs[0].layer.input;
    const layout = (n.attrs.layout?.value ?? 0) as number;
    const base = { node: n.name, dirs: D, layout };

    // sequence lengths: one source for the whole program
    const sl = n.inputs[4] || '';
    const slInit = sl ? g.initializers.get(sl) : undefined;
    const slSrc = sl ? sources.get(sl) : undefined;
    if (slSrc && slSrc.kind !== 'input') refuseHost(slSrc, `sequence_lens of LSTM '${n.name}'`, n.name);
    const thisName = sl && !slInit ? sl : null;
    // layers with sequence_lens loop over each sequence's length, the others over the full length
    if (sl) {
      const values = slInit ? Array.from(slInit.data as ArrayLike<number | bigint>, Number) : null;
      if (seqName === undefined) {
        seqName = thisName;
        seqValues = values;
      } else if (seqName !== thisName || JSON.stringify(values) !== JSON.stringify(seqValues)) {
        fail('E-ACCEL-UNSUPPORTED', 'LSTM layers with different sequence_lens inputs', { node: n.name, field: 'sequence_lens' });
      }
    }

    // x: a graph input, or a concatenation view of a previous layer's Y
    const { root, glue } = traceBack(sources, n.inputs[0]);
    let x: { addr: number; width: number }[];
    if (root.kind === 'input') {
      if (glue.length) fail('E-ACCEL-UNSUPPORTED', 'ops between a graph input and an LSTM input', { node: n.name, field: n.inputs[0] });
      const fx = dirs[0].layer.fmt.x;
      if (dirs.some((d) => d.layer.fmt.x !== fx)) fail('E-ACCEL-QUANT', 'the directions of one LSTM quantize x differently', { node: n.name });
      const addr = alloc(maxSeqLen * I);
      tensors.push({ ...base, name: root.name, role: 'x', dir: 0, addr, width: I, frac: fx });
      x = [{ addr, width: I }];
    } else if (root.kind === 'lstm' && root.which === 'Y') {
      const prev = plans.get(root.node)!;
      const prevLayout = (root.node.attrs.layout?.value ?? 0) as number;
      if (!isConcatView(glue, prev.length, prev[0].layer.hidden, prevLayout, layout) || prev.length * prev[0].layer.hidden !== I) {
        fail('E-ACCEL-UNSUPPORTED', `the ops between '${root.node.name}' and this LSTM are not a plain concatenation of directions`, { node: n.name });
      }
      x = yRegions.get(root.node)!.map((addr) => ({ addr, width: prev[0].layer.hidden }));
      // layer inputs that are LSTM outputs arrive at h's scale (actBits - 1)
      for (const d of dirs) (d as { layer: DirPlan['layer'] }).layer = { ...d.layer, fmt: { ...d.layer.fmt, x: A - 1 } };
    } else {
      refuseHost(root, `the input X of LSTM '${n.name}'`, n.name);
    }

    const ys: number[] = [];
    dirs.forEach((d, k) => {
      const state = (idx: number, role: 'h0' | 'c0', frac: number): number | null => {
        const v = n.inputs[idx];
        if (!v || isZeros(g, v)) return null;
        const src: Source | undefined = sources.get(v);
        if (src && src.kind !== 'input') refuseHost(src, `the initial state ${role === 'h0' ? 'initial_h' : 'initial_c'} of LSTM '${n.name}'`, n.name);
        const addr = alloc(H);
        const init = g.initializers.get(v);
        const value = init ? Array.from(quantizeArray(Float64Array.from(init.data as ArrayLike<number>), frac, A)) : undefined;
        tensors.push({ ...base, name: v, role, dir: k, addr, width: H, frac, ...(value ? { value } : {}) });
        return addr;
      };
      const h0 = state(5, 'h0', A - 1);
      const c0 = state(6, 'c0', d.layer.fmt.c);
      const y = alloc(maxSeqLen * H);
      const yh = alloc(H);
      const yc = alloc(H);
      tensors.push({ ...base, name: n.outputs[0] ?? '', role: 'y', dir: k, addr: y, width: H, frac: A - 1 });
      tensors.push({ ...base, name: n.outputs[1] ?? '', role: 'yh', dir: k, addr: yh, width: H, frac: A - 1 });
      tensors.push({ ...base, name: n.outputs[2] ?? '', role: 'yc', dir: k, addr: yc, width: H, frac: d.layer.fmt.c });
      ys.push(y);
      const regions: DirRegions = { x, y, h0, c0, yh, yc, zeros };
      const name = D === 1 ? n.name : `${n.name}/${DIR_NAMES[k]}`;
      b.where = name;
      const start = here(b);
      const used = lowerDirection(b, d, regions, name);
      layers.push({ name, start, end: here(b) });
      vmemWords = Math.max(vmemWords, used.vmem);
      accRows = Math.max(accRows, used.acc);
    });
    yRegions.set(n, ys);
  }
  b.where = '';
  emit(b, 'halt');

  // Graph outputs: LSTM outputs re-viewed by glue, assembled by the host; when any output needs
  // other ops, all outputs come from the host section (a runtime graph fed the LSTM outputs).
  const direct = g.outputs.map((o) => {
    const { root, glue } = traceBackOrHost(sources, o);
    return root?.kind === 'lstm' ? { name: o, node: root.node.name, which: root.which, glue } : undefined;
  });
  const host = direct.every((d) => d !== undefined) ? null : hostSection(g, sources);
  const outputs: HostOutput[] = host ? [] : (direct as HostOutput[]);

  return {
    target,
    code: finishCode(b),
    weights: concatWeights(b),
    consts: b.consts,
    luts: buildLuts(target.lutEntries, target.actBits),
    matrices: b.matrices,
    host: host?.bytes ?? new Uint8Array(0),
    io: { hostFeeds: host?.feeds ?? [], graphOutputs: [...g.outputs], graphInputs: g.inputs.filter((i) => !g.initializers.has(i)), maxSeqLen, dramWords: dram, vmemWords, accRows, tensors, outputs, seqLens: { name: seqName ?? null, values: seqValues }, layers },
    debug: b.debug,
  };
}

/** Follow glue back from a value; root undefined when a host op or a graph input is reached. */
function traceBackOrHost(sources: Map<string, Source>, value: string): { root: Source | undefined; glue: HostOutput['glue'] } {
  const glue: HostOutput['glue'][number][] = [];
  let s = sources.get(value);
  while (s && s.kind === 'glue') {
    glue.unshift(s.step);
    s = sources.get(s.from);
  }
  return { root: s && s.kind === 'lstm' ? s : undefined, glue };
}

/** Ops whose output holds only elements of their first input (zeros stay zeros). */
const ZERO_PRESERVING = new Set(['Slice', 'Squeeze', 'Unsqueeze', 'Reshape', 'Identity', 'Gather', 'Expand', 'Transpose', 'Cast']);

/**
 * True when `v` is all zeros whatever the inputs: a zero initializer, a
 * ConstantOfShape of 0, or a slice/reshape of one (torch.onnx.export builds
 * zero initial states that way from the input's shape).
 */
function isZeros(g: Graph, v: string): boolean {
  const init = g.initializers.get(v);
  if (init) return Array.from(init.data as ArrayLike<number | bigint>, Number).every((x) => x === 0);
  const p = g.nodes.find((n) => n.outputs.includes(v));
  if (!p) return false;
  if (ZERO_PRESERVING.has(p.op)) return isZeros(g, p.inputs[0]);
  if (p.op !== 'ConstantOfShape') return false;
  const a = p.attrs.value;
  if (!a) return true;
  return a.kind === 'tensor' && Array.from(a.value.data as ArrayLike<number | bigint>, Number).every((x) => x === 0);
}
