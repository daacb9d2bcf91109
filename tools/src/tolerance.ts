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
 * measured error and gets UNMEASURED_FIXED_TOLERANCE.
 */
import { type Graph, walkNodes } from '@lstmc/ir';
import { ANN, getFloats } from '@lstmc/passes';
import type { OptionSpec, ParsedArgs } from './command.js';
import { stringOpt, UsageError } from './command.js';

export const FLOAT_TOLERANCE = 1e-4;
export const UNMEASURED_FIXED_TOLERANCE = 1e-2;

export const TOLERANCE_OPTION = {
  tolerance: {
    type: 'string',
    value: 'X',
    help: `largest max abs error --check accepts (default ${FLOAT_TOLERANCE} for float32; fixed point: the quantize pass's measured error + ${FLOAT_TOLERANCE}, ${UNMEASURED_FIXED_TOLERANCE} without calibration data)`,
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
export function toleranceOf(args: ParsedArgs, measured: readonly number[] | undefined): Tolerance {
  const text = stringOpt(args, 'tolerance');
  if (text !== undefined) {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`--tolerance wants a non-negative number, got '${text}'`);
    return { value, source: '--tolerance' };
  }
  if (measured === undefined) return { value: FLOAT_TOLERANCE, source: 'float32 default' };
  if (measured.length === 0) return { value: UNMEASURED_FIXED_TOLERANCE, source: 'fixed point, no measured error recorded: quantized without --calibration' };
  return { value: Math.max(...measured) + FLOAT_TOLERANCE, source: `fixed point: the quantize pass's measured error on the calibration data + ${FLOAT_TOLERANCE} for the float32 reference` };
}

/** The quantize pass's measured errors (lstmc.q.error: h and c) of the graph's LSTM layers, inside If branches too; empty when it measured none. */
export function measuredErrors(g: Graph): number[] {
  const errors: number[] = [];
  walkNodes(g, (n) => {
    if (n.op === 'LSTM') errors.push(...(getFloats(n, ANN.qError) ?? []));
  });
  return errors;
}
