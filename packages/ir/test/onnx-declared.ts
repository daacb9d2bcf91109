import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import type { TensorType } from '../src/index.js';
import { dtypeFromOnnx } from '../src/index.js';

/**
 * The graph output types a model file declares, read with a minimal schema
 * of its own (independent of the importer's) so tests can compare the
 * importer's inferred types against what the file's producer wrote.
 */
const ROOT = protobuf.parse(
  `syntax = "proto2";
  message Dim { optional int64 dim_value = 1; optional string dim_param = 2; }
  message Shape { repeated Dim dim = 1; }
  message TensorT { optional int32 elem_type = 1; optional Shape shape = 2; }
  message Type { optional TensorT tensor_type = 1; }
  message VI { optional string name = 1; optional Type type = 2; }
  message G { repeated VI output = 12; }
  message M { optional G graph = 7; }`,
  { keepCase: true },
).root;
const M = ROOT.lookupType('M');

interface Msg {
  graph?: { output: { name: string; type?: { tensor_type?: { elem_type: number; shape?: { dim: { dim_value?: unknown; dim_param?: string }[] } } } }[] };
}

export function readDeclaredOutputs(path: string): Map<string, TensorType> {
  const m = M.toObject(M.decode(readFileSync(path)), { longs: Number }) as Msg;
  const out = new Map<string, TensorType>();
  for (const o of m.graph?.output ?? []) {
    const tt = o.type?.tensor_type;
    if (!tt) continue;
    const shape = tt.shape?.dim.map((d) => (d.dim_value !== undefined ? Number(d.dim_value) : (d.dim_param ?? '?')));
    out.set(o.name, { dtype: dtypeFromOnnx(tt.elem_type)!, shape });
  }
  return out;
}
