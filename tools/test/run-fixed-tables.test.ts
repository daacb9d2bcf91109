/**
 * Facts that @lstmc/backend-js restates because it cannot import the packages
 * that own them (passes and backend-accel sit above it): they must agree.
 */
import { describe, expect, it } from 'vitest';
import { ANN } from '@lstmc/passes';
import { GLUE_OPS } from '@lstmc/backend-accel';
import { LAYER_GLUE_OPS, QUANT_ANNOTATIONS } from '@lstmc/backend-js';

describe('tables restated by the fixed-point lowering', () => {
  it("QUANT_ANNOTATIONS are the quantize pass's annotation keys", () => {
    const pass = { W: ANN.qW, R: ANN.qR, B: ANN.qB, P: ANN.qP, wFrac: ANN.qWFrac, rFrac: ANN.qRFrac, pFrac: ANN.qPFrac, xFrac: ANN.qXFrac, cFrac: ANN.qCFrac, accFrac: ANN.qAccFrac, weightBits: ANN.qWeightBits };
    expect(QUANT_ANNOTATIONS).toEqual(pass);
  });
  it("LAYER_GLUE_OPS are the accelerator host's glue ops", () => {
    expect([...LAYER_GLUE_OPS].sort()).toEqual([...GLUE_OPS].sort());
  });
});
