/**
 * A tiny WebAssembly binary encoder: just what the matvec module needs (one memory, i32 params,
 * i32/v128 locals, structured loops, SIMD f32x4 loads, mul/add and stores).
 */
export { sleb, uleb } from '../leb128.js';
import { sleb, uleb } from '../leb128.js';

export function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function str(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

export const T = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;

/** Instructions, as byte sequences. Memory offsets are byte offsets; alignment given as log2. */
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  shl: [0x74],
  and: [0x71],
  ltU: [0x49],
  geU: [0x4f],
  eqz: [0x45],
  eq: [0x46],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)],
  brIf: (d: number) => [0x0d, ...uleb(d)],
  v128Load: (offset = 0) => [0xfd, ...uleb(0x00), 4, ...uleb(offset)],
  v128Store: (offset = 0) => [0xfd, ...uleb(0x0b), 4, ...uleb(offset)],
  load32Splat: (offset = 0) => [0xfd, ...uleb(0x09), 2, ...uleb(offset)],
  v128Zero: [0xfd, ...uleb(0x0c), ...new Array<number>(16).fill(0)],
  f32x4Add: [0xfd, ...uleb(0xe4)],
  /** i8x16.shuffle picking 32-bit lanes (0..3 from the first operand, 4..7 from the second). */
  shuffle32: (lanes: readonly [number, number, number, number]) => [0xfd, ...uleb(0x0d), ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])],
  f32x4Mul: [0xfd, ...uleb(0xe6)],
  f32x4Sub: [0xfd, ...uleb(0xe5)],
  f32x4Div: [0xfd, ...uleb(0xe7)],
  /** Pseudo-min/max (b < a ? b : a, a < b ? b : a): one minps/maxps each (f32x4.min/max need NaN fix-ups in V8). */
  f32x4Pmin: [0xfd, ...uleb(0xea)],
  f32x4Pmax: [0xfd, ...uleb(0xeb)],
  f32Ne: [0x5c],
  f32x4Neg: [0xfd, ...uleb(0xe1)],
  f32x4Splat: [0xfd, ...uleb(0x13)],
  f32x4ExtractLane: (lane: number) => [0xfd, ...uleb(0x1f), lane],
  i32x4Add: [0xfd, ...uleb(0xae)],
  i32x4DotI16x8S: [0xfd, ...uleb(0xba)],
  f32x4ConvertI32x4S: [0xfd, ...uleb(0xfa)],
  i32x4Shl: [0xfd, ...uleb(0xab)],
  /** v128.const of four f32 lanes. */
  f32x4Const: (a: number, b = a, c = a, d = a) => [0xfd, ...uleb(0x0c), ...new Uint8Array(Float32Array.of(a, b, c, d).buffer)],
  i32x4Const: (v: number) => [0xfd, ...uleb(0x0c), ...new Uint8Array(Int32Array.of(v, v, v, v).buffer)],
  /** Scalar loads/stores (4-byte aligned) and f32 arithmetic, for the sparse kernels. */
  i32Load: (offset = 0) => [0x28, 2, ...uleb(offset)],
  f32Load: (offset = 0) => [0x2a, 2, ...uleb(offset)],
  f32Store: (offset = 0) => [0x38, 2, ...uleb(offset)],
  f32Add: [0x92],
  f32Mul: [0x94],
  /** Integer loads and ops of the int8 kernels (wasm/int8-sparse-module.ts). */
  i32Load16S: (offset = 0) => [0x2e, 1, ...uleb(offset)],
  i32Load16U: (offset = 0) => [0x2f, 1, ...uleb(offset)],
  or: [0x72],
  shrU: [0x76],
  i32Extend8S: [0xc0],
  f32ConvertI32S: [0xb2],
  i32x4Splat: [0xfd, ...uleb(0x11)],
  /** i16x8.load8x8_s: eight int8 at the address, sign-extended to int16 lanes (8-byte aligned). */
  i16x8Load8x8S: (offset = 0) => [0xfd, ...uleb(0x01), 3, ...uleb(offset)],
  f32Const: (v: number) => [0x43, ...new Uint8Array(Float32Array.of(v).buffer)],
  /** The vector quantizer of the int8 paths (wasm/int8-module.ts qvec). */
  f32x4Abs: [0xfd, ...uleb(0xe0)],
  f32x4Max: [0xfd, ...uleb(0xe9)],
  f32x4Nearest: [0xfd, ...uleb(0x6a)],
  i32x4TruncSatF32x4S: [0xfd, ...uleb(0xf8)],
  i16x8NarrowI32x4S: [0xfd, ...uleb(0x85)],
  f32Abs: [0x8b],
  f32Max: [0x97],
  f32Min: [0x96],
  f32Div: [0x95],
  f32Eq: [0x5b],
  f32Nearest: [0x90],
  i32TruncSatF32S: [0xfc, ...uleb(0)],
  i32Store16: (offset = 0) => [0x3b, 1, ...uleb(offset)],
  /**
   * (a, b on the stack) -> a*b + local `acc`: f32x4.mul, local.get acc, f32x4.add, marked as a
   * multiply-add site (FMA_SITE) that relaxed-simd.ts rewrites in place to f32x4.relaxed_madd.
   * `acc` must be a local below 128 (one LEB byte), so both forms are 8 bytes long.
   */
  mulAdd: (acc: number) => {
    if (acc > 127) throw new Error(`mulAdd: local ${acc} does not fit one LEB byte`);
    return [FMA_SITE, 0xfd, ...uleb(0xe6), 0x20, acc, 0xfd, ...uleb(0xe4)];
  },
  f32x4Sqrt: [0xfd, ...uleb(0xe3)],
  /** Lane comparisons and bit operations of the log kernel (wasm/log-module.ts). */
  f32x4Eq: [0xfd, ...uleb(0x41)],
  f32x4Ne: [0xfd, ...uleb(0x42)],
  f32x4Lt: [0xfd, ...uleb(0x43)],
  v128And: [0xfd, ...uleb(0x4e)],
  v128Or: [0xfd, ...uleb(0x50)],
  v128Bitselect: [0xfd, ...uleb(0x52)],
  i32x4ShrU: [0xfd, ...uleb(0xad)],
  i32x4Sub: [0xfd, ...uleb(0xb1)],
  /** call of the module's function `index` (its position in the module's function list). */
  call: (index: number) => [0x10, ...uleb(index)],
  /** memory.copy (bulk memory): dst, src, n bytes on the stack. */
  memoryCopy: [0xfc, ...uleb(10), 0x00, 0x00],
  if: [0x04, 0x40],
  else: [0x05],
};

