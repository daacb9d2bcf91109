/** The evaluator passes use unless the caller gives one. */
import { fail } from '@lstmc/ir';
import type { GraphEvaluator } from './evaluator.js';
import { trivialValues } from './evaluator.js';

export const defaultEvaluator: GraphEvaluator = async (g, sample, wanted) => {
  const v = trivialValues(g, sample, wanted);
  if (v) return v;
  return fail('E-CALIB-EVAL', `cannot evaluate ${wanted.filter((w) => !sample.has(w) && !g.initializers.has(w)).join(', ')} on calibration data`);
};
