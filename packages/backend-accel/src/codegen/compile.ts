import { fail, producers, type Graph, type Node } from '@lstmc/ir';
import { ANN, fedByLstm, getFloats, lstmLayout } from '@lstmc/passes';
import { buildLuts, quantizeArray } from '@lstmc/runtime/fixed';
import type { Target } from '@lstmc/target';
import type { HostOutput, IoTensor, LayerRange, LxbProgram, PhaseDesc } from '../container/program.js';
import { concatWeights, emit, finishCode, here, newBuilder } from './builder.js';
import { isZeros } from './graph-walk.js';
import { hostSection } from './host-section.js';
import { partitionGraph, refuseUnplaceable, type Partition } from './partition.js';
import { lowerDirection, type DirRegions } from './lower-lstm.js';
import { planLstm, type DirPlan } from './lstm-plan.js';

export interface CompileOptions {
  /** Longest sequence when the model's sequence dimension is symbolic. */
  readonly maxSeqLen?: number;
  /** Called as each LSTM node is planned and as each is lowered (`done` of `total` steps finished). */
  readonly progress?: (item: string, done: number, total: number) => void;
}

export const DEFAULT_MAX_SEQ_LEN = 256;

const DIR_NAMES = ['fwd', 'rev'];

/**
 * Lower a graph to an accelerator program. The partition (partition.ts)
 * puts the LSTM layers on the accelerator and the ops around them in host
 * segments; each accelerator phase is a code range ending in halt, whose LSTM
 * directions are one code segment each (lower-lstm.ts). The host runs
 * segment 0, phase 0 once per batch item, segment 1, ..., the last segment.
 */
