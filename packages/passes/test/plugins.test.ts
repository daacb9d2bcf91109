import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isDiagnosticError } from '@lstmc/ir';
import { builtinRegistry, loadPlugin, parsePipeline, runPipeline } from '../src/index.js';
import { lstmGraph } from './helpers/graphs.js';

const fixture = (f: string) => fileURLToPath(new URL(`./fixtures/plugins/${f}`, import.meta.url));

async function diagnosticOf(f: () => Promise<unknown>) {
  try {
    await f();
  } catch (e) {
    if (isDiagnosticError(e)) return e.diagnostic;
    throw e;
  }
  throw new Error('expected a diagnostic');
}

async function runWithPlugin(file: string, pipeline: string) {
  const reg = await loadPlugin(fixture(file), builtinRegistry());
  return runPipeline(lstmGraph({ input: 3, hidden: 2 }), parsePipeline(pipeline, reg), { pluginOf: (n) => reg.passes.get(n)?.plugin });
}

describe('plugin errors name the plugin and the pass', () => {
  const cases: [string, string, string, RegExp][] = [
    ['throws.js', 'fold,explode', 'E-PLUGIN-THREW', /pass 'explode' of plugin 'thrower.*threw: boom/],
    ['invalid-graph.js', 'dangle', 'E-PLUGIN-INVALID-GRAPH', /pass 'dangle' of plugin 'breaker.*invalid graph.*E-IR-DANGLING/],
    ['not-a-graph.js', 'nothing', 'E-PASS-RESULT', /pass 'nothing' of plugin 'liar.*did not return a graph/],
    ['undeclared-counter.js', 'count-wrong', 'E-PLUGIN-THREW', /pass 'count-wrong' of plugin 'counter.*undeclared counter 'b'/],
  ];
  for (const [file, pipeline, code, msg] of cases)
    it(`${file}: ${code}`, async () => {
      const d = await diagnosticOf(() => runWithPlugin(file, pipeline));
      expect(d.code).toBe(code);
      expect(d.message).toMatch(msg);
    });

  const loadCases: [string, string, RegExp][] = [
    ['clash.js', 'E-PLUGIN-CLASH', /plugin 'clasher.*pass 'prune' clashes with a built-in pass/],
    ['bad-shape.js', 'E-PLUGIN-SHAPE', /plugin 'sloppy.*pass 'half-done'.*run/],
    ['bad-option.js', 'E-PLUGIN-SHAPE', /pass 'opt'.*option 'level'/],
    ['load-error.js', 'E-PLUGIN-LOAD', /failed to load: cannot initialize/],
    ['missing.js', 'E-PLUGIN-LOAD', /not found/],
  ];
  for (const [file, code, msg] of loadCases)
    it(`${file}: ${code}`, async () => {
      const d = await diagnosticOf(() => loadPlugin(fixture(file), builtinRegistry()));
      expect(d.code).toBe(code);
      expect(d.message).toMatch(msg);
    });

  it('an unknown package name is E-PLUGIN-LOAD', async () => {
    const d = await diagnosticOf(() => loadPlugin('lstmc-plugin-that-does-not-exist', builtinRegistry()));
    expect(d.code).toBe('E-PLUGIN-LOAD');
  });

  it('the failure hook receives the graph the failing pass got (for reproducers)', async () => {
    const reg = await loadPlugin(fixture('throws.js'), builtinRegistry());
    const g = lstmGraph({ input: 3, hidden: 2 });
    let seen: { index: number; graphNodes: number } | undefined;
    await expect(
      runPipeline(g, parsePipeline('prune{sparsity=0.5},explode', reg), {
        pluginOf: (n) => reg.passes.get(n)?.plugin,
        instrumentations: [{ onFailure: (ev, before) => void (seen = { index: ev.index, graphNodes: before.nodes.length }) }],
      }),
    ).rejects.toMatchObject({ code: 'E-PLUGIN-THREW' });
    expect(seen).toEqual({ index: 1, graphNodes: 1 });
  });
});