/** Marks a multiply-add site in a function body (op.mulAdd); encodeModule removes it and records where the site is. */
export const FMA_SITE = -1;

export interface WasmFunc {
  name: string;
  /** A number of i32 params, or the param types. */
  params: number | number[];
  /** Extra locals after the i32 params, as [count, type] groups. */
  locals: [number, number][];
  body: number[][];
  /** The type of the one result the body leaves on the stack; none when absent. */
  result?: number;
}

/**
 * Local indices of one function, allocated in order after its parameters (`params`: a number of i32
 * params, or the param types): each call names one new local of that type, so kernels refer to their
 * locals by name, never by number; `func` makes the function of these params and locals.
 */
export function locals(params: number | number[]) {
  let next = typeof params === 'number' ? params : params.length;
  const types: number[] = [];
  const alloc = (type: number) => (): number => (types.push(type), next++);
  return {
    i32: alloc(T.i32),
    f32: alloc(T.f32),
    v128: alloc(T.v128),
    /** `n` new locals of a type, in order. */
    many: (n: number, type: number): number[] => Array.from({ length: n }, alloc(type)),
    /** The function `name` with these params, the locals allocated so far and `body` (leaving a `result` when given). */
    func: (name: string, body: number[][], result?: number): WasmFunc => ({ name, params, locals: decl(), body, ...(result === undefined ? {} : { result }) }),
  };
  /** The local declarations: [count, type] runs in allocation order. */
  function decl(): [number, number][] {
    const runs: [number, number][] = [];
    for (const t of types) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    return runs;
  }
}

/**
 * A module with one exported memory ("mem", `pages` initial pages) and its functions. With
 * `sharedMax`, the memory is not defined but imported as "env" "mem", shared, at most `sharedMax`
 * pages: instances on several threads then run over one `WebAssembly.Memory({ shared: true })`.
 */
export function encodeModule(funcs: WasmFunc[], pages: number, sharedMax?: number): Uint8Array<ArrayBuffer> {
  return encodeModuleSites(funcs, pages, sharedMax).bytes;
}

/** encodeModule, and the byte offsets of the module's multiply-add sites (op.mulAdd), ascending. */
export function encodeModuleSites(funcs: WasmFunc[], pages: number, sharedMax?: number): { bytes: Uint8Array<ArrayBuffer>; fmaSites: number[] } {
  const types = funcs.map((f) => [0x60, ...vec((typeof f.params === 'number' ? new Array<number>(f.params).fill(T.i32) : f.params).map((t) => [t])), ...vec(f.result === undefined ? [] : [[f.result]])]);
  const memory = sharedMax === undefined
    ? section(5, vec([[0x00, ...uleb(pages)]]))
    : section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x03, ...uleb(pages), ...uleb(sharedMax)]]));
  const head = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...(sharedMax === undefined ? [] : memory),
    ...section(3, vec(funcs.map((_f, i) => uleb(i)))),
    ...(sharedMax === undefined ? memory : []),
    ...section(7, vec([[...str('mem'), 0x02, 0x00], ...funcs.map((f, i) => [...str(f.name), 0x00, ...uleb(i)])])),
  ];
  // Each body without its FMA_SITE marks, and where the marks were (offsets within the body entry).
  const entries = funcs.map((f) => {
    const raw = [...vec(f.locals.map(([n, t]) => [...uleb(n), t])), ...f.body.flat(), ...op.end];
    const body = raw.filter((b) => b !== FMA_SITE);
    const at: number[] = [];
    raw.forEach((b, i) => { if (b === FMA_SITE) at.push(i - at.length); });
    const size = uleb(body.length);
    return { bytes: [...size, ...body], at: at.map((i) => i + size.length) };
  });
  const code = section(10, vec(entries.map((e) => e.bytes)));
  const fmaSites: number[] = [];
  let off = head.length + code.length - entries.reduce((n, e) => n + e.bytes.length, 0);
  for (const e of entries) {
    for (const i of e.at) fmaSites.push(off + i);
    off += e.bytes.length;
  }
  return { bytes: Uint8Array.from([...head, ...code]), fmaSites };
}
