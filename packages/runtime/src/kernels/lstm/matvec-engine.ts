import { rtFail } from '../../errors.js';
import { MATVEC_FMA_SITES, MATVEC_MODULE_BASE64 } from '../../generated/matvec-module.js';
import { decodeSites, withRelaxedMadd } from './relaxed-simd.js';
import { CallRecorder } from './threads/call-recorder.js';
import { CALL_NAMES } from './threads/split-calls.js';
import type { ThreadPool } from './threads/thread-pool.js';

/**
 * Where the LSTM kernel's matrix-vector products run. Both engines hold one Float32Array memory:
 * the packed weights at float offset 0, then scratch space the kernel lays out per call.
 * `mv1`/`mv2` follow the contract of wasm/matvec-module.ts, with float offsets instead of byte addresses
 * (ws: floats between units, Kq: number of k-quads):
 *   out[j*4 + g] += sum over q < Kq, l < 4 of w[j*ws + q*16 + g*4 + l] * x[4q + l],   for j < H.
 */
export interface MatvecEngine {
  readonly kind: 'wasm-simd' | 'js';
  /** The memory; a new view after `scratch` grows it, so read it after every `scratch` call. */
  readonly mem: Float32Array;
  /** Float offset of the first scratch float (16-byte aligned). */
  readonly scratchOff: number;
  /** Ensures `floats` floats of scratch after the weights; scratch contents are not preserved. */
  scratch(floats: number): void;
  /**
   * Appends `floats` zeroed floats to the kept region (weights and what was reserved before), moving
   * scratchOff after them; returns their float offset (16-byte aligned). Not while a run uses scratch.
   */
  reserve(floats: number): number;
  mv1(wOff: number, xOff: number, outOff: number, H: number, Kq: number, ws: number): void;
  mv2(wOff: number, x0: number, x1: number, o0: number, o1: number, H: number, Kq: number, ws: number): void;
  /**
   * Gathers by an int32 index list of n entries at float offset idxOff, of element indices relative to
   * the float32 array at srcOff (wasm/gather-module.ts gxf): dst[i] = src[idx[i]]. For the Conv
   * kernel's columns and outputs.
   */
  gatherF32(dst: number, srcOff: number, idxOff: number, n: number): void;
  /**
   * Sparse products over compressed rows (wasm/spmv-module.ts). The non-zeros are (column, value) pairs
   * of two 32-bit words at element offset pairOff: the column as an int32 k*sparseUnit, the value as f32;
   * row pointers (int32, at element offset ptrOff) are 2*p*sparseUnit for a row starting at pair p.
   * sparseUnit is 4 (byte offsets) for the WebAssembly engine and 1 (element offsets) for the JS one;
   * `encodeSparsePairs` lays the CSR arrays out so. Offsets x, out, xT, outT are element offsets.
   *   spmv1/spmv2: out[r] += sum of val * x[k] over row r's pairs (one or two vectors)
   *   spmmT: outT[r][i] = sum of val * xT[k][i], xT and outT rows of n = 16*blocks floats (overwritten)
   *   tback: dst_r[i] = add_r[i] + outT[i][r] for i < H4 (a multiple of 4), r < count: spmmT's result back into
   *     rows; dst_r and add_r at the element offsets int32 r at dstsOff and addsOff, times sparseUnit (4*ceil(count/4) of each)
   *   xpose: xT[k][i] = float k of vector i, k < 4*Kq, i < n (a multiple of 4): spmmT's operand; vector i at the
   *     element offset given by int32 i at rowsOff, times sparseUnit
   */
  readonly sparseUnit: 1 | 4;
  /** An Int32Array over the same memory as `mem` (the int32 arrays the kernels read: pointers, columns, address lists), renewed when the memory grows. */
  ints(): Int32Array;
  spmv1(ptrOff: number, pairOff: number, x: number, out: number, rows: number): void;
  spmv2(ptrOff: number, pairOff: number, x0: number, x1: number, o0: number, o1: number, rows: number): void;
  spmmT(ptrOff: number, pairOff: number, xT: number, outT: number, rows: number, blocks: number): void;
  tback(outT: number, n: number, dstsOff: number, addsOff: number, H4: number, count: number): void;
  xpose(rowsOff: number, n: number, Kq: number, xT: number): void;
  /**
   * Structured-sparse products over row groups (wasm/group-spmv-module.ts, layout in group-sparse.ts),
   * for n vectors: x at xs[i], out at outs[i] (i < n). gptr: 4*ceil(H/4)+1 int32 entry indices;
   * cols: the entries' columns as int32 k*sparseUnit; vals: the entries' four weights (16-byte aligned).
   * All offsets are element offsets.
   */
  gsp(gptrOff: number, colsOff: number, valsOff: number, H: number, n: number, xs: Int32Array, outs: Int32Array): void;
  /**
   * The same over wide row groups (16 units of one gate per group, 16 weights per entry; group-sparse.ts
   * WideGroupSparse) for units [0, 16*blocks): gptr holds 4*blocks+1 entry indices. Element offsets.
   */
  gsw(gptrOff: number, colsOff: number, valsOff: number, blocks: number, n: number, xs: Int32Array, outs: Int32Array): void;
  /**
   * out[0..4H) += sum over i < n of xv[i] * (4H floats at wc + ks[i]) (wasm/column-module.ts); ks holds
   * int32 column offsets times sparseUnit, xv f32 values. Element offsets.
   */
  zcols(wcOff: number, ksOff: number, xvOff: number, n: number, out: number, H: number): void;
  /**
   * The int8 weight product (wasm/int8-module.ts, layout in int8-weights.ts), element offsets:
   * out[j*4 + g] += f32(sum over k of w[j][k][g] * xq[k]) * scales[j*4 + g] * sx; ws = floats per unit.
   */
  mvq(wOff: number, ws: number, scalesOff: number, xqOff: number, Ko: number, out: number, H: number, sx: number): void;
  /**
   * The int8 products' vector quantizer (wasm/int8-module.ts qvec): the K floats at x become int16 at
   * xqOff (element offset; int16 index 2*xqOff, K entries), |xq| <= xmax, with one scale max|x| / xmax,
   * which it returns; 0 for an all-zero vector (xq then left as it was). It runs at once, also inside
   * a `parallel` section.
   */
  quantize(x: number, K: number, xqOff: number, xmax: number): number;
  /** mvq for two vectors sharing the weight loads (wasm/int8-module.ts mvq2); bit for bit two mvq calls. */
  mvq2(wOff: number, ws: number, scalesOff: number, xq0: number, xq1: number, Ko: number, out0: number, out1: number, H: number, sx0: number, sx1: number): void;
  /**
   * The int8 sparse products (wasm/int8-sparse-module.ts, layouts in int8-sparse.ts), element offsets
   * (the records hold byte offsets into xq and into recs, the same for both engines):
   *   gsq: row groups, out[(4m + l)*4 + ga] += f32(sum of w[l] * xq[k]) * scales[gi][l] * sx
   *   spq: compressed rows, out[r] += f32(sum of w * xq[k]) * scales[r] * sx
   *   gswq: wide row groups (16 units of a gate, units [0, 16*blocks)),
   *         out[(16b + u)*4 + ga] += f32(sum of w[u] * xq[k]) * scales[gi][u] * sx
   */
  gsq(gptrOff: number, recsOff: number, scalesOff: number, xqOff: number, out: number, H: number, sx: number): void;
  spq(ptrOff: number, recsOff: number, xqOff: number, scalesOff: number, out: number, rows: number, sx: number): void;
  gswq(gptrOff: number, recsOff: number, scalesOff: number, xqOff: number, out: number, blocks: number, sx: number): void;
  /** gswq for two vectors sharing the record loads (gswq2); bit for bit two gswq calls. */
  gswq2(gptrOff: number, recsOff: number, scalesOff: number, xq0: number, xq1: number, out0: number, out1: number, blocks: number, sx0: number, sx1: number): void;
  /**
   * Vectorized cell update with the default activations for `groups` groups of four units
   * (wasm/cell-module.ts); flags bit 0 = peepholes, bit 1 = input_forget. Absent on the JS engine.
   */
  readonly cell4?: (rowOff: number, peepOff: number, cOff: number, hOff: number, groups: number, flags: number, clip: number) => void;
  /**
   * L steps of one direction of a dense LSTM of one or two batch entries in one call (wasm/steps-module.ts;
   * float offsets, ws in floats): per step the mv2/mv1 product of R at wOff into the step's rows at xpOff,
   * cell4, and h saved over the row block. Absent on the JS engine and on engines with worker threads
   * (their products are split per step).
   */
  readonly steps?: (wOff: number, Kq: number, ws: number, H: number, xpOff: number, hOff: number, cOff: number, peepOff: number, flags: number, clip: number, len: number, B: number, reverse: boolean) => void;
  /**
   * Runs `body`, whose product calls (mv*, spmv*, spmmT, gsp, gsw, mvq) may then be split over unit ranges
   * and run on the engine's worker threads (threads/): they must not depend on one another, and `body`
   * must not read what they write. All have completed when `parallel` returns. Without threads, or
   * inside another `parallel`, this is `body()`. Results are bit-identical either way.
   */
  parallel(body: () => void): void;
  /**
   * Into how many unit ranges a `parallel` section started now, or the one being recorded, splits each
   * call (the pool's parts; 1 without threads). A product that blocks its units for the cache makes its
   * blocks this many times larger, so that each thread's share of a block is the cache block and not a
   * sliver of it.
   */
  sectionParts(): number;
}

