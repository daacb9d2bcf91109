import { inferTypes, makeGraph, makeNode, makeTensor, tensorType, updateGraph, type Graph, type Node, type Tensor, type ValueInfo } from '@lstmc/ir';
import { rng } from '@lstmc/testing';

export interface LayerSpec {
  readonly hidden: number;
  readonly direction: 'forward' | 'reverse' | 'bidirectional';
  readonly peephole?: boolean;
  readonly clip?: number;
  readonly inputForget?: boolean;
}

export interface ModelSpec {
  readonly input: number;
  readonly T: number;
  readonly B: number;
  readonly layers: readonly LayerSpec[];
  /** Fraction of weights set to zero (uniformly at random). */
  readonly sparsity: number;
  /** Fraction of input elements set to zero. */
  readonly inputSparsity?: number;
  readonly seed: number;
}

/**
 * A stacked LSTM as torch.onnx.export writes it (opset 11): layers joined by
 * Squeeze (one direction) or Transpose + Reshape (bidirectional). Weights are
 * random with the given sparsity; returns the graph and one input sample.
 */
export function randomModel(s: ModelSpec): { graph: Graph; inputs: Map<string, Tensor> } {
  const rand = rng(s.seed);
  const inits = new Map<string, Tensor>();
  const nodes: Node[] = [];
  const mat = (n: number, scale: number) => Float32Array.from({ length: n }, () => (rand() < s.sparsity ? 0 : (rand() * 2 - 1) * scale));
  let x = 'X';
  let I = s.input;
  s.layers.forEach((l, k) => {
    const D = l.direction === 'bidirectional' ? 2 : 1;
    const H = l.hidden;
    const p = `l${k}`;
    inits.set(`${p}.W`, makeTensor('f32', [D, 4 * H, I], mat(D * 4 * H * I, 1 / Math.sqrt(I))));
    inits.set(`${p}.R`, makeTensor('f32', [D, 4 * H, H], mat(D * 4 * H * H, 1 / Math.sqrt(H))));
    inits.set(`${p}.B`, makeTensor('f32', [D, 8 * H], Float32Array.from({ length: D * 8 * H }, () => (rand() * 2 - 1) * 0.2)));
    const ins = [x, `${p}.W`, `${p}.R`, `${p}.B`, '', '', ''];
    if (l.peephole) {
      inits.set(`${p}.P`, makeTensor('f32', [D, 3 * H], Float32Array.from({ length: D * 3 * H }, () => (rand() * 2 - 1) * 0.3)));
      ins.push(`${p}.P`);
    }
    const attrs: Record<string, import('@lstmc/ir').Attr> = {
      hidden_size: { kind: 'int', value: H },
      direction: { kind: 'string', value: l.direction },
    };
    if (l.clip !== undefined) attrs.clip = { kind: 'float', value: l.clip };
    if (l.inputForget) attrs.input_forget = { kind: 'int', value: 1 };
    nodes.push(makeNode({ op: 'LSTM', name: `lstm${k}`, inputs: ins, outputs: [`${p}.Y`, `${p}.Yh`, `${p}.Yc`], attrs }));
    if (D === 1) {
      nodes.push(makeNode({ op: 'Squeeze', name: `sq${k}`, inputs: [`${p}.Y`], outputs: [`${p}.out`], attrs: { axes: { kind: 'ints', value: [1] } } }));
    } else {
      inits.set(`${p}.shape`, makeTensor('i64', [3], [0, 0, -1]));
      nodes.push(makeNode({ op: 'Transpose', name: `tr${k}`, inputs: [`${p}.Y`], outputs: [`${p}.t`], attrs: { perm: { kind: 'ints', value: [0, 2, 1, 3] } } }));
      nodes.push(makeNode({ op: 'Reshape', name: `rs${k}`, inputs: [`${p}.t`, `${p}.shape`], outputs: [`${p}.out`] }));
    }
    x = `${p}.out`;
    I = D * H;
  });
  const last = `l${s.layers.length - 1}`;
  const values: [string, ValueInfo][] = [['X', { name: 'X', type: tensorType('f32', ['seq', 'batch', s.input]) }]];
  const graph = inferTypes(
    makeGraph({ name: 'random', opsets: { '': 11 }, inputs: ['X'], outputs: [x, `${last}.Yh`], initializers: inits, values, nodes }),
  );
  const xs = Float32Array.from({ length: s.T * s.B * s.input }, () => (rand() < (s.inputSparsity ?? 0) ? 0 : (rand() * 2 - 1) * 2));
  return { graph, inputs: new Map([['X', makeTensor('f32', [s.T, s.B, s.input], xs)]]) };
}

/**
 * The model with sequence_lens (and, with `states`, random initial h and c) as graph inputs of
 * its first LSTM, and their samples beside the given ones: `lens` holds one length per sequence.
 */
export function withSequenceLens(graph: Graph, inputs: Map<string, Tensor>, lens: readonly number[], states: boolean, seed: number): { graph: Graph; inputs: Map<string, Tensor> } {
  const B = lens.length;
  const lstm = graph.nodes.find((n) => n.op === 'LSTM')!;
  const D = lstm.attrs.direction?.value === 'bidirectional' ? 2 : 1;
  const H = lstm.attrs.hidden_size!.value as number;
  const extra = states ? ['lens', 'h0', 'c0'] : ['lens'];
  const nodes = graph.nodes.map((n) => (n === lstm ? makeNode({ ...n, inputs: [...n.inputs.slice(0, 4), ...extra] }) : n));
  const values = new Map(graph.values);
  values.set('lens', { name: 'lens', type: tensorType('i32', [B]) });
  const all = new Map(inputs);
  all.set('lens', makeTensor('i32', [B], [...lens]));
  const rand = rng(seed);
  if (states) {
    for (const [name, scale] of [['h0', 1], ['c0', 2]] as const) {
      values.set(name, { name, type: tensorType('f32', [D, B, H]) });
      all.set(name, makeTensor('f32', [D, B, H], Float32Array.from({ length: D * B * H }, () => (rand() - 0.5) * scale)));
    }
  }
  return { graph: inferTypes(updateGraph(graph, { nodes, inputs: ['X', ...extra], values })), inputs: all };
}
