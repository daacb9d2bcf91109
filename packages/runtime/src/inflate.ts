/**
 * A raw DEFLATE decoder (RFC 1951: stored, fixed-Huffman and dynamic-Huffman blocks), after zlib's
 * puff.c. The runtime ships its precomputed WebAssembly module deflated (src/generated, written by
 * scripts/gen-wasm.mjs with zlib), a third of the module's base64; this restores the bytes. Its input
 * is the package's own data, not the user's: a malformed stream is an internal error (plain Error).
 */

/** Code lengths of the code-length alphabet, in the order a dynamic block lists them. */
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Base and extra bits of length symbols 257..285 and of the 30 distance symbols. */
const LEN_BASE: number[] = [];
const LEN_EXTRA: number[] = [];
const DIST_BASE: number[] = [];
const DIST_EXTRA: number[] = [];
for (let s = 0, base = 3; s < 29; s++) {
  const extra = s < 8 ? 0 : (s - 4) >> 2;
  LEN_BASE.push(s === 28 ? 258 : base);
  LEN_EXTRA.push(s === 28 ? 0 : extra);
  base += 1 << extra;
}
for (let s = 0, base = 1; s < 30; s++) {
  const extra = s < 4 ? 0 : (s - 2) >> 1;
  DIST_BASE.push(base);
  DIST_EXTRA.push(extra);
  base += 1 << extra;
}

/** A canonical Huffman code: how many codes of each length (1..15), and the symbols in code order. */
interface Huffman {
  readonly counts: Uint16Array;
  readonly symbols: Uint16Array;
}

function huffman(lengths: ArrayLike<number>): Huffman {
  const counts = new Uint16Array(16);
  for (let i = 0; i < lengths.length; i++) counts[lengths[i]!]!++;
  const offs = new Uint16Array(16);
  for (let len = 1; len < 15; len++) offs[len + 1] = offs[len]! + counts[len]!;
  const symbols = new Uint16Array(lengths.length);
  for (let i = 0; i < lengths.length; i++) if (lengths[i]) symbols[offs[lengths[i]!]!++] = i;
  return { counts, symbols };
}

function corrupt(what: string): never {
  throw new Error(`inflate: ${what}`);
}

/** Inflates a raw DEFLATE stream (no zlib or gzip wrapper) into its bytes. */
export function inflateRaw(src: Uint8Array): Uint8Array {
  let out = new Uint8Array(src.length * 4 + 64);
  let n = 0;
  let pos = 0;
  let bitBuf = 0;
  let bitCnt = 0;
  const bits = (need: number): number => {
    while (bitCnt < need) {
      if (pos >= src.length) corrupt('stream ends early');
      bitBuf |= src[pos++]! << bitCnt;
      bitCnt += 8;
    }
    const v = bitBuf & ((1 << need) - 1);
    bitBuf >>>= need;
    bitCnt -= need;
    return v;
  };
  const put = (byte: number): void => {
    if (n === out.length) {
      const grown = new Uint8Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[n++] = byte;
  };
  const decode = (h: Huffman): number => {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len < 16; len++) {
      code |= bits(1);
      const count = h.counts[len]!;
      if (code - count < first) return h.symbols[index + (code - first)]!;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    corrupt('bad Huffman code');
  };
  const codes = (lit: Huffman, dist: Huffman): void => {
    for (;;) {
      const sym = decode(lit);
      if (sym < 256) put(sym);
      else if (sym === 256) return;
      else {
        const s = sym - 257;
        if (s >= 29) corrupt('bad length symbol');
        const len = LEN_BASE[s]! + bits(LEN_EXTRA[s]!);
        const d = decode(dist);
        if (d >= 30) corrupt('bad distance symbol');
        const back = DIST_BASE[d]! + bits(DIST_EXTRA[d]!);
        if (back > n) corrupt('distance before the start');
        for (let i = 0; i < len; i++) put(out[n - back]!);
      }
    }
  };
  let last = 0;
  while (!last) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      bitBuf = 0;
      bitCnt = 0;
      if (pos + 4 > src.length) corrupt('stream ends early');
      const len = src[pos]! | (src[pos + 1]! << 8);
      if ((len ^ 0xffff) !== (src[pos + 2]! | (src[pos + 3]! << 8))) corrupt('bad stored block length');
      pos += 4;
      if (pos + len > src.length) corrupt('stream ends early');
      for (let i = 0; i < len; i++) put(src[pos++]!);
    } else if (type === 1) {
      const lengths = new Uint8Array(288).fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280);
      codes(huffman(lengths), huffman(new Uint8Array(30).fill(5)));
    } else if (type === 2) {
      const nlen = bits(5) + 257;
      const ndist = bits(5) + 1;
      const ncode = bits(4) + 4;
      const cl = new Uint8Array(19);
      for (let i = 0; i < ncode; i++) cl[CL_ORDER[i]!] = bits(3);
      const clCode = huffman(cl);
      const lengths = new Uint8Array(nlen + ndist);
      for (let i = 0; i < nlen + ndist; ) {
        const sym = decode(clCode);
        if (sym < 16) lengths[i++] = sym;
        else {
          if (sym === 16 && i === 0) corrupt('repeat with no previous length');
          const prev = sym === 16 ? lengths[i - 1]! : 0;
          const times = sym === 16 ? 3 + bits(2) : sym === 17 ? 3 + bits(3) : 11 + bits(7);
          if (i + times > nlen + ndist) corrupt('too many code lengths');
          lengths.fill(prev, i, i + times);
          i += times;
        }
      }
      codes(huffman(lengths.subarray(0, nlen)), huffman(lengths.subarray(nlen)));
    } else corrupt('bad block type');
  }
  return out.slice(0, n);
}