/**
 * The WebAssembly engine's kernels for the ops around the LSTMs (the Conv, Gemm, MatMul, Log and
 * element-wise kernels), which have no JS engine form: on hosts without WebAssembly SIMD those kernels
 * run their ops' reference evaluations instead. simdEngine makes an engine that has them.
 */
export interface SimdKernels {
  /**
   * Products with float32 sums in the order of k, four output channels to a unit, over n columns of K
   * floats (wasm/channel-sum-module.ts mvc; float offsets): o[p*4U + 4u + c] += the sum from zero of
   * w(u, k, c) * x[p*K + k] for k = 0, 1, ..., K-1, the weights of units below 4 floor(U/4) in quads
   * ((k, i, c) at 16K q + 16k + 4i + c), the others at 4Ku + 4k + c. For the Conv, Gemm and MatMul
   * kernels (channel-rows.ts).
   */
  mvc(wOff: number, x: number, o: number, U: number, K: number, n: number): void;
  /**
   * A depthwise 1-D convolution of stride 1 (wasm/depthwise-module.ts dwc; float offsets): for c < C
   * and i < 4nv, o[c*os + i] = b[c] + the float32 sum from zero of w[c*kT + t] * r[i + t*dil] over
   * t = 0, 1, ..., kT-1, where r is the row at `row` after channel c's L floats (x + c*L) were copied
   * to row + pad; rows stored in order of c (where 4nv > os, a row's tail is overwritten by the next
   * row). For the Conv kernel.
   */
  dwc(wOff: number, bOff: number, x: number, o: number, C: number, kT: number, dil: number, L: number, row: number, pad: number, nv: number, os: number): void;
  /** o[i] = ln x[i] for i < 4n (wasm/log-module.ts logv: within 1 ulp), float offsets. For the Log kernel. */
  logv(x: number, o: number, n: number): void;
  /**
   * Element-wise float32 arithmetic (wasm/vector-module.ts; float offsets and steps): vbin, for
   * `rows` rows of nv vectors of four floats, o = x op y with op vector-kinds.ts VECTOR_BINARY[kind],
   * o running on through the rows, an operand starting row r at its offset plus r times its row step
   * (xr, yr) and advancing its inner step (xi, yi: 4, or 0 for its one element over the row) per
   * vector; vun o[i] = VECTOR_UNARY[kind] of x[i] over n vectors. The bits of the ops' reference
   * evaluations. For the element-wise kernels (vector-kernels.ts).
   */
  vbin(kind: number, x: number, xi: number, xr: number, y: number, yi: number, yr: number, o: number, rows: number, nv: number): void;
  vun(kind: number, x: number, o: number, n: number): void;
}

