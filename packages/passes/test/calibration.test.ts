/**
 * Calibration without what it needs: no data (E-SPARSITY-NO-CALIBRATION), or
 * data but no graph evaluator (E-PASS-NO-EVALUATOR). Passes cannot execute a
 * graph themselves; whoever runs the pipeline injects an evaluator. The
 * passes run with the JS runtime's evaluator, as lstmc's commands run them,
 * are tested in packages/backend-js/test/passes/.
 */
import { describe, expect, it } from 'vitest';
import { isDiagnosticError, makeTensor, type Diagnostic } from '@lstmc/ir';
import { builtinRegistry, definePass, makeRegistry, parsePipeline, runPipeline } from '../src/index.js';
import { calibrationX, lstmGraph } from './helpers/graphs.js';

async function diagnosticOf(p: Promise<unknown>): Promise<Diagnostic> {
  try {
    await p;
  } catch (e) {
    if (isDiagnosticError(e)) return e.diagnostic;
    throw e;
  }
  throw new Error('expected a diagnostic');
}

describe('calibration without data or evaluator', () => {
  it('fails with E-SPARSITY-NO-CALIBRATION when no data is given', async () => {
    const g = lstmGraph({ input: 4, hidden: 3 });
    await expect(runPipeline(g, parsePipeline('sparsity{input=calibration}', builtinRegistry()))).rejects.toMatchObject({ code: 'E-SPARSITY-NO-CALIBRATION' });
  });

  for (const [pipeline, pass] of [
    ['sparsity{input=calibration}', 'sparsity'],
    ['quantize', 'quantize'],
    ['delta{threshold=0.1}', 'delta'],
  ] as const)
    it(`${pipeline} on calibration data without an evaluator is E-PASS-NO-EVALUATOR, naming the pass`, async () => {
      const g = lstmGraph({ input: 4, hidden: 3, layers: 2 });
      const d = await diagnosticOf(runPipeline(g, parsePipeline(pipeline, builtinRegistry()), { calibration: [calibrationX(5, 2, 4, 1)] }));
      expect(d.code).toBe('E-PASS-NO-EVALUATOR');
      expect(d.message).toMatch(new RegExp(`^${pass}: needs to run graph '.*' to compute '.+'.*no graph evaluator`));
      expect(d.loc.field).toBe(pass);
    });

  it('without an evaluator, values that need no execution (graph inputs, initializers) are still given', async () => {
    const seen: string[] = [];
    const peek = definePass({
      name: 'peek',
      summary: 'reads X and W0 through ctx.evaluate',
      options: {},
      requires: [],
      establishes: [],
      invalidates: [],
      counters: {},
      async run(graph, ctx) {
        const v = await ctx.evaluate(graph, ctx.calibration[0], ['X', 'W0']);
        seen.push(...[...v.keys()].map((k) => `${k}:${v.get(k)!.dims.join('x')}`));
        return graph;
      },
    });
    const x = makeTensor('f32', [5, 2, 4], new Float32Array(40));
    await runPipeline(lstmGraph({ input: 4, hidden: 3 }), parsePipeline('peek', makeRegistry({ peek })), { calibration: [new Map([['X', x]])] });
    expect(seen).toEqual(['X:5x2x4', 'W0:1x12x4']);
  });
});
