import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isDiagnosticError } from '@lstmc/ir';
import { builtinRegistry, loadPlugin, parsePipeline, runPipeline } from '../src/index.js';
import { lstmGraph } from './helpers/graphs.js';

const fixtureDir = fileURLToPath(new URL('./fixtures/plugins', import.meta.url));
const fixture = (f: string) => join(fixtureDir, f);

async function diagnosticOf(f: () => Promise<unknown>) {
  try {
    await f();
  } catch (e) {
    if (isDiagnosticError(e)) return e.diagnostic;
    throw e;
  }
  throw new Error('expected a diagnostic');
}


describe('plugin _error_ fixtures name the plugin and the pass', () => {
  // Each folder: plugin.js (absent: a missing module), pipeline.txt when the error happens while running,
  // expected.txt: the code, then a regular expression the message matches.
  for (const name of readdirSync(fixtureDir).filter((d) => d.startsWith('_error_')))
    it(name, async () => {
      const [code, msg] = readFileSync(join(fixtureDir, name, 'expected.txt'), 'utf8').trim().split('\n');
      const pipelineFile = join(fixtureDir, name, 'pipeline.txt');
      const pipeline = existsSync(pipelineFile) ? readFileSync(pipelineFile, 'utf8').trim() : undefined;
      const d = await diagnosticOf(async () => {
        const reg = await loadPlugin(join(fixtureDir, name, 'plugin.js'), builtinRegistry());
        if (pipeline === undefined) return;
        await runPipeline(lstmGraph({ input: 3, hidden: 2 }), parsePipeline(pipeline, reg), { pluginOf: (n) => reg.passes.get(n)?.plugin });
      });
      expect(d.code).toBe(code);
      expect(d.message).toMatch(new RegExp(msg));
    });

  it('an unknown package name is E-PLUGIN-LOAD', async () => {
    const d = await diagnosticOf(() => loadPlugin('lstmc-plugin-that-does-not-exist', builtinRegistry()));
    expect(d.code).toBe('E-PLUGIN-LOAD');
  });

  it('the failure hook receives the graph the failing pass got (for reproducers)', async () => {
    const reg = await loadPlugin(fixture('_error_throws/plugin.js'), builtinRegistry());
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