const PAGE = 65536;

/** n rounded up to a multiple of four floats: scratch parts of that length keep the next part 16-byte aligned. */
export const align4 = (n: number): number => (n + 3) & ~3;

type VectorBinary = (x: number, xi: number, xr: number, y: number, yi: number, yr: number, o: number, rows: number, nv: number) => void;

interface MatvecExports {
  mem: WebAssembly.Memory;
  mv1: (w: number, x: number, out: number, H: number, Kq: number, ws: number) => void;
  mv2: (w: number, x0: number, x1: number, o0: number, o1: number, H: number, Kq: number, ws: number) => void;
  mvc: (w: number, x: number, o: number, U: number, K: number, n: number) => void;
  dwc: (w: number, b: number, x: number, o: number, C: number, kT: number, dil: number, L: number, row: number, pad: number, nv: number, os: number) => void;
  logv: (x: number, o: number, n: number) => void;
  vadd: VectorBinary;
  vsub: VectorBinary;
  vmul: VectorBinary;
  vdiv: VectorBinary;
  vrelu: (x: number, o: number, n: number) => void;
  vsqrt: (x: number, o: number, n: number) => void;
  vneg: (x: number, o: number, n: number) => void;
  vabs: (x: number, o: number, n: number) => void;
  gxf: (dst: number, src: number, idx: number, n: number) => void;
  qvec: (x: number, K: number, xq: number, xmax: number) => number;
  cell4: (row: number, peep: number, c: number, h: number, groups: number, flags: number, clip: number) => void;
  steps: (w: number, kq: number, ws: number, H: number, xp: number, h: number, c: number, peep: number, flags: number, clip: number, len: number, B: number, rev: number) => void;
  spmv1: (ptr: number, pairs: number, x: number, out: number, rows: number) => void;
  spmv2: (ptr: number, pairs: number, x0: number, x1: number, o0: number, o1: number, rows: number) => void;
  spmmT: (ptr: number, pairs: number, xT: number, outT: number, rows: number, blocks: number) => void;
  tback: (outT: number, n: number, dsts: number, adds: number, H4: number, count: number) => void;
  xpose: (rows: number, n: number, Kq: number, xT: number) => void;
  gsp1: (gptr: number, cols: number, vals: number, x: number, out: number, H: number) => void;
  gsp2: (gptr: number, cols: number, vals: number, x0: number, x1: number, o0: number, o1: number, H: number) => void;
  zcols: (wc: number, ks: number, xv: number, n: number, out: number, H: number) => void;
  mvq1: (w: number, ws: number, scales: number, xq: number, Ko: number, out: number, H: number, sx: number) => void;
  mvq2: (w: number, ws: number, scales: number, xq0: number, xq1: number, Ko: number, o0: number, o1: number, H: number, sx0: number, sx1: number) => void;
  gsq1: (gptr: number, recs: number, scales: number, xq: number, out: number, H: number, sx: number) => void;
  spq1: (ptr: number, recs: number, xq: number, scales: number, out: number, rows: number, sx: number) => void;
  gswq1: (gptr: number, recs: number, scales: number, xq: number, out: number, blocks: number, sx: number) => void;
  gswq2: (gptr: number, recs: number, scales: number, xq0: number, xq1: number, o0: number, o1: number, blocks: number, sx0: number, sx1: number) => void;
  gsp4: (gptr: number, cols: number, vals: number, x0: number, x1: number, x2: number, x3: number, o0: number, o1: number, o2: number, o3: number, H: number) => void;
  gsw1: (gptr: number, cols: number, vals: number, x: number, out: number, blocks: number) => void;
  gsw2: (gptr: number, cols: number, vals: number, x0: number, x1: number, o0: number, o1: number, blocks: number) => void;
}

/** Grows a WebAssembly memory to at least `bytes` (a 32-bit memory holds at most 4 GiB). */
function growTo(mem: WebAssembly.Memory, bytes: number): void {
  const have = mem.buffer.byteLength;
  if (bytes <= have) return;
  try {
    mem.grow(Math.ceil((bytes - have) / PAGE));
  } catch {
    rtFail('E-RT-EXEC', `the LSTM needs ${bytes} bytes of WebAssembly memory, more than the host grants`);
  }
}

/** MatvecEngine.reserve on either engine: `floats` zeroed floats kept after the weights and what was reserved before. */
function reserveFloats(e: { scratchOff: number; readonly mem: Float32Array; scratch(floats: number): void }, floats: number): number {
  const off = e.scratchOff;
  const kept = Math.ceil(floats / 4) * 4;
  e.scratch(kept);
  e.mem.fill(0, off, off + floats);
  e.scratchOff = off + kept;
  return off;
}

