import { describe, expect, it } from 'vitest';
import { deltaSequence } from '../src/index.js';

/** Delta sequences; the delta pass on calibration data (run on the JS runtime): backend-js test/passes/delta-calibration.test.ts. */
describe('delta', () => {
  it('sends a change only when it reaches the threshold', () => {
    // One element over 5 steps, threshold 0.5.
    const d = deltaSequence([1, 1.2, 1.6, 0.9, 0.9], 5, 1, 1, 0.5);
    expect(Array.from(d.reconstructed)).toEqual([1, 1, 1.6, 0.9, 0.9].map(Math.fround));
    expect(d.zeros).toBe(2);
    const exact = deltaSequence([1, 2, 2, 3], 4, 1, 1, 0);
    expect(Array.from(exact.reconstructed)).toEqual([1, 2, 2, 3]);
    expect(exact.zeros).toBe(1);
  });
});
