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
    expect(run.results.map((r) => r.pass)).toEqual(['fold', 'sparsity', 'select-mode', 'quantize', 'encode']);
  });
});