class WasmEngine implements MatvecEngine, SimdKernels {
  readonly kind = 'wasm-simd';
  mem: Float32Array;
  scratchOff: number;
  /** Where calls go: the instance's exports, or the recorder's stand-ins during a section. */
  private ex: MatvecExports;
  private readonly recordingEx: MatvecExports;
  private recording = false;
  /** The element-wise exports by their kind (VECTOR_BINARY, VECTOR_UNARY order). */
  private readonly binary: readonly VectorBinary[];
  private readonly unary: readonly MatvecExports['vrelu'][];

  constructor(private readonly direct: MatvecExports, weights: Float32Array, private readonly recorder?: CallRecorder) {
    this.ex = direct;
    this.binary = [direct.vadd, direct.vsub, direct.vmul, direct.vdiv];
    this.unary = [direct.vrelu, direct.vsqrt, direct.vneg, direct.vabs];
    this.steps = recorder
      ? undefined
      : (wOff, Kq, ws, H, xpOff, hOff, cOff, peepOff, flags, clip, len, B, reverse) =>
          direct.steps(wOff * 4, Kq, ws * 4, H, xpOff * 4, hOff * 4, cOff * 4, peepOff * 4, flags, clip, len, B, reverse ? 1 : 0);
    this.recordingEx = recorder ? { ...direct, ...recorder.fns } : direct;
    this.scratchOff = Math.ceil(weights.length / 4) * 4;
    this.mem = new Float32Array(direct.mem.buffer);
    this.mem.set(weights);
  }

  sectionParts(): number {
    return this.recorder ? this.recorder.parts() : 1;
  }

  parallel(body: () => void): void {
    const r = this.recorder;
    if (!r || this.recording || !r.begin()) return body();
    this.recording = true;
    this.ex = this.recordingEx;
    try {
      body();
    } catch (e) {
      r.discard();
      throw e;
    } finally {
      this.ex = this.direct;
      this.recording = false;
    }
    r.finish();
  }

  scratch(floats: number): void {
    growTo(this.direct.mem, (this.scratchOff + floats) * 4);
    if (this.mem.buffer !== this.direct.mem.buffer) this.mem = new Float32Array(this.direct.mem.buffer);
  }

  reserve(floats: number): number {
    return reserveFloats(this, floats);
  }

  zcols(wcOff: number, ksOff: number, xvOff: number, n: number, out: number, H: number): void {
    this.ex.zcols(wcOff * 4, ksOff * 4, xvOff * 4, n, out * 4, H);
  }

  quantize(x: number, K: number, xqOff: number, xmax: number): number {
    return this.direct.qvec(x * 4, K, xqOff * 4, xmax);
  }

  mvq(wOff: number, ws: number, scalesOff: number, xqOff: number, Ko: number, out: number, H: number, sx: number): void {
    this.ex.mvq1(wOff * 4, ws * 4, scalesOff * 4, xqOff * 4, Ko, out * 4, H, sx);
  }

  mvq2(wOff: number, ws: number, scalesOff: number, xq0: number, xq1: number, Ko: number, out0: number, out1: number, H: number, sx0: number, sx1: number): void {
    this.ex.mvq2(wOff * 4, ws * 4, scalesOff * 4, xq0 * 4, xq1 * 4, Ko, out0 * 4, out1 * 4, H, sx0, sx1);
  }

  gsq(gptrOff: number, recsOff: number, scalesOff: number, xqOff: number, out: number, H: number, sx: number): void {
    this.ex.gsq1(gptrOff * 4, recsOff * 4, scalesOff * 4, xqOff * 4, out * 4, H, sx);
  }

  spq(ptrOff: number, recsOff: number, xqOff: number, scalesOff: number, out: number, rows: number, sx: number): void {
    this.ex.spq1(ptrOff * 4, recsOff * 4, xqOff * 4, scalesOff * 4, out * 4, rows, sx);
  }

  gswq(gptrOff: number, recsOff: number, scalesOff: number, xqOff: number, out: number, blocks: number, sx: number): void {
    this.ex.gswq1(gptrOff * 4, recsOff * 4, scalesOff * 4, xqOff * 4, out * 4, blocks, sx);
  }

  gswq2(gptrOff: number, recsOff: number, scalesOff: number, xq0: number, xq1: number, out0: number, out1: number, blocks: number, sx0: number, sx1: number): void {
    this.ex.gswq2(gptrOff * 4, recsOff * 4, scalesOff * 4, xq0 * 4, xq1 * 4, out0 * 4, out1 * 4, blocks, sx0, sx1);
  }

  mv1(wOff: number, xOff: number, outOff: number, H: number, Kq: number, ws: number): void {
    this.ex.mv1(wOff * 4, xOff * 4, outOff * 4, H, Kq, ws * 4);
  }

  mv2(wOff: number, x0: number, x1: number, o0: number, o1: number, H: number, Kq: number, ws: number): void {
    this.ex.mv2(wOff * 4, x0 * 4, x1 * 4, o0 * 4, o1 * 4, H, Kq, ws * 4);
  }

  mvc(wOff: number, x: number, o: number, U: number, K: number, n: number): void {
    this.ex.mvc(wOff * 4, x * 4, o * 4, U, K, n);
  }

  dwc(wOff: number, bOff: number, x: number, o: number, C: number, kT: number, dil: number, L: number, row: number, pad: number, nv: number, os: number): void {
    this.ex.dwc(wOff * 4, bOff * 4, x * 4, o * 4, C, kT, dil * 4, L, row * 4, pad * 4, nv, os);
  }

