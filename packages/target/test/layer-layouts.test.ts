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

  it('the layer flips from dense to sparse weights around layerBreakEvenSparsity (I=256, H=512)', () => {
    const s = layerBreakEvenSparsity(256, 512, defaultTarget);
    // given a sparse R, W's own threshold is where streaming fewer bytes starts to pay (~0.21, see cost-model.test.ts)
    const w = layerWeightThreshold(layer(256, 512, s), 'W', true, defaultTarget);
    expect(w).toBeGreaterThan(0.2);
    expect(w).toBeLessThanOrEqual(s);
    const below = bestWeightLayouts(layer(256, 512, Math.min(w, s) - 0.02), defaultTarget);
    const above = bestWeightLayouts(layer(256, 512, s + 0.05), defaultTarget);
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

  it('while streaming is DMA-bound, input sparsity does not move the switch (every weight is streamed anyway)', () => {
    // at 0.20 the dense layer streams 196,608 cycles a step, the sparse one 199,680: zero inputs only shorten the hidden products
    const dense = bestWeightLayouts(layer(256, 512, 0.2), defaultTarget);
    expect([dense.sparseW, dense.sparseR]).toEqual([false, false]);
    const zeros = bestWeightLayouts({ ...layer(256, 512, 0.2), inputSparsityW: 0.9, inputSparsityR: 0.9 }, defaultTarget);
    expect([zeros.sparseW, zeros.sparseR]).toEqual([false, false]);
    expect(bestWeightLayouts(layer(256, 512, 0.3), defaultTarget)).toMatchObject({ sparseW: true, sparseR: true });
  });
});
