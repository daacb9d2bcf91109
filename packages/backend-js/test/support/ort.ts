import * as ort from 'onnxruntime-node';
import type { RtDType, RtTensor } from '@lstmc/runtime';

const TO_ORT = { f32: 'float32', f64: 'float64', i32: 'int32', i64: 'int64', bool: 'bool' } as const satisfies Partial<Record<RtDType, string>>;
const FROM_ORT: Record<string, RtDType> = { float32: 'f32', float64: 'f64', int32: 'i32', int64: 'i64', bool: 'bool' };

export type OrtThreads = 'single' | 'default';

/** An onnxruntime-node session on model bytes (one intra-op thread unless asked otherwise). */
export function ortSession(model: Uint8Array, threads: OrtThreads = 'single'): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(model, threads === 'single' ? { intraOpNumThreads: 1, interOpNumThreads: 1 } : {});
}

/** Runs a session on runtime tensors; returns the requested outputs as runtime tensors. */
export async function runOrt(s: ort.InferenceSession, feeds: Record<string, RtTensor>): Promise<Record<string, RtTensor>> {
  const f: Record<string, ort.Tensor> = {};
  for (const [k, t] of Object.entries(feeds)) {
    const type = TO_ORT[t.dtype as keyof typeof TO_ORT];
    if (!type) throw new Error(`no ORT type for ${t.dtype}`);
    f[k] = new ort.Tensor(type, t.data as Float32Array, [...t.shape]);
  }
  const r = await s.run(f);
  const out: Record<string, RtTensor> = {};
  for (const [k, t] of Object.entries(r)) {
    const dtype = FROM_ORT[t.type];
    if (!dtype) throw new Error(`ORT output ${k} has type ${t.type}`);
    out[k] = { dtype, shape: t.dims.map(Number), data: t.data } as RtTensor;
  }
  return out;
}