  logv(x: number, o: number, n: number): void {
    this.ex.logv(x * 4, o * 4, n);
  }

  vbin(kind: number, x: number, xi: number, xr: number, y: number, yi: number, yr: number, o: number, rows: number, nv: number): void {
    this.binary[kind]!(x * 4, xi * 4, xr * 4, y * 4, yi * 4, yr * 4, o * 4, rows, nv);
  }

  vun(kind: number, x: number, o: number, n: number): void {
    this.unary[kind]!(x * 4, o * 4, n);
  }

  gatherF32(dst: number, srcOff: number, idxOff: number, n: number): void {
    this.ex.gxf(dst * 4, srcOff * 4, idxOff * 4, n);
  }

  readonly sparseUnit = 4;

  ints(): Int32Array {
    return (this.imem = int32View(this.mem, this.imem));
  }

  private imem: Int32Array = new Int32Array(0);

  spmv1(ptrOff: number, pairOff: number, x: number, out: number, rows: number): void {
    this.ex.spmv1(ptrOff * 4, pairOff * 4, x * 4, out * 4, rows);
  }

  spmv2(ptrOff: number, pairOff: number, x0: number, x1: number, o0: number, o1: number, rows: number): void {
    this.ex.spmv2(ptrOff * 4, pairOff * 4, x0 * 4, x1 * 4, o0 * 4, o1 * 4, rows);
  }

  spmmT(ptrOff: number, pairOff: number, xT: number, outT: number, rows: number, blocks: number): void {
    this.ex.spmmT(ptrOff * 4, pairOff * 4, xT * 4, outT * 4, rows, blocks);
  }

  tback(outT: number, n: number, dstsOff: number, addsOff: number, H4: number, count: number): void {
    this.ex.tback(outT * 4, n, dstsOff * 4, addsOff * 4, H4, count);
  }

  xpose(rowsOff: number, n: number, Kq: number, xT: number): void {
    this.ex.xpose(rowsOff * 4, n, Kq, xT * 4);
  }

  gsp(gptrOff: number, colsOff: number, valsOff: number, H: number, n: number, xs: Int32Array, outs: Int32Array): void {
    const [g, c, v] = [gptrOff * 4, colsOff * 4, valsOff * 4];
    let i = 0;
    for (; i + 4 <= n; i += 4) this.ex.gsp4(g, c, v, xs[i]! * 4, xs[i + 1]! * 4, xs[i + 2]! * 4, xs[i + 3]! * 4, outs[i]! * 4, outs[i + 1]! * 4, outs[i + 2]! * 4, outs[i + 3]! * 4, H);
    for (; i + 2 <= n; i += 2) this.ex.gsp2(g, c, v, xs[i]! * 4, xs[i + 1]! * 4, outs[i]! * 4, outs[i + 1]! * 4, H);
    if (i < n) this.ex.gsp1(g, c, v, xs[i]! * 4, outs[i]! * 4, H);
  }

  gsw(gptrOff: number, colsOff: number, valsOff: number, blocks: number, n: number, xs: Int32Array, outs: Int32Array): void {
    const [g, c, v] = [gptrOff * 4, colsOff * 4, valsOff * 4];
    let i = 0;
    for (; i + 2 <= n; i += 2) this.ex.gsw2(g, c, v, xs[i]! * 4, xs[i + 1]! * 4, outs[i]! * 4, outs[i + 1]! * 4, blocks);
    if (i < n) this.ex.gsw1(g, c, v, xs[i]! * 4, outs[i]! * 4, blocks);
  }

  readonly cell4 = (rowOff: number, peepOff: number, cOff: number, hOff: number, groups: number, flags: number, clip: number): void => {
    this.ex.cell4(rowOff * 4, peepOff * 4, cOff * 4, hOff * 4, groups, flags, clip);
  };

  /** MatvecEngine.steps, on an engine without worker threads. */
  readonly steps: MatvecEngine['steps'];
}

/** `cached` if it views mem's buffer, else a new Int32Array over it (both engines' `ints`; mem starts at byte 0). */
const int32View = (mem: Float32Array, cached: Int32Array): Int32Array => (cached.buffer === mem.buffer ? cached : new Int32Array(mem.buffer));

/** Portable fallback for hosts without WebAssembly SIMD; accumulates in float64. */
class JsEngine implements MatvecEngine {
  readonly kind = 'js';
  mem: Float32Array;
  scratchOff: number;

  parallel(body: () => void): void {
    body();
  }

  sectionParts(): number {
    return 1;
  }

  constructor(weights: Float32Array) {
    this.scratchOff = Math.ceil(weights.length / 4) * 4;
    this.mem = new Float32Array(this.scratchOff);
    this.mem.set(weights);
  }

  scratch(floats: number): void {
    if (this.scratchOff + floats <= this.mem.length) return;
    const kept = this.mem.subarray(0, this.scratchOff);
    this.mem = new Float32Array(this.scratchOff + floats);
    this.mem.set(kept);
  }

  reserve(floats: number): number {
    return reserveFloats(this, floats);
  }

  quantize(x: number, K: number, xqOff: number, xmax: number): number {
    const m = this.mem;
    let max = 0;
    for (let k = x; k < x + K; k++) {
      const v = m[k]!;
      const a = v < 0 ? -v : v;
      if (a > max || a !== a) max = a; // a NaN input makes the scale NaN (and stays the max)
    }
    if (max === 0) return 0;
    const xq = new Int16Array(m.buffer, m.byteOffset + 4 * xqOff, K);
    const inv = xmax / max;
    // floor(v + 0.5): Math.round, measured 3x slower here
    for (let k = 0; k < K; k++) xq[k] = Math.floor(m[x + k]! * inv + 0.5);
    return max / xmax;
  }

