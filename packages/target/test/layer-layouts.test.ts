import { describe, expect, it } from 'vitest';
import { bestWeightLayouts, defaultTarget, expectedLayoutStepCycles, layerBreakEvenSparsity, layerWeightThreshold, withParams } from '../src/index.js';

const layer = (input: number, hidden: number, ws: number) => ({ input, hidden, weightSparsityW: ws, weightSparsityR: ws, inputSparsityW: 0, inputSparsityR: 0 });

describe('weight layouts chosen per layer step', () => {
  it('2 rows per PE: a dense column takes one cycle and a sparse one never less, so sparse never wins', () => {
    // H = 16: 64 rows over 32 PEs; nothing near the SRAM size.
    const l = layer(16, 16, 0.9);
    expect(layerWeightThreshold(l, 'W', false, defaultTarget)).toBe(Infinity);
    expect(layerWeightThreshold(l, 'R', false, defaultTarget)).toBe(Infinity);
    expect(bestWeightLayouts(l, defaultTarget)).toMatchObject({ sparseW: false, sparseR: false });
  });

  it('with both matrices sparse the layer flips where layerBreakEvenSparsity says (I=256, H=512)', () => {
    const s = layerBreakEvenSparsity(256, 512, defaultTarget);
    expect(layerWeightThreshold(layer(256, 512, s), 'W', true, defaultTarget)).toBeCloseTo(s, 2);
    const below = bestWeightLayouts(layer(256, 512, s - 0.01), defaultTarget);
    const above = bestWeightLayouts(layer(256, 512, s + 0.01), defaultTarget);
    expect([below.sparseW, below.sparseR]).toEqual([false, false]);
    expect([above.sparseW, above.sparseR]).toEqual([true, true]);
  });

  it('a larger weight SRAM removes the streaming effect: the per-matrix break-even (0.769) returns', () => {
    const big = withParams(defaultTarget, { weightSramBytesPerPe: 1 << 20 });
    expect(layerWeightThreshold(layer(256, 512, 0.5), 'W', false, big)).toBe(0.769);
    expect(bestWeightLayouts(layer(256, 512, 0.5), big)).toMatchObject({ sparseW: false, sparseR: false });
  });

  it('each matrix takes its cheaper input handling: skipping pays off at high input sparsity', () => {
    const l = { ...layer(256, 512, 0.9), inputSparsityW: 0.9 };
    const c = expectedLayoutStepCycles(l, { sparseW: true, sparseR: true }, defaultTarget);
    expect([c.modeW, c.modeR]).toEqual(['sparse-both', 'sparse-weight']);
    expect(c.cycles).toBeLessThan(expectedLayoutStepCycles(layer(256, 512, 0.9), { sparseW: true, sparseR: true }, defaultTarget).cycles);
  });

  it('input sparsity moves the switch: at 0.30 sparse wins when 90% of the inputs are zero (simulated 199,623 vs 205,387)', () => {
    const dense = bestWeightLayouts(layer(256, 512, 0.3), defaultTarget);
    expect([dense.sparseW, dense.sparseR]).toEqual([false, false]);
    const sparse = bestWeightLayouts({ ...layer(256, 512, 0.3), inputSparsityW: 0.9, inputSparsityR: 0.9 }, defaultTarget);
    expect([sparse.sparseW, sparse.sparseR]).toEqual([true, true]);
  });
});
