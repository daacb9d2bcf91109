import type { IoDesc } from './program.js';

/**
 * The quantize pass's measured errors a binary records: one per accelerator layer direction
 * (io.layers) and one per host node that runs fixed-point LSTMs (io.hostSegments, LSTMs inside If
 * branches on run-time conditions); empty when the model was quantized without calibration data.
 */
export function recordedErrors(io: IoDesc): number[] {
  const out: number[] = [];
  for (const l of io.layers) if (l.qError !== undefined) out.push(l.qError);
  for (const s of io.hostSegments) for (const n of s.nodes) if (n.qError !== undefined) out.push(n.qError);
  return out;
}