  mvq2(wOff: number, ws: number, scalesOff: number, xq0: number, xq1: number, Ko: number, out0: number, out1: number, H: number, sx0: number, sx1: number): void {
    this.mvq(wOff, ws, scalesOff, xq0, Ko, out0, H, sx0);
    this.mvq(wOff, ws, scalesOff, xq1, Ko, out1, H, sx1);
  }

  mvq(wOff: number, ws: number, scalesOff: number, xqOff: number, Ko: number, out: number, H: number, sx: number): void {
    const m = this.mem;
    const w8 = new Int8Array(m.buffer);
    const x16 = new Int16Array(m.buffer);
    for (let j = 0; j < H; j++) {
      const base = 4 * (wOff + j * ws);
      for (let g = 0; g < 4; g++) {
        let acc = 0; // exact: the caller bounds |xq| so the sum stays below 2^31
        for (let k = 0; k < 8 * Ko; k++) acc += w8[base + (k >> 3) * 32 + g * 8 + (k & 7)]! * x16[2 * xqOff + k]!;
        m[out + 4 * j + g] += Math.fround(Math.fround(acc) * m[scalesOff + 4 * j + g]!) * Math.fround(sx);
      }
    }
  }

  gsq(gptrOff: number, recsOff: number, scalesOff: number, xqOff: number, out: number, H: number, sx: number): void {
    const m = this.mem;
    const im = this.ints();
    const w8 = new Int8Array(m.buffer);
    const x16 = new Int16Array(m.buffer);
    for (let u = 0, gi = 0; u < H; u += 4) {
      for (let ga = 0; ga < 4; ga++, gi++) {
        const acc = [0, 0, 0, 0]; // exact: the caller bounds |xq| so every sum stays below 2^31
        for (let p = im[gptrOff + gi]!; p < im[gptrOff + gi + 1]!; p++) {
          const rec = recsOff + 4 * p;
          const x0 = x16[2 * xqOff + (im[rec]! >> 1)]!;
          const x1 = x16[2 * xqOff + (im[rec + 1]! >> 1)]!;
          for (let l = 0; l < 4; l++) acc[l] += w8[4 * (rec + 2) + 2 * l]! * x0 + w8[4 * (rec + 2) + 2 * l + 1]! * x1;
        }
        for (let l = 0; l < 4 && u + l < H; l++) m[out + 4 * (u + l) + ga] += Math.fround(Math.fround(acc[l]!) * m[scalesOff + 4 * gi + l]!) * Math.fround(sx);
      }
    }
  }

  gswq2(gptrOff: number, recsOff: number, scalesOff: number, xq0: number, xq1: number, out0: number, out1: number, blocks: number, sx0: number, sx1: number): void {
    this.gswq(gptrOff, recsOff, scalesOff, xq0, out0, blocks, sx0);
    this.gswq(gptrOff, recsOff, scalesOff, xq1, out1, blocks, sx1);
  }

  gswq(gptrOff: number, recsOff: number, scalesOff: number, xqOff: number, out: number, blocks: number, sx: number): void {
    const m = this.mem;
    const im = this.ints();
    const w8 = new Int8Array(m.buffer);
    const x16 = new Int16Array(m.buffer);
    const acc = new Array<number>(16);
    for (let b = 0, gi = 0; b < blocks; b++) {
      for (let ga = 0; ga < 4; ga++, gi++) {
        acc.fill(0); // exact: the caller bounds |xq| so every sum stays below 2^31
        for (let p = im[gptrOff + gi]!; p < im[gptrOff + gi + 1]!; p++) {
          const rec = recsOff + 10 * p;
          const x0 = x16[2 * xqOff + (im[rec]! >> 1)]!;
          const x1 = x16[2 * xqOff + (im[rec + 1]! >> 1)]!;
          for (let u = 0; u < 16; u++) acc[u] += w8[4 * (rec + 2) + 2 * u]! * x0 + w8[4 * (rec + 2) + 2 * u + 1]! * x1;
        }
        for (let u = 0; u < 16; u++) m[out + 4 * (16 * b + u) + ga] += Math.fround(Math.fround(acc[u]!) * m[scalesOff + 16 * gi + u]!) * Math.fround(sx);
      }
    }
  }

  spq(ptrOff: number, recsOff: number, xqOff: number, scalesOff: number, out: number, rows: number, sx: number): void {
    const m = this.mem;
    const im = this.ints();
    const x16 = new Int16Array(m.buffer);
    for (let r = 0; r < rows; r++) {
      let acc = 0;
      for (let p = recsOff + (im[ptrOff + r]! >> 2), end = recsOff + (im[ptrOff + r + 1]! >> 2); p < end; p++) {
        const v = im[p]!;
        acc += ((v << 24) >> 24) * x16[2 * xqOff + (v >>> 9)]!;
      }
      m[out + r] += Math.fround(Math.fround(acc) * m[scalesOff + r]!) * Math.fround(sx);
    }
  }

  zcols(wcOff: number, ksOff: number, xvOff: number, n: number, out: number, H: number): void {
    const m = this.mem;
    const im = this.ints();
    const H4 = 4 * H;
    for (let i = 0; i < n; i++) {
      const c = wcOff + im[ksOff + i]!;
      const v = m[xvOff + i]!;
      for (let r = 0; r < H4; r++) m[out + r] += v * m[c + r]!;
    }
  }

