/**
 * The non-finite policy of `run` (and the fuzzer's run entry points): a NaN or infinity in an input
 * is refused, naming the input, time step and batch entry; an output that became non-finite from
 * finite inputs and weights (an overflow in the model's arithmetic) is refused the same way, unless
 * the caller allows non-finite values (`--allow-nonfinite`), which turns both into warnings.
 */
import { fail, formatDiagnostic, type Location } from '@lstmc/ir';
import { describeNonFinite, findNonFinite, type Model, type RtTensor } from '@lstmc/runtime';

export interface FiniteOptions {
  readonly allow?: boolean;
  /** Where a warning goes when `allow` is set. */
  readonly warn?: (line: string) => void;
  /** The file each input came from, by input name; the model file for outputs. */
  readonly files?: ReadonlyMap<string, string>;
  readonly modelFile?: string;
  /** A stream chunk's first time step: steps are named in the whole sequence. */
  readonly firstStep?: number;
}

function report(code: string, message: string, loc: Location, o: FiniteOptions): void {
  if (!o.allow) fail(code, message, loc);
  o.warn?.(formatDiagnostic({ severity: 'warning', code, message, loc }) + '\n');
}

export function checkFiniteInputs(model: Model, feed: Readonly<Record<string, RtTensor>>, o: FiniteOptions = {}): void {
  const axes = model.sequenceAxes();
  for (const info of model.inputs) {
    const t = feed[info.name];
    const f = t && findNonFinite(t);
    if (!f) continue;
    const file = o.files?.get(info.name);
    report('E-RUN-NONFINITE-INPUT', `input '${info.name}' holds ${describeNonFinite(f, axes.get(info.name), o.firstStep)}; give --allow-nonfinite to run on it anyway`, { ...(file ? { file } : {}), field: info.name }, o);
  }
}

export function checkFiniteOutputs(outputs: Readonly<Record<string, RtTensor>>, o: FiniteOptions = {}): Record<string, RtTensor> {
  for (const [name, t] of Object.entries(outputs)) {
    const f = findNonFinite(t);
    if (!f) continue;
    report('E-RUN-NONFINITE-OUTPUT', `output '${name}' became ${describeNonFinite(f)} from finite inputs and weights (an overflow in the model's arithmetic)`, { ...(o.modelFile ? { file: o.modelFile } : {}), field: name }, o);
  }
  return { ...outputs };
}
