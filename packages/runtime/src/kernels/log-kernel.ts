/**
 * The runtime's Log kernel: the op's kernel (opKernel: attributes, load-time check, reference
 * evaluation) with float32 data on the WebAssembly engine's logv (lstm/wasm/log-module.ts, Cephes'
 * logf four floats at a time, within 1 ulp of the correctly rounded logarithm; onnxruntime's CPU Log
 * is Eigen's vectorized form of the same Cephes approximation). Math.log, which the reference
 * evaluation rounds, costs 8-9 ns per float on V8: Silero VAD v4's log-spectrum of 1,032 floats took
 * 0.010 ms of a 0.2 ms frame. Other dtypes, `matvec: 'js'` and hosts without WebAssembly SIMD run the
 * reference.
 */
import { Log } from '@lstmc/ops/defs';
import { vectorEngine, type VectorEngine } from './vector-engine.js';
import { type AnyKernel, defineKernel, outputF32 } from './kernel.js';
import { opKernel } from './op-kernel.js';

const reference = opKernel('Log', Log);

/** Log: the reference kernel's attributes and checks; float32 data through the model's vector engine. */
export const logKernel: AnyKernel = defineKernel({
  ...reference,
  prepare: (_attrs, _consts, env): VectorEngine | undefined => vectorEngine(env),
  run: (call) => {
    const e = call.prepared as VectorEngine | undefined;
    const X = call.inputs[0];
    if (!e || !X || X.dtype !== 'f32') return reference.run(call);
    const n = X.data.length;
    const nv = Math.ceil(n / 4);
    e.scratch(4 * nv);
    const m = e.mem;
    const at = e.scratchOff;
    m.set(X.data as Float32Array, at);
    e.logv(at, at, nv);
    const y = outputF32(call, n);
    y.set(m.subarray(at, at + n));
    return [{ dtype: 'f32', shape: X.shape, data: y }];
  },
});