  mv1(wOff: number, xOff: number, outOff: number, H: number, Kq: number, ws: number): void {
    const m = this.mem;
    for (let j = 0; j < H; j++) {
      const o = outOff + j * 4;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      let p = wOff + j * ws;
      for (let q = 0, x = xOff; q < Kq; q++, p += 16, x += 4) {
        const x0 = m[x]!, x1 = m[x + 1]!, x2 = m[x + 2]!, x3 = m[x + 3]!;
        a0 += m[p]! * x0 + m[p + 1]! * x1 + m[p + 2]! * x2 + m[p + 3]! * x3;
        a1 += m[p + 4]! * x0 + m[p + 5]! * x1 + m[p + 6]! * x2 + m[p + 7]! * x3;
        a2 += m[p + 8]! * x0 + m[p + 9]! * x1 + m[p + 10]! * x2 + m[p + 11]! * x3;
        a3 += m[p + 12]! * x0 + m[p + 13]! * x1 + m[p + 14]! * x2 + m[p + 15]! * x3;
      }
      m[o] += a0;
      m[o + 1] += a1;
      m[o + 2] += a2;
      m[o + 3] += a3;
    }
  }

  mv2(wOff: number, x0: number, x1: number, o0: number, o1: number, H: number, Kq: number, ws: number): void {
    this.mv1(wOff, x0, o0, H, Kq, ws);
    this.mv1(wOff, x1, o1, H, Kq, ws);
  }

  gatherF32(dst: number, srcOff: number, idxOff: number, n: number): void {
    const m = this.mem;
    const ix = this.ints();
    for (let i = 0; i < n; i++) m[dst + i] = m[srcOff + ix[idxOff + i]!]!;
  }

  /** An int32 view of the current memory (rebuilt only when `scratch` replaced the memory). */
  ints(): Int32Array {
    return (this.imem = int32View(this.mem, this.imem));
  }

  private imem: Int32Array = new Int32Array(0);

  readonly sparseUnit = 1;

  spmv1(ptrOff: number, pairOff: number, x: number, out: number, rows: number): void {
    const m = this.mem;
    const im = this.ints();
    for (let r = 0; r < rows; r++) {
      let acc = 0;
      const end = pairOff + im[ptrOff + r + 1]!;
      for (let q = pairOff + im[ptrOff + r]!; q < end; q += 2) acc += m[q + 1]! * m[x + im[q]!]!;
      m[out + r] += acc;
    }
  }

  spmv2(ptrOff: number, pairOff: number, x0: number, x1: number, o0: number, o1: number, rows: number): void {
    this.spmv1(ptrOff, pairOff, x0, o0, rows);
    this.spmv1(ptrOff, pairOff, x1, o1, rows);
  }

  gsp(gptrOff: number, colsOff: number, valsOff: number, H: number, n: number, xs: Int32Array, outs: Int32Array): void {
    const m = this.mem;
    const im = this.ints();
    for (let u = 0, gi = gptrOff; u < H; u += 4) {
      for (let ga = 0; ga < 4; ga++, gi++) {
        const end = im[gi + 1]!;
        const lanes = Math.min(4, H - u);
        for (let i = 0; i < n; i++) {
          const x = xs[i]!;
          const o = outs[i]! + 4 * u + ga;
          for (let l = 0; l < lanes; l++) {
            let acc = 0;
            for (let p = im[gi]!; p < end; p++) acc += m[valsOff + 4 * p + l]! * m[x + im[colsOff + p]!]!;
            m[o + 4 * l] += acc;
          }
        }
      }
    }
  }

  gsw(gptrOff: number, colsOff: number, valsOff: number, blocks: number, n: number, xs: Int32Array, outs: Int32Array): void {
    const m = this.mem;
    const im = this.ints();
    for (let b = 0, gi = gptrOff; b < blocks; b++) {
      for (let ga = 0; ga < 4; ga++, gi++) {
        for (let i = 0; i < n; i++) {
          const x = xs[i]!;
          const o = outs[i]! + 64 * b + ga;
          for (let u = 0; u < 16; u++) {
            let acc = 0;
            for (let p = im[gi]!; p < im[gi + 1]!; p++) acc += m[valsOff + 16 * p + u]! * m[x + im[colsOff + p]!]!;
            m[o + 4 * u] += acc;
          }
        }
      }
    }
  }

  tback(outT: number, n: number, dstsOff: number, addsOff: number, H4: number, count: number): void {
    const m = this.mem;
    const im = this.ints();
    for (let r = 0; r < count; r++) {
      const [d, a] = [im[dstsOff + r]!, im[addsOff + r]!];
      for (let i = 0, src = outT + r; i < H4; i++, src += n) m[d + i] = m[a + i]! + m[src]!;
    }
  }

  xpose(rowsOff: number, n: number, Kq: number, xT: number): void {
    const m = this.mem;
    const im = this.ints();
    for (let i = 0; i < n; i++) for (let k = 0, src = im[rowsOff + i]!, d = xT + i; k < 4 * Kq; k++, d += n) m[d] = m[src + k]!;
  }

  spmmT(ptrOff: number, pairOff: number, xT: number, outT: number, rows: number, blocks: number): void {
    const m = this.mem;
    const im = this.ints();
    const n = 16 * blocks;
    for (let r = 0; r < rows; r++) {
      const o = outT + r * n;
      m.fill(0, o, o + n);
      const end = pairOff + im[ptrOff + r + 1]!;
      for (let q = pairOff + im[ptrOff + r]!; q < end; q += 2) {
        const v = m[q + 1]!;
        const x = xT + im[q]! * n;
        for (let i = 0; i < n; i++) m[o + i] += v * m[x + i]!;
      }
    }
  }
}

