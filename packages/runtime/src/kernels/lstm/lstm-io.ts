import { rtFail } from '../../errors.js';
import type { RtValue } from '../../model.js';
import type { RtTensor } from '../../tensor.js';
import type { StaticNodeInfo, StreamSlot } from '../kernel.js';
import { dtypeIs, rankIs } from '../shape-util.js';

/**
 * What every LSTM kernel (the float32 ones of lstm-core.ts and `lstm.fixed`) checks about the
 * ONNX attributes they share and about X, sequence_lens, initial_h/initial_c and the outputs:
 * at load time (messages for the node's diagnostic) and at run time (the shapes the data has).
 */
export const LSTM_DIRECTIONS = ['forward', 'reverse', 'bidirectional'] as const;

/** The ONNX LSTM attributes every LSTM kernel takes; each kernel adds its own. */
export const LSTM_COMMON_ATTRS = {
  hidden_size: { type: 'int', required: true },
  input_size: { type: 'int', required: true },
  direction: { type: 'string', default: 'forward', oneOf: LSTM_DIRECTIONS },
  layout: { type: 'int', default: 0 },
  /** The ONNX clip threshold (real). */
  clip: { type: 'float' },
  input_forget: { type: 'int', default: 0 },
} as const;

interface CommonAttrs {
  readonly hidden_size: number;
  readonly input_size: number;
  readonly direction: string;
  readonly layout: number;
  readonly clip: number | undefined;
  readonly input_forget: number;
}

export function numDirections(a: Pick<CommonAttrs, 'direction'>): number {
  return a.direction === 'bidirectional' ? 2 : 1;
}

/** Load-time checks of the shared attributes; an error message or undefined. */
export function checkLstmAttrs(a: CommonAttrs): string | undefined {
  if (!(a.hidden_size > 0)) return `hidden_size must be positive, got ${a.hidden_size}`;
  if (!(a.input_size > 0)) return `input_size must be positive, got ${a.input_size}`;
  if (a.layout !== 0 && a.layout !== 1) return `layout must be 0 or 1, got ${a.layout}`;
  if (a.input_forget !== 0 && a.input_forget !== 1) return `input_forget must be 0 or 1, got ${a.input_forget}`;
  if (a.clip !== undefined && !(a.clip > 0)) return `clip must be positive, got ${a.clip}`;
  return undefined;
}

/** Load-time checks of X, sequence_lens, initial_h, initial_c (null when absent) and the outputs. */
export function checkLstmSlots(a: CommonAttrs, x: RtValue | null, seqLens: RtValue | null, h0: RtValue | null, c0: RtValue | null, outputs: StaticNodeInfo['outputs']): string | undefined {
  if (!dtypeIs(x, 'f32') || !rankIs(x, 3)) return 'X must be a rank-3 f32 tensor';
  if (x?.shape && typeof x.shape[2] === 'number' && x.shape[2] !== a.input_size) return `X has input size ${x.shape[2]}, input_size is ${a.input_size}`;
  if (!dtypeIs(seqLens, 'i32', 'i64') || !rankIs(seqLens, 1)) return 'sequence_lens must be a rank-1 i32 or i64 tensor';
  for (const s of [h0, c0]) if (!dtypeIs(s, 'f32') || !rankIs(s, 3)) return 'initial_h and initial_c must be rank-3 f32 tensors';
  for (const y of outputs) if (!dtypeIs(y ?? null, 'f32')) return 'outputs must be f32';
  if (!rankIs(outputs[0] ?? null, 4)) return 'Y must have rank 4';
  return undefined;
}

/** Can the node run inside a stream: forward, without sequence_lens (given or not). */
export function checkLstmStream(a: Pick<CommonAttrs, 'direction'>, seqLens: RtValue | null | undefined): string | undefined {
  if (a.direction !== 'forward') return `a ${a.direction} LSTM needs the whole sequence and cannot be streamed`;
  if (seqLens) return 'an LSTM with sequence_lens cannot be streamed';
  return undefined;
}

/** The sizes of one run, from the attributes and X; its sequence lengths (null: all T) and the stream state it continues. */
export interface LstmRun<S> {
  readonly D: number;
  readonly H: number;
  readonly I: number;
  readonly T: number;
  readonly B: number;
  readonly layout1: boolean;
  /** Shape of initial_h/initial_c and of Y_h/Y_c: [B, D, H] with layout 1 (unless asked otherwise), else [D, B, H]. */
  readonly stateShape: number[];
  readonly lens: Int32Array | null;
  /** What the previous push of a stream left (state['lstm']), when there was one. */
  readonly carried: S | undefined;
}

/** Run-time checks of X, sequence_lens, the initial states and the stream's batch against the attributes. */
export function lstmRun<S extends { readonly batch: number }>(
  a: CommonAttrs, X: RtTensor, seqLens: RtTensor | null, initH: RtTensor | null, initC: RtTensor | null, state: StreamSlot | undefined,
  /** The states' order: batch-major [B, D, H] (layout 1's, the default there) or [D, B, H]. */
  statesBatchMajor = a.layout === 1,
): LstmRun<S> {
  const D = numDirections(a);
  const H = a.hidden_size;
  const I = a.input_size;
  const layout1 = a.layout === 1;
  const T = layout1 ? X.shape[1]! : X.shape[0]!;
  const B = layout1 ? X.shape[0]! : X.shape[1]!;
  if (X.shape[2] !== I) rtFail('E-RT-EXEC', `X has input size ${X.shape[2]}, expected ${I}`);
  const stateShape = statesBatchMajor ? [B, D, H] : [D, B, H];
  for (const [n, s] of [['initial_h', initH], ['initial_c', initC]] as const) {
    if (s && (s.shape.length !== 3 || s.shape.some((d, i) => d !== stateShape[i]))) {
      rtFail('E-RT-EXEC', `${n} has shape [${s.shape.join(',')}], expected [${stateShape.join(',')}]`);
    }
  }
  let lens: Int32Array | null = null;
  if (seqLens) {
    if (seqLens.data.length !== B) rtFail('E-RT-EXEC', `sequence_lens has ${seqLens.data.length} entries, batch is ${B}`);
    lens = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      const l = Number(seqLens.data[b]);
      if (!(l >= 0 && l <= T)) rtFail('E-RT-EXEC', `sequence_lens[${b}] = ${l} is outside [0, ${T}]`);
      lens[b] = l;
    }
  }
  const carried = state?.['lstm'] as S | undefined;
  if (carried && carried.batch !== B) rtFail('E-RT-STREAM', `batch changed from ${carried.batch} to ${B} within a stream`);
  return { D, H, I, T, B, layout1, stateShape, lens, carried };
}
