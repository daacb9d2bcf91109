/**
 * Known matrices for the report tests: one forward LSTM whose W and R zero
 * patterns are given by formulas the tests check the collected masks, counts
 * and canvas pixels against.
 */
import { inferTypes, makeGraph, makeNode, makeTensor, tensorType, type Graph, type ValueInfo } from '@lstmc/ir';

export const KNOWN = { I: 40, H: 64, T: 9 } as const;

/** Non-zero weights: about 1 in 13 of W, 1 in 12 of R (over 90% zeros, so the sparse mode is chosen). */
export const knownNonZero = {
  W: (r: number, c: number) => (r * 5 + c * 3) % 13 === 0,
  R: (r: number, c: number) => (r + 3 * c) % 12 === 0,
} as const;

/** Values far from zero in any fixed-point format: quantization keeps the pattern. */
const value = (r: number, c: number) => (0.25 + 0.05 * ((r + c) % 5)) * ((r + c) % 2 ? -1 : 1);

function matrix(rows: number, cols: number, nz: (r: number, c: number) => boolean): Float32Array {
  const a = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (nz(r, c)) a[r * cols + c] = value(r, c);
  return a;
}

export function knownLstmGraph(): Graph {
  const { I, H, T } = KNOWN;
  const inits = new Map([
    ['W', makeTensor('f32', [1, 4 * H, I], matrix(4 * H, I, knownNonZero.W))],
    ['R', makeTensor('f32', [1, 4 * H, H], matrix(4 * H, H, knownNonZero.R))],
    ['B', makeTensor('f32', [1, 8 * H], new Float32Array(8 * H).fill(0.1))],
  ]);
  const values = new Map<string, ValueInfo>([['X', { name: 'X', type: tensorType('f32', [T, 1, I]) }], ...[...inits].map(([k, t]): [string, ValueInfo] => [k, { name: k, type: tensorType('f32', t.dims) }])]);
  return inferTypes(
    makeGraph({
      name: 'known',
      opsets: { '': 14 },
      inputs: ['X'],
      outputs: ['Y'],
      initializers: inits,
      values,
      nodes: [makeNode({ op: 'LSTM', name: 'known_lstm', inputs: ['X', 'W', 'R', 'B'], outputs: ['Y'], attrs: { hidden_size: { kind: 'int', value: H } } })],
    }),
  );
}

/** The non-zero bits of a collected mask (row-major, LSB first), decoded independently of the collector. */
export function maskBits(base64: string, rows: number, cols: number): boolean[][] {
  const bytes = Buffer.from(base64, 'base64');
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => ((bytes[(r * cols + c) >> 3] >> ((r * cols + c) & 7)) & 1) === 1));
}
