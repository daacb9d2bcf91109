import { describe, expect, it } from 'vitest';
import { PRESETS, builtinRegistry, checkRequirements, parsePipeline, presetPipeline, printPipeline, runPipeline } from '../src/index.js';
import { lstmGraph } from './helpers/graphs.js';

describe('presets', () => {
  for (const name of Object.keys(PRESETS))
    it(`-O ${name} expands to canonical pipeline text whose requirements hold`, () => {
      const text = presetPipeline(name);
      const p = parsePipeline(text, builtinRegistry());
      expect(printPipeline(p)).toBe(text);
      checkRequirements(p, new Set());
    });

  it('-O accel runs end to end on an LSTM', async () => {
    const g = lstmGraph({ input: 16, hidden: 8 });
    const run = await runPipeline(g, parsePipeline(presetPipeline('accel'), builtinRegistry()));
    expect(run.graph.metadata['lstmc.properties']).toBe('encoded,folded,modes,quantized,weight-sparsity');
    expect(run.results.map((r) => r.pass)).toEqual(['lstm-cell', 'fold', 'sparsity', 'select-mode', 'quantize', 'encode']);
  });

  it('-O js measures sparsity and marks only matrices at least 80% sparse sparse-weight, never input tests', async () => {
    const g = lstmGraph({ input: 16, hidden: 8 });
    const run = await runPipeline(g, parsePipeline(presetPipeline('js'), builtinRegistry()));
    expect(run.results.map((r) => r.pass)).toEqual(['lstm-cell', 'fold', 'batch-major', 'sparsity', 'select-mode']);
    const lstm = run.graph.nodes.find((n) => n.op === 'LSTM')!;
    const modes = (k: string) => {
      const a = lstm.attrs[k];
      return a?.kind === 'strings' ? [...a.value] : a?.kind === 'string' ? [a.value] : [];
    };
    // The helper's random weights are dense: no matrix reaches the threshold.
    expect([...modes('lstmc.mode.W'), ...modes('lstmc.mode.R')].every((m) => m === 'dense')).toBe(true);
  });

  it('-O js (CPU cost model) marks a 90%-pruned 256x256 W sparse-weight and a 50%-pruned 256x64 R dense', async () => {
    const pruned = await runPipeline(lstmGraph({ input: 256, hidden: 64 }), parsePipeline('prune{w-sparsity=0.9,r-sparsity=0.5}', builtinRegistry()));
    const run = await runPipeline(pruned.graph, parsePipeline(presetPipeline('js'), builtinRegistry()));
    const lstm = run.graph.nodes.find((n) => n.op === 'LSTM')!;
    expect(lstm.attrs['lstmc.mode.W']).toEqual({ kind: 'strings', value: ['sparse-weight'] });
    expect(lstm.attrs['lstmc.mode.R']).toEqual({ kind: 'strings', value: ['dense'] });
  });
});
