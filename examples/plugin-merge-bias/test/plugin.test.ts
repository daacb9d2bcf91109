import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferTypes, makeGraph, makeNode, makeTensor, tensorType } from '@lstmc/ir';
import { builtinRegistry, loadPlugin, parsePipeline, printPipeline, runPipeline } from '@lstmc/passes';

const here = dirname(fileURLToPath(import.meta.url));

function model() {
  const H = 3;
  const I = 2;
  const B = Float32Array.from({ length: 8 * H }, (_, i) => (i % 5) * 0.1 - 0.2);
  return inferTypes(
    makeGraph({
      inputs: ['X'],
      outputs: ['Y'],
      initializers: [
        ['W', makeTensor('f32', [1, 4 * H, I], new Float32Array(4 * H * I).fill(0.1))],
        ['R', makeTensor('f32', [1, 4 * H, H], new Float32Array(4 * H * H).fill(0.2))],
        ['B', makeTensor('f32', [1, 8 * H], B)],
      ],
      values: [['X', { name: 'X', type: tensorType('f32', [4, 1, I]) }]],
      nodes: [makeNode({ op: 'LSTM', name: 'lstm', inputs: ['X', 'W', 'R', 'B'], outputs: ['Y'], attrs: { hidden_size: { kind: 'int', value: H } } })],
    }),
  );
}

describe('lstmc-plugin-merge-bias', () => {
  it('loads by path and by package name, and its pass runs in a pipeline with built-ins', async () => {
    for (const spec of [join(here, '../src/index.js'), 'lstmc-plugin-merge-bias']) {
      const reg = await loadPlugin(spec, builtinRegistry(), { cwd: join(here, '..') });
      expect(reg.passes.get('merge-bias')?.plugin).toContain('lstmc-plugin-merge-bias');
      const p = parsePipeline('merge-bias{min-abs=0},fold', reg);
      expect(printPipeline(p)).toBe('merge-bias{min-abs=0},fold');
      const g = model();
      const run = await runPipeline(g, p, { pluginOf: (n) => reg.passes.get(n)?.plugin });
      const before = g.initializers.get('B')!.data as Float32Array;
      const after = run.graph.initializers.get('B')!.data as Float32Array;
      const nonZeroRb = Array.from(before.slice(12)).filter((v) => v !== 0).length;
      expect(nonZeroRb).toBeGreaterThan(5);
      for (let k = 0; k < 12; k++) {
        expect(after[12 + k]).toBe(0);
        expect(after[k]).toBe(Math.fround(before[k] + before[12 + k]));
      }
      expect(run.results[0]).toMatchObject({ pass: 'merge-bias', changed: true, counters: { layers: 1, 'biases-merged': nonZeroRb } });
      expect(run.results[0].plugin).toContain('lstmc-plugin-merge-bias');
    }
  });
});
