import { rtFail } from '../../errors.js';

/**
 * The packed weight layout of the dense float32 LSTM kernel (`lstm.dense.f32`).
 *
 * One Float32Array of shape [D, stride], one row per direction d (0 = forward, 1 = reverse),
 * with H = hidden size, I = input size and gates in ONNX order g = 0..3 = (i, o, f, c):
 *
 *   W section, 4*H*I floats:  Wp[(j*I + k)*4 + g] = W[d][g*H + j][k]
 *   R section, 4*H*H floats:  Rp[(j*H + k)*4 + g] = R[d][g*H + j][k]
 *   bias,      4*H floats:    bp[j*4 + g]         = Wb[d][g*H + j] + Rb[d][g*H + j]   (float32 sum)
 *   peepholes, 4*H floats:    pp[j*4 + q]         = P[d][q*H + j]  with q = 0..2 = (i, o, f), pp[j*4 + 3] = 0
 *
 * That is, the rows of [W | R] are interleaved per hidden unit (the four gates of unit j are adjacent)
 * and transposed so that one pass over a contiguous stream of 4*I (or 4*H) floats yields all four gate
 * pre-activations of unit j: the kernel's inner loop loads x[k] (or h[k]) once and does four MACs.
 * Absent B or P pack as zeros. Every section length is a multiple of 4 floats, so with a 16-byte aligned
 * start every (unit, k) quad is 16-byte aligned (one f32x4 load in the WebAssembly kernel).
 */
export interface LstmWeights {
  /** ONNX W, [D, 4H, I], row-major. */
  readonly W: Float32Array;
  /** ONNX R, [D, 4H, H]. */
  readonly R: Float32Array;
  /** ONNX B, [D, 8H] (Wb then Rb), or null. */
  readonly B?: Float32Array | null;
  /** ONNX P, [D, 3H] (Pi, Po, Pf), or null. */
  readonly P?: Float32Array | null;
  readonly numDirections: number;
  readonly hiddenSize: number;
  readonly inputSize: number;
}

export interface LstmPackedSections {
  readonly w: number;
  readonly r: number;
  readonly bias: number;
  readonly peep: number;
  /** Floats per direction. */
  readonly stride: number;
}

/** Offsets (in floats, within one direction's row) of the sections of the packed layout. */
export function lstmPackedSections(hiddenSize: number, inputSize: number): LstmPackedSections {
  const H = hiddenSize;
  const I = inputSize;
  const w = 0;
  const r = 4 * H * I;
  const bias = r + 4 * H * H;
  const peep = bias + 4 * H;
  return { w, r, bias, peep, stride: peep + 4 * H };
}

/** Shape of the packed tensor: [numDirections, stride]. */
export function lstmPackedShape(numDirections: number, hiddenSize: number, inputSize: number): [number, number] {
  return [numDirections, lstmPackedSections(hiddenSize, inputSize).stride];
}

/** Packs ONNX LSTM weights into the kernel's layout (see the module comment). */
export function packLstmWeights(w: LstmWeights): Float32Array {
  const { numDirections: D, hiddenSize: H, inputSize: I } = w;
  if (!(D === 1 || D === 2) || !(H > 0) || !(I > 0) || !Number.isInteger(H) || !Number.isInteger(I)) {
    rtFail('E-RT-EXEC', `LSTM pack: bad sizes D=${D} H=${H} I=${I}`);
  }
  const expect = (name: string, a: Float32Array | null | undefined, n: number) => {
    if (a && a.length !== n) rtFail('E-RT-EXEC', `LSTM pack: ${name} has ${a.length} elements, expected ${n}`);
  };
  expect('W', w.W, D * 4 * H * I);
  expect('R', w.R, D * 4 * H * H);
  expect('B', w.B, D * 8 * H);
  expect('P', w.P, D * 3 * H);
  const s = lstmPackedSections(H, I);
  const out = new Float32Array(D * s.stride);
  for (let d = 0; d < D; d++) {
    const base = d * s.stride;
    for (let g = 0; g < 4; g++) {
      for (let j = 0; j < H; j++) {
        const wRow = (d * 4 * H + g * H + j) * I;
        for (let k = 0; k < I; k++) out[base + s.w + (j * I + k) * 4 + g] = w.W[wRow + k]!;
        const rRow = (d * 4 * H + g * H + j) * H;
        for (let k = 0; k < H; k++) out[base + s.r + (j * H + k) * 4 + g] = w.R[rRow + k]!;
        if (w.B) out[base + s.bias + j * 4 + g] = w.B[d * 8 * H + g * H + j]! + w.B[d * 8 * H + 4 * H + g * H + j]!;
      }
    }
    if (w.P) for (let q = 0; q < 3; q++) for (let j = 0; j < H; j++) out[base + s.peep + j * 4 + q] = w.P[d * 3 * H + q * H + j]!;
  }
  return out;
}

/** Inverse of packLstmWeights for W, R and P (the two biases are summed, so only their sum comes back). */
export function unpackLstmWeights(packed: Float32Array, numDirections: number, hiddenSize: number, inputSize: number) {
  const D = numDirections;
  const H = hiddenSize;
  const I = inputSize;
  const s = lstmPackedSections(H, I);
  const W = new Float32Array(D * 4 * H * I);
  const R = new Float32Array(D * 4 * H * H);
  const biasSum = new Float32Array(D * 4 * H);
  const P = new Float32Array(D * 3 * H);
  for (let d = 0; d < D; d++) {
    const base = d * s.stride;
    for (let g = 0; g < 4; g++) {
      for (let j = 0; j < H; j++) {
        for (let k = 0; k < I; k++) W[(d * 4 * H + g * H + j) * I + k] = packed[base + s.w + (j * I + k) * 4 + g]!;
        for (let k = 0; k < H; k++) R[(d * 4 * H + g * H + j) * H + k] = packed[base + s.r + (j * H + k) * 4 + g]!;
        biasSum[d * 4 * H + g * H + j] = packed[base + s.bias + j * 4 + g]!;
      }
    }
    for (let q = 0; q < 3; q++) for (let j = 0; j < H; j++) P[d * 3 * H + q * H + j] = packed[base + s.peep + j * 4 + q]!;
  }
  return { W, R, biasSum, P };
}
