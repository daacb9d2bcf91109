/** Hand-built IR graphs for pass tests. */
import { type Graph, type Node, type Tensor, inferTypes, makeGraph, makeNode, makeTensor, tensorType } from '@lstmc/ir';
import { randn, rng } from '@lstmc/testing';

export interface LstmSpec {
  readonly input: number;
  readonly hidden: number;
  readonly dirs?: 1 | 2;
  readonly seq?: number | string;
  readonly batch?: number | string;
  readonly seed?: number;
  readonly bias?: boolean;
  /** Fraction of weights set to zero at random (before any pruning). */
  readonly zeros?: number;
  /** Input X comes from a Relu of the graph input (sparse inputs). */
  readonly reluInput?: boolean;
  readonly layers?: number;
}

export function randomTensor(dims: number[], seed: number, zeros = 0, scale = 0.3): Tensor {
  const r = rng(seed);
  const n = dims.reduce((a, b) => a * b, 1);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = r() < zeros ? 0 : randn(r) * scale;
  return makeTensor('f32', dims, d);
}

/** A stack of LSTM layers (optionally behind a Relu), typed by inference. */
export function lstmGraph(s: LstmSpec): Graph {
  const dirs = s.dirs ?? 1;
  const layers = s.layers ?? 1;
  const seq = s.seq ?? 5;
  const batch = s.batch ?? 2;
  const inits = new Map<string, Tensor>();
  const nodes: Node[] = [];
  let x = 'X';
  if (s.reluInput) {
    nodes.push(makeNode({ op: 'Relu', name: 'relu0', inputs: ['X'], outputs: ['Xr'] }));
    x = 'Xr';
  }
  let inSize = s.input;
  const outs: string[] = [];
  for (let l = 0; l < layers; l++) {
    const seed = (s.seed ?? 1) * 100 + l * 10;
    inits.set(`W${l}`, randomTensor([dirs, 4 * s.hidden, inSize], seed + 1, s.zeros));
    inits.set(`R${l}`, randomTensor([dirs, 4 * s.hidden, s.hidden], seed + 2, s.zeros));
    if (s.bias !== false) inits.set(`B${l}`, randomTensor([dirs, 8 * s.hidden], seed + 3, 0, 0.1));
    const y = `Y${l}`;
    nodes.push(
      makeNode({
        op: 'LSTM',
        name: `lstm${l}`,
        inputs: [x, `W${l}`, `R${l}`, s.bias !== false ? `B${l}` : ''],
        outputs: [y, l === layers - 1 ? 'Y_h' : ''],
        attrs: {
          hidden_size: { kind: 'int', value: s.hidden },
          direction: { kind: 'string', value: dirs === 2 ? 'bidirectional' : 'forward' },
        },
      }),
    );
    if (l < layers - 1) {
      // [seq, dirs, batch, H] -> [seq, batch, dirs*H] via Transpose + Reshape.
      nodes.push(makeNode({ op: 'Transpose', name: `tr${l}`, inputs: [y], outputs: [`T${l}`], attrs: { perm: { kind: 'ints', value: [0, 2, 1, 3] } } }));
      inits.set(`shape${l}`, makeTensor('i64', [3], [0, 0, -1]));
      nodes.push(makeNode({ op: 'Reshape', name: `rs${l}`, inputs: [`T${l}`, `shape${l}`], outputs: [`X${l + 1}`] }));
      x = `X${l + 1}`;
      inSize = dirs * s.hidden;
    }
    if (l === layers - 1) outs.push(y, 'Y_h');
  }
  const g = makeGraph({
    name: 'test',
    inputs: ['X'],
    outputs: outs,
    initializers: inits,
    values: [['X', { name: 'X', type: tensorType('f32', [seq, batch, s.input]) }]],
    nodes,
  });
  return inferTypes(g);
}

/** Random calibration input for graph input X: [seq, batch, input], a fraction set to zero. */
export function calibrationX(seq: number, batch: number, input: number, seed: number, zeros = 0): Map<string, Tensor> {
  return new Map([['X', randomTensor([seq, batch, input], seed, zeros, 1)]]);
}
