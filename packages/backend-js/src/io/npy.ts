import { fail } from '@lstmc/ir';
import { allocData, numel } from '@lstmc/runtime';
import type { HostTensor, HostDType } from './host-tensor.js';

/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0): magic `\x93NUMPY`, major and minor
 * version bytes, the header length (uint16 LE in v1, uint32 LE in v2/v3), an ASCII (v3: UTF-8)
 * Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded with
 * spaces and a final newline so that the data starts at a multiple of 64 bytes, then the data.
 *
 * Element types: little-endian float32/float64/int32/int64 and bool (`|b1`); anything else
 * (big-endian, float16, unsigned, strings, objects) is refused with E-NPY-DTYPE.
 */
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] as const;

const DESCR = {
  f32: ['<f4'],
  f64: ['<f8'],
  i32: ['<i4'],
  i64: ['<i8'],
  bool: ['|b1', '<b1'],
} as const satisfies Record<HostDType, readonly string[]>;

const BYTES = { f32: 4, f64: 8, i32: 4, i64: 8, bool: 1 } as const satisfies Record<HostDType, number>;

function dtypeOfDescr(descr: string, file: string): HostDType {
  for (const [dt, names] of Object.entries(DESCR) as [HostDType, readonly string[]][]) if (names.includes(descr)) return dt;
  // '=' is native order: little-endian on every platform lstmc runs on.
  if (descr.startsWith('=')) return dtypeOfDescr('<' + descr.slice(1), file);
  fail('E-NPY-DTYPE', `unsupported .npy element type '${descr}' (supported: little-endian float32, float64, int32, int64, bool)`, { file, field: 'descr' });
}

type PyValue = string | boolean | number[];

/** Parses the header dict literal; only the forms np.save writes are accepted. */
function parseHeader(text: string, file: string): Record<string, PyValue> {
  const bad = (why: string): never => fail('E-NPY-HEADER', `bad .npy header (${why}): ${JSON.stringify(text.trim())}`, { file });
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const expect = (c: string) => {
    ws();
    if (text[i] !== c) bad(`expected '${c}' at column ${i + 1}`);
    i++;
  };
  const str = (): string => {
    ws();
    const q = text[i];
    if (q !== "'" && q !== '"') bad(`expected a string at column ${i + 1}`);
    const end = text.indexOf(q, i + 1);
    if (end < 0) bad('unterminated string');
    const s = text.slice(i + 1, end);
    i = end + 1;
    return s;
  };
  const value = (): PyValue => {
    ws();
    const c = text[i];
    if (c === "'" || c === '"') return str();
    if (text.startsWith('True', i)) return (i += 4), true;
    if (text.startsWith('False', i)) return (i += 5), false;
    if (c === '(') {
      i++;
      const dims: number[] = [];
      for (;;) {
        ws();
        if (text[i] === ')') {
          i++;
          return dims;
        }
        const m = /^\d+/.exec(text.slice(i));
        if (!m) return bad(`expected a dimension at column ${i + 1}`);
        dims.push(Number(m[0]));
        i += m[0].length;
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== ')') bad(`expected ',' or ')' at column ${i + 1}`);
      }
    }
    return bad(`unexpected value at column ${i + 1}`);
  };
  const out: Record<string, PyValue> = {};
  expect('{');
  for (;;) {
    ws();
    if (text[i] === '}') break;
    const k = str();
    expect(':');
    out[k] = value();
    ws();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') bad(`expected ',' or '}' at column ${i + 1}`);
  }
  return out;
}

/** The header of a .npy file: element type, shape, order, and where the data starts. */
export interface NpyHeader {
  readonly dtype: HostDType;
  readonly shape: readonly number[];
  readonly fortran: boolean;
  readonly dataStart: number;
  /** Bytes per element. */
  readonly itemBytes: number;
}