/**
 * Where the products run: 'wasm-simd' the plain WebAssembly SIMD module (results identical on every
 * host), 'wasm-relaxed' its relaxed-SIMD variant (fused multiply-adds, relaxed-simd.ts), 'js' the
 * float64 JS engine; 'auto' the relaxed variant where the host has relaxed SIMD, else the plain one,
 * else JS.
 */
export type EngineChoice = 'auto' | 'wasm-simd' | 'wasm-relaxed' | 'js';

/** The module's bytes, precomputed from the generator in wasm/ (src/generated, scripts/gen-wasm.mjs); with `relaxed`, its relaxed-SIMD variant. */
export function matvecModule(relaxed = false): Uint8Array<ArrayBuffer> {
  const bytes = Uint8Array.from(atob(MATVEC_MODULE_BASE64), (c) => c.charCodeAt(0));
  return relaxed ? withRelaxedMadd(bytes, decodeSites(MATVEC_FMA_SITES)) : bytes;
}

/** The module bytes `choice` runs on this host (the relaxed variant for 'auto' where the host validates it, and for 'wasm-relaxed'), or null for the JS engine. */
export function matvecModuleFor(choice: EngineChoice): Uint8Array<ArrayBuffer> | null {
  if (typeof WebAssembly !== 'object' || choice === 'js') return null;
  if (choice !== 'wasm-simd') {
    const relaxed = matvecModule(true);
    if (WebAssembly.validate(relaxed)) return relaxed;
    if (choice === 'wasm-relaxed') rtFail('E-RT-EXEC', 'WebAssembly relaxed SIMD is not available on this host (Node 20 has it with node --experimental-wasm-relaxed-simd)');
  }
  const bytes = matvecModule();
  return WebAssembly.validate(bytes) ? bytes : null;
}

/** Compiles the SIMD module `choice` runs (default 'auto'), or returns null when the host has no WebAssembly SIMD. */
export function compileMatvecModule(choice: EngineChoice = 'auto'): WebAssembly.Module | null {
  const bytes = matvecModuleFor(choice);
  return bytes ? new WebAssembly.Module(bytes) : null;
}

/** True when this host can run the WebAssembly SIMD matvec kernels (otherwise the JS engine is used). */
export function hasWasmSimd(): boolean {
  return matvecModuleFor('wasm-simd') !== null;
}

/** True when this host runs the relaxed-SIMD variant (fused multiply-adds), which 'auto' then uses. */
export function hasRelaxedSimd(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(matvecModule(true));
}

/** The engine kind `createMatvecEngine(weights, choice)` gives on this host, and its compiled module. */
export function resolveEngine(choice: EngineChoice): { kind: 'wasm-simd' | 'js'; module: WebAssembly.Module | null } {
  const module = compileMatvecModule(choice);
  return { kind: module ? 'wasm-simd' : 'js', module };
}

/**
 * Writes CSR arrays (ptr: rows+1 pair indices, col, val) in an engine's sparse layout: pairs
 * (col*unit as int32, val as f32) into `mem` at pairOff, pointers 2*p*unit at ptrOff (see MatvecEngine).
 */
export function encodeSparsePairs(mem: ArrayBuffer, unit: 1 | 4, ptr: ArrayLike<number>, col: ArrayLike<number>, val: ArrayLike<number>, pairOff: number, ptrOff: number): void {
  const f = new Float32Array(mem);
  const i = new Int32Array(mem);
  for (let p = 0; p < col.length; p++) {
    i[pairOff + 2 * p] = col[p]! * unit;
    f[pairOff + 2 * p + 1] = val[p]!;
  }
  for (let r = 0; r < ptr.length; r++) i[ptrOff + r] = 2 * ptr[r]! * unit;
}

/**
 * An engine holding a copy of `weights`: WebAssembly SIMD when available (or forced), else JS. With a
 * thread pool (and WebAssembly SIMD), the engine's memory is shared with the pool's workers and its
 * `parallel` sections run on them.
 */
export function createMatvecEngine(weights: Float32Array, choice: EngineChoice = 'auto', module?: WebAssembly.Module | null, pool?: ThreadPool | null): MatvecEngine {
  if (choice !== 'js') {
    const mod = module === undefined ? compileMatvecModule(choice) : module;
    const shared = mod && pool ? pool.attach(Math.ceil(weights.length / 4) * 16) : null;
    if (shared) {
      const ex = new WebAssembly.Instance(pool!.module, { env: { mem: shared.memory } }).exports as unknown as MatvecExports;
      const direct = CALL_NAMES.map((n) => ex[n] as (...args: number[]) => void);
      return new WasmEngine(ex, weights, new CallRecorder(pool!, shared.engine, direct));
    }
    if (mod) {
      const inst = new WebAssembly.Instance(mod, {});
      const ex = inst.exports as unknown as MatvecExports;
      growTo(ex.mem, Math.ceil(weights.length / 4) * 16);
      return new WasmEngine(ex, weights);
    }
    if (choice !== 'auto') rtFail('E-RT-EXEC', 'WebAssembly SIMD is not available on this host');
  }
  return new JsEngine(weights);
}

/**
 * A WebAssembly SIMD engine (`choice` 'auto', 'wasm-simd' or 'wasm-relaxed') over `weights`, with the
 * kernels of SimdKernels; undefined for 'js' and on hosts without WebAssembly SIMD.
 */
export function simdEngine(weights: Float32Array, choice: EngineChoice = 'auto'): (MatvecEngine & SimdKernels) | undefined {
  if (choice === 'js') return undefined;
  const e = createMatvecEngine(weights, choice);
  return e instanceof WasmEngine ? e : undefined;
}