export function compileAccel(g: Graph, target: Target, opts: CompileOptions = {}, part: Partition = partitionGraph(g)): LxbProgram {
  refuseUnplaceable(part);
  const prod = producers(g);
  const b = newBuilder(target);
  const A = target.actBits;
  const lstms = part.layers.map((l) => l.node);
  const steps = 2 * lstms.length;
  const plans = new Map<Node, DirPlan[]>(
    lstms.map((n, k) => {
      opts.progress?.(`plan ${n.name}`, k, steps);
      return [n, planLstm(g, n, target)];
    }),
  );
  let lowered = 0;

  // sequence length bound
  const staticT = (n: Node): number | undefined => {
    const shape = g.values.get(n.inputs[0])?.type.shape;
    const d = shape?.[lstmLayout(n) === 0 ? 0 : 1];
    return typeof d === 'number' ? d : undefined;
  };
  const maxSeqLen = Math.max(1, ...lstms.map((n) => staticT(n) ?? opts.maxSeqLen ?? DEFAULT_MAX_SEQ_LEN));

  // DRAM allocation: zeros, then per node: x (a host tensor), states, outputs
  let dram = 0;
  const alloc = (words: number) => {
    const at = dram;
    dram += words;
    return at;
  };
  const maxH = Math.max(1, ...lstms.map((n) => plans.get(n)![0].layer.hidden));
  const zeros = alloc(maxH);
  const tensors: IoTensor[] = [];
  const yRegions = new Map<Node, number[]>();
  const layers: LayerRange[] = [];
  const phases: PhaseDesc[] = [];
  let vmemWords = 0;
  let accRows = 0;

  for (const { node: n, phase, x: feed } of part.layers) {
    if (phases.length === phase) {
      if (phase > 0) emitHalt(b);
      phases.push({ entry: here(b), nodes: [], readsFrom: [], seqLens: { name: null, values: null } });
    }
    opts.progress?.(`lower ${n.name}`, lstms.length + lowered++, steps);
    (phases[phase].nodes as string[]).push(n.name);
    if (feed.kind === 'view' && !phases[phase].nodes.includes(feed.from.name) && !phases[phase].readsFrom.includes(feed.from.name)) (phases[phase].readsFrom as string[]).push(feed.from.name);
    const dirs = plans.get(n)!;
    const D = dirs.length;
    const H = dirs[0].layer.hidden;
    const I = dirs[0].layer.input;
    const layout = lstmLayout(n);
    const base = { node: n.name, dirs: D, layout };
    // The quantize pass's measured errors of h and c: the layer's is the larger.
    const qErrors = getFloats(n, ANN.qError);
    const qError = qErrors?.length ? Math.max(...qErrors) : undefined;

    // sequence lengths: one source per phase (the partition starts a new phase for another one);
    // layers with sequence_lens loop over each sequence's length, the others over the full length
    const sl = n.inputs[4] || '';
    if (sl) {
      const slInit = g.initializers.get(sl);
      const here = { name: slInit ? null : sl, values: slInit ? Array.from(slInit.data as ArrayLike<number | bigint>, Number) : null };
      const cur = phases[phase].seqLens;
      if (cur.name === null && cur.values === null) (phases[phase] as { seqLens: PhaseDesc['seqLens'] }).seqLens = here;
      else if (cur.name !== here.name || JSON.stringify(cur.values) !== JSON.stringify(here.values))
        throw new Error(`partition: LSTM '${n.name}' joined a phase with other sequence_lens`);
    }

    // x: a tensor the host holds, or a concatenation view of a previous layer's Y
    let x: { addr: number; width: number }[];
    if (feed.kind === 'value') {
      // A layer whose X is another LSTM's Y through glue the host runs still gets h's words (as in the fixed-point lowering).
      if (fedByLstm((v) => prod.get(v), n.inputs[0])) setXFrac(dirs, A - 1);
      const fx = dirs[0].layer.fmt.x;
      if (dirs.some((d) => d.layer.fmt.x !== fx)) fail('E-ACCEL-QUANT', 'the directions of one LSTM quantize x differently', { node: n.name });
      const addr = alloc(maxSeqLen * I);
      tensors.push({ ...base, name: feed.name, role: 'x', dir: 0, addr, width: I, frac: fx, ...(feed.perm ? { perm: feed.perm } : {}) });
      x = [{ addr, width: I }];
    } else {
      x = yRegions.get(feed.from)!.map((addr) => ({ addr, width: plans.get(feed.from)![0].layer.hidden }));
      // layer inputs that are LSTM outputs arrive at h's scale (actBits - 1)
      setXFrac(dirs, A - 1);
    }

    const ys: number[] = [];
    dirs.forEach((d, k) => {
      const state = (idx: number, role: 'h0' | 'c0', frac: number): number | null => {
        const v = n.inputs[idx];
        if (!v || isZeros(g, prod, v)) return null;
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
      layers.push({ name, start, end: here(b), ...(qError !== undefined ? { qError } : {}) });
      vmemWords = Math.max(vmemWords, used.vmem);
      accRows = Math.max(accRows, used.acc);
    });
    yRegions.set(n, ys);
  }
  emitHalt(b);

  const outputs: HostOutput[] = part.direct.map((d) => ({ name: d.name, node: d.node.name, which: d.which, glue: d.glue }));
  const host = hostSection(g, part.segments, { actBits: target.actBits, accBits: target.accBits, lutEntries: target.lutEntries });

  return {
    target,
    code: finishCode(b),
    weights: concatWeights(b),
    consts: b.consts,
    luts: buildLuts(target.lutEntries, target.actBits),
    matrices: b.matrices,
    host: host.bytes,
    io: {
      phases,
      hostSegments: host.segments,
      graphOutputs: [...g.outputs],
      graphInputs: g.inputs.filter((i) => !g.initializers.has(i)),
      maxSeqLen,
      dramWords: dram,
      vmemWords,
      accRows,
      tensors,
      outputs,
      layers,
    },
    debug: b.debug,
  };
}


function emitHalt(b: ReturnType<typeof newBuilder>): void {
  b.where = '';
  emit(b, 'halt');
}

function setXFrac(dirs: DirPlan[], frac: number): void {
  for (const d of dirs) (d as { layer: DirPlan['layer'] }).layer = { ...d.layer, fmt: { ...d.layer.fmt, x: frac } };
}