/** Parses the header from the first bytes of a .npy file (enough of them to hold it: streams read only these). */
export function readNpyHeader(bytes: Uint8Array, file: string): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((b, k) => bytes[k] !== b)) fail('E-NPY-MAGIC', 'not a .npy file (no \\x93NUMPY magic)', { file, offset: 0 });
  const major = bytes[6]!;
  if (major < 1 || major > 3) fail('E-NPY-VERSION', `unsupported .npy format version ${major}.${bytes[7]}`, { file, offset: 6 });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) fail('E-NPY-TRUNCATED', 'the .npy header is truncated', { file, offset: 8 });
  const headerLen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const dataStart = 8 + lenBytes + headerLen;
  if (dataStart > bytes.length) fail('E-NPY-TRUNCATED', `the .npy header says ${headerLen} bytes but the file has ${bytes.length - 8 - lenBytes}`, { file, offset: 8 });
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lenBytes, dataStart));
  const h = parseHeader(text, file);
  const descr = h.descr;
  const shape = h.shape;
  const fortran = h.fortran_order ?? false;
  if (typeof descr !== 'string') fail('E-NPY-HEADER', "the .npy header has no 'descr' string", { file, field: 'descr' });
  if (!Array.isArray(shape)) fail('E-NPY-HEADER', "the .npy header has no 'shape' tuple", { file, field: 'shape' });
  if (typeof fortran !== 'boolean') fail('E-NPY-HEADER', "the .npy header's 'fortran_order' is not a boolean", { file, field: 'fortran_order' });
  const dtype = dtypeOfDescr(descr, file);
  return { dtype, shape, fortran, dataStart, itemBytes: BYTES[dtype] };
}

/** Reads a .npy file's bytes into a host tensor (C order). */
export function readNpy(bytes: Uint8Array, file: string): HostTensor {
  const { dtype, shape, fortran, dataStart } = readNpyHeader(bytes, file);
  const descr = DESCR[dtype][0];
  const n = numel(shape);
  const need = n * BYTES[dtype];
  if (bytes.length - dataStart < need)
    fail('E-NPY-TRUNCATED', `the .npy data has ${bytes.length - dataStart} bytes, shape (${shape.join(', ')}) of ${descr} needs ${need}`, { file, offset: dataStart });
  // A copy (Buffer#slice would be a view into a shared pool): aligned, and owned by the tensor.
  const raw = new Uint8Array(bytes.subarray(dataStart, dataStart + need));
  const flat = viewAs(dtype, raw.buffer, n);
  const data = fortran && shape.length > 1 ? fromFortran(dtype, flat, shape) : flat;
  return { dtype, shape, data } as HostTensor;
}

function viewAs(dtype: HostDType, buf: ArrayBuffer, n: number): HostTensor['data'] {
  switch (dtype) {
    case 'f32':
      return new Float32Array(buf, 0, n);
    case 'f64':
      return new Float64Array(buf, 0, n);
    case 'i32':
      return new Int32Array(buf, 0, n);
    case 'i64':
      return new BigInt64Array(buf, 0, n);
    case 'bool': {
      const u = new Uint8Array(buf, 0, n);
      for (let k = 0; k < n; k++) u[k] = u[k] ? 1 : 0;
      return u;
    }
  }
}

/** Column-major data of `shape` -> row-major. */
function fromFortran(dtype: HostDType, src: HostTensor['data'], shape: readonly number[]): HostTensor['data'] {
  const out = allocData(dtype, src.length);
  const r = shape.length;
  const idx = new Array<number>(r).fill(0);
  // Walk the row-major output in order; keep the column-major source offset in step.
  const fStride = new Array<number>(r);
  let acc = 1;
  for (let k = 0; k < r; k++) {
    fStride[k] = acc;
    acc *= shape[k]!;
  }
  for (let o = 0; o < src.length; o++) {
    let s = 0;
    for (let k = 0; k < r; k++) s += idx[k]! * fStride[k]!;
    (out as unknown as { [i: number]: unknown })[o] = src[s];
    for (let k = r - 1; k >= 0; k--) {
      if (++idx[k]! < shape[k]!) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** Serializes a host tensor as a .npy file (version 1.0, or 2.0 when the header needs it). */
export function writeNpy(t: HostTensor): Uint8Array {
  const header = npyHeaderBytes(t.dtype, t.shape);
  const body = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

/** The header of a .npy file of this element type and shape (a multiple of 64 bytes: the data follows it). */
export function npyHeaderBytes(dtype: HostDType, dims: readonly number[]): Uint8Array {
  const descr = DESCR[dtype][0];
  const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  let major = 1;
  let pre = 10;
  if (dict.length + 1 + 64 > 0xffff) {
    major = 2;
    pre = 12;
  }
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  const header = dict + ' '.repeat(total - pre - dict.length - 1) + '\n';
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const dv = new DataView(out.buffer);
  if (major === 1) dv.setUint16(8, header.length, true);
  else dv.setUint32(8, header.length, true);
  for (let k = 0; k < header.length; k++) out[pre + k] = header.charCodeAt(k);
  return out;
}
