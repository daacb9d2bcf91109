/**
 * The error `run --check` and `sim --check` accept: `--tolerance X`, or a
 * default by numerics. Float32 runs get FLOAT_TOLERANCE. Fixed-point runs
 * (the simulator, `run --numerics fixed`) get the largest error the quantize
 * pass measured on the calibration data (max abs vs lstmc's float32 of each
 * LSTM layer's h and c outputs, recorded as `lstmc.q.error` and in the
 * binary's layer table and host segments, LSTMs inside If branches too) plus
 * FLOAT_TOLERANCE: the expected outputs come from another float32
 * implementation (onnxruntime, torch), which the float default already lets
 * differ that much. A model quantized without calibration data has no
 * measured error and gets UNMEASURED_FIXED_TOLERANCE. Float runs of a model
 * with LSTMs on int8 weights (select-mode{cost=cpu,int8=auto|on}) get the
 * largest int8 error select-mode measured on the calibration data (the
 * runtime graph's `lstmc.int8_error` metadata) plus FLOAT_TOLERANCE, or
 * UNMEASURED_FIXED_TOLERANCE when it measured none.
 */
import { INT8_ERROR_KEY } from '@lstmc/backend-js';
import { type Graph, walkNodes } from '@lstmc/ir';
import type { RtNode, RuntimeModel } from '@lstmc/runtime';
import { ANN, getFloats } from '@lstmc/passes';
import type { OptionSpec, ParsedArgs } from './command.js';
import { stringOpt, UsageError } from './command.js';

export const FLOAT_TOLERANCE = 1e-4;
export const UNMEASURED_FIXED_TOLERANCE = 1e-2;

export const TOLERANCE_OPTION = {
  tolerance: {
    type: 'string',
    value: 'X',
    help: `largest max abs error --check accepts (default ${FLOAT_TOLERANCE} for float32; fixed point, or LSTMs on int8 weights: the error the quantize pass, or select-mode, measured + ${FLOAT_TOLERANCE}, ${UNMEASURED_FIXED_TOLERANCE} without calibration data)`,
  },
} as const satisfies Record<string, OptionSpec>;

export interface Tolerance {
  readonly value: number;
  /** Where the value comes from, for the report line. */
  readonly source: string;
}

/**
 * `--tolerance` if given, else the default for the numerics: `measured` are the quantize pass's
 * per-layer errors (fixed point), undefined for a float32 run.
 */
export function toleranceOf(args: ParsedArgs, measured: readonly number[] | undefined, kind: 'fixed point' | 'int8 weights' = 'fixed point'): Tolerance {
  const text = stringOpt(args, 'tolerance');
  if (text !== undefined) {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`--tolerance wants a non-negative number, got '${text}'`);
    return { value, source: '--tolerance' };
  }
  if (measured === undefined) return { value: FLOAT_TOLERANCE, source: 'float32 default' };
  const pass = kind === 'fixed point' ? 'the quantize pass' : 'select-mode';
  if (measured.length === 0) return { value: UNMEASURED_FIXED_TOLERANCE, source: `${kind}, no measured error recorded: ${kind === 'fixed point' ? 'quantized' : 'compiled'} without --calibration` };
  return { value: Math.max(...measured) + FLOAT_TOLERANCE, source: `${kind}: ${pass}'s measured error on the calibration data + ${FLOAT_TOLERANCE} for the float32 reference` };
}

/**
 * For a runtime model with LSTM kernels on int8 weights (int8_w / int8_r, If branches too): the int8
 * error recorded in its metadata (empty when none was measured); undefined when it has no int8 weights.
 */
export function int8Errors(m: RuntimeModel): number[] | undefined {
  const int8 = (nodes: readonly RtNode[]): boolean =>
    nodes.some((n) => n.attrs.int8_w?.value === 1 || n.attrs.int8_r?.value === 1 || Object.values(n.branches ?? {}).some((b) => int8(b.nodes)));
  if (!int8(m.nodes)) return undefined;
  const e = Number(m.metadata?.[INT8_ERROR_KEY]);
  return m.metadata?.[INT8_ERROR_KEY] !== undefined && Number.isFinite(e) && e >= 0 ? [e] : [];
}

/** The quantize pass's measured errors (lstmc.q.error: h and c) of the graph's LSTM layers, inside If branches too; empty when it measured none. */
export function measuredErrors(g: Graph): number[] {
  const errors: number[] = [];
  walkNodes(g, (n) => {
    if (n.op === 'LSTM') errors.push(...(getFloats(n, ANN.qError) ?? []));
  });
  return errors;
}
