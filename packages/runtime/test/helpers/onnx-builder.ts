/**
 * Test-only: encodes small ONNX models (ModelProto) with protobufjs' Writer, so kernels can be checked
 * against onnxruntime-node. Field numbers are those of onnx.proto.
 */
import protobuf from 'protobufjs/minimal.js';
import type { RtDType, RtTensor } from '../../src/index.js';

type W = protobuf.Writer;

export const ONNX_DTYPE: Record<RtDType, number> = { f32: 1, u8: 2, i8: 3, u16: 4, i16: 5, i32: 6, i64: 7, bool: 9, f64: 11, u32: 12 };

export type OnnxAttr =
  | { i: number }
  | { f: number }
  | { s: string }
  | { ints: number[] }
  | { floats: number[] }
  | { strings: string[] }
  | { t: RtTensor };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, OnnxAttr>;
}

export interface OnnxIo {
  name: string;
  dtype: RtDType;
  /** null: no shape in the value info (rank unknown). */
  dims: (number | string)[] | null;
}

export interface OnnxModelSpec {
  nodes: OnnxNode[];
  inputs: OnnxIo[];
  outputs: OnnxIo[];
  initializers?: (RtTensor & { name: string })[];
  opset?: number;
}

function msg(w: W, field: number, body: (w: W) => void): void {
  w.uint32((field << 3) | 2).fork();
  body(w);
  w.ldelim();
}

function tensorProto(w: W, t: RtTensor, name: string): void {
  for (const d of t.shape) w.uint32(1 << 3).int64(d);
  w.uint32(2 << 3).int32(ONNX_DTYPE[t.dtype]);
  if (name) w.uint32((8 << 3) | 2).string(name);
  const d = t.data;
  w.uint32((9 << 3) | 2).bytes(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
}

function attribute(w: W, name: string, a: OnnxAttr): void {
  w.uint32((1 << 3) | 2).string(name);
  if ('i' in a) w.uint32(3 << 3).int64(a.i).uint32(20 << 3).int32(2);
  else if ('f' in a) w.uint32((2 << 3) | 5).float(a.f).uint32(20 << 3).int32(1);
  else if ('s' in a) w.uint32((4 << 3) | 2).bytes(new TextEncoder().encode(a.s)).uint32(20 << 3).int32(3);
  else if ('t' in a) {
    msg(w, 5, (m) => tensorProto(m, a.t, ''));
    w.uint32(20 << 3).int32(4);
  } else if ('floats' in a) {
    for (const v of a.floats) w.uint32((7 << 3) | 5).float(v);
    w.uint32(20 << 3).int32(6);
  } else if ('ints' in a) {
    for (const v of a.ints) w.uint32(8 << 3).int64(v);
    w.uint32(20 << 3).int32(7);
  } else {
    for (const v of a.strings) w.uint32((9 << 3) | 2).bytes(new TextEncoder().encode(v));
    w.uint32(20 << 3).int32(8);
  }
}

function valueInfo(w: W, io: OnnxIo): void {
  w.uint32((1 << 3) | 2).string(io.name);
  msg(w, 2, (tp) =>
    msg(tp, 1, (tt) => {
      tt.uint32(1 << 3).int32(ONNX_DTYPE[io.dtype]);
      const dims = io.dims;
      if (dims) {
        msg(tt, 2, (sh) => {
          for (const d of dims) msg(sh, 1, (dim) => (typeof d === 'number' ? dim.uint32(1 << 3).int64(d) : dim.uint32((2 << 3) | 2).string(d)));
        });
      }
    }),
  );
}

/** Encodes a single-graph ONNX model. */
export function buildOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const w = protobuf.Writer.create();
  w.uint32(1 << 3).int64(8); // ir_version
  w.uint32((2 << 3) | 2).string('lstmc-runtime-test');
  msg(w, 7, (g) => {
    spec.nodes.forEach((n, i) =>
      msg(g, 1, (nw) => {
        for (const s of n.inputs) nw.uint32((1 << 3) | 2).string(s);
        for (const s of n.outputs) nw.uint32((2 << 3) | 2).string(s);
        nw.uint32((3 << 3) | 2).string(`${n.op}_${i}`);
        nw.uint32((4 << 3) | 2).string(n.op);
        for (const [k, a] of Object.entries(n.attrs ?? {})) msg(nw, 5, (aw) => attribute(aw, k, a));
      }),
    );
    g.uint32((2 << 3) | 2).string('test');
    for (const t of spec.initializers ?? []) msg(g, 5, (tw) => tensorProto(tw, t, t.name));
    for (const io of spec.inputs) msg(g, 11, (vw) => valueInfo(vw, io));
    for (const io of spec.outputs) msg(g, 12, (vw) => valueInfo(vw, io));
  });
  msg(w, 8, (o) => o.uint32((1 << 3) | 2).string('').uint32(2 << 3).int64(spec.opset ?? 17));
  return w.finish();
}
