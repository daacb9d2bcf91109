/** Test-only: runs ONNX bytes in onnxruntime-node (one thread) with runtime tensors in and out. */
import * as ort from 'onnxruntime-node';
import type { RtDType, RtTensor } from '../../src/index.js';

const ORT_TYPE: Partial<Record<RtDType, string>> = { f32: 'float32', f64: 'float64', i32: 'int32', i64: 'int64', bool: 'bool', u8: 'uint8', i8: 'int8' };
const FROM_ORT: Record<string, RtDType> = { float32: 'f32', float64: 'f64', int32: 'i32', int64: 'i64', bool: 'bool', uint8: 'u8', int8: 'i8' };

export async function ortSession(model: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
}

export async function runOrt(model: Uint8Array | ort.InferenceSession, feeds: Record<string, RtTensor>, outputs?: string[]): Promise<Record<string, RtTensor>> {
  const s = model instanceof Uint8Array ? await ortSession(model) : model;
  const f: Record<string, ort.Tensor> = {};
  for (const [k, t] of Object.entries(feeds)) f[k] = new ort.Tensor(ORT_TYPE[t.dtype] as 'float32', t.data as Float32Array, [...t.shape]);
  const r = await s.run(f, outputs ?? s.outputNames);
  const out: Record<string, RtTensor> = {};
  for (const [k, t] of Object.entries(r)) {
    const dtype = FROM_ORT[t.type]!;
    const data = dtype === 'bool' ? Uint8Array.from(t.data as unknown as ArrayLike<number>, (v) => (v ? 1 : 0)) : t.data;
    out[k] = { dtype, shape: t.dims.map(Number), data } as RtTensor;
  }
  return out;
}
