import { rtFail } from '../errors.js';
import type { RtTensor } from '../tensor.js';
import { toNumbers } from '../tensor.js';

/** Axes of Squeeze/Unsqueeze: the `axes` attribute (opset < 13) or the optional second input (opset >= 13). */
export function axesFrom(attr: readonly number[] | undefined, input: RtTensor | null | undefined): number[] | undefined {
  if (attr && input) rtFail('E-RT-EXEC', 'axes given both as attribute and as input');
  if (input) return toNumbers(input);
  return attr ? [...attr] : undefined;
}
