import { rtFail } from '../../errors.js';

/**
 * The packed weight layout of the dense float32 LSTM kernel (`lstm.dense.f32`).
 *
 * One Float32Array of shape [D, stride], one row per direction d (0 = forward, 1 = reverse), with
 * H = hidden size, I = input size, Iq = ceil(I/4), Hq = ceil(H/4) and gates in ONNX order
 * g = 0..3 = (i, o, f, c). k is split into quads q (k = 4q + l, l = 0..3):
 *
 *   W section, 16*H*Iq floats:  Wp[(j*Iq + q)*16 + g*4 + l] = W[d][g*H + j][4q + l]   (0 for 4q + l >= I)
 *   R section, 16*H*Hq floats:  Rp[(j*Hq + q)*16 + g*4 + l] = R[d][g*H + j][4q + l]   (0 for 4q + l >= H)
 *   bias,      4*H floats:      bp[j*4 + g]  = Wb[d][g*H + j] + Rb[d][g*H + j]   (float32 sum)
 *   peepholes, 4*H floats:      pp[j*4 + p]  = P[d][p*H + j]  with p = 0..2 = (i, o, f), pp[j*4 + 3] = 0
 *
 * That is, the rows of [W | R] are interleaved per hidden unit: the four gate rows of unit j form one
 * contiguous run, cut into 16-float blocks of four k values per gate, so one pass over the run yields
 * all four gate pre-activations of unit j and each block is four f32x4 dot-product steps against one
 * f32x4 load of x[4q..4q+3] (no broadcast). Absent B or P pack as zeros. Every section is a multiple of
 * 16 bytes, so with a 16-byte aligned start every block is aligned.
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
  const r = 16 * H * Math.ceil(I / 4);
  const bias = r + 16 * H * Math.ceil(H / 4);
  const peep = bias + 4 * H;
  return { w, r, bias, peep, stride: peep + 4 * H };
}

/** Float index, within a W (K = I) or R (K = H) section, of the weight of unit j, input k, gate g. */
export function packedIndex(j: number, k: number, g: number, K: number): number {
  return (j * Math.ceil(K / 4) + (k >> 2)) * 16 + g * 4 + (k & 3);
}

/** Shape of the packed tensor: [numDirections, stride]. */
export function lstmPackedShape(numDirections: number, hiddenSize: number, inputSize: number): [number, number] {
  return [numDirections, lstmPackedSections(hiddenSize, inputSize).stride];
}

/** Packs ONNX LSTM weights into the kernel's layout (see the module comment). */
export function packLstmWeights(w: LstmWeights): Float32Array {
  checkLstmWeights(w);
  const s = lstmPackedSections(w.hiddenSize, w.inputSize);
  const out = new Float32Array(w.numDirections * s.stride);
  packLstmSectionsInto(w, out, s);
  return out;
}

/** Fails (E-RT-EXEC) unless the sizes are an LSTM's and the arrays have them. */
export function checkLstmWeights(w: LstmWeights): void {
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
}

/**
 * The sections of the packed layout into `out` (zeroed, [D, at.stride]) at the offsets `at` gives
 * within a direction's row; a W or R offset of -1 leaves that matrix out (the sparse layout keeps
 * it elsewhere). packLstmWeights is this with lstmPackedSections' offsets.
 */
export function packLstmSectionsInto(w: LstmWeights, out: Float32Array, at: Pick<LstmPackedSections, 'w' | 'r' | 'bias' | 'peep' | 'stride'>): void {
  const { numDirections: D, hiddenSize: H, inputSize: I } = w;
  for (let d = 0; d < D; d++) {
    const base = d * at.stride;
    for (let g = 0; g < 4; g++) {
      for (let j = 0; j < H; j++) {
        const wRow = (d * 4 * H + g * H + j) * I;
        if (at.w >= 0) for (let k = 0; k < I; k++) out[base + at.w + packedIndex(j, k, g, I)] = w.W[wRow + k]!;
        const rRow = (d * 4 * H + g * H + j) * H;
        if (at.r >= 0) for (let k = 0; k < H; k++) out[base + at.r + packedIndex(j, k, g, H)] = w.R[rRow + k]!;
        if (w.B) out[base + at.bias + j * 4 + g] = w.B[d * 8 * H + g * H + j]! + w.B[d * 8 * H + 4 * H + g * H + j]!;
      }
    }
    if (w.P) for (let q = 0; q < 3; q++) for (let j = 0; j < H; j++) out[base + at.peep + j * 4 + q] = w.P[d * 3 * H + q * H + j]!;
  }
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
        for (let k = 0; k < I; k++) W[(d * 4 * H + g * H + j) * I + k] = packed[base + s.w + packedIndex(j, k, g, I)]!;
        for (let k = 0; k < H; k++) R[(d * 4 * H + g * H + j) * H + k] = packed[base + s.r + packedIndex(j, k, g, H)]!;
        biasSum[d * 4 * H + g * H + j] = packed[base + s.bias + j * 4 + g]!;
      }
    }
    for (let q = 0; q < 3; q++) for (let j = 0; j < H; j++) P[d * 3 * H + q * H + j] = packed[base + s.peep + j * 4 + q]!;
  }
  return { W, R, biasSum, P };
}
