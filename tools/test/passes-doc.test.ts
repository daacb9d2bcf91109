import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PASSES, BUILTIN_PROPERTIES, PROPERTY_ANNOTATIONS, PROPERTY_PROVIDERS, builtinRegistry, establishedBy, parsePipeline, requirementsOf } from '@lstmc/passes';
import { defaultTarget } from '@lstmc/target';
import { loadModel } from '../src/load-model.js';
import { readCalibration } from '../src/pass-flags.js';
import { REPO } from './helpers.js';
import { runPasses } from './run-fixed-support.js';

/** docs/passes.md's plugin-author tables (properties, report tables) checked against the passes themselves. */
const DOC = readFileSync(join(REPO, 'docs/passes.md'), 'utf8');

/** The body rows of the markdown table whose header line starts with `header`, as cells (`\|` kept as `|`). */
function tableRows(header: string): string[][] {
  const lines = DOC.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  expect(start, header).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i].startsWith('|'); i++)
    rows.push(lines[i].replace(/\\\|/g, '\u0000').split('|').slice(1, -1).map((c) => c.trim().replace(/\u0000/g, '|')));
  return rows;
}

/** The backticked names of a cell, in order. */
const names = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

describe('docs/passes.md: properties', () => {
  it('lists every built-in property with the step that establishes it and the annotations that hold it', () => {
    const rows = tableRows('| property | established by |');
    expect(rows.map((r) => names(r[0])[0]).sort()).toEqual(Object.keys(BUILTIN_PROPERTIES).sort());
    for (const [cell, by, held] of rows) {
      const p = names(cell)[0] as keyof typeof PROPERTY_PROVIDERS;
      expect(names(by)).toEqual([PROPERTY_PROVIDERS[p]]);
      for (const prefix of PROPERTY_ANNOTATIONS[p]) expect(held).toContain(`\`${prefix}*\``);
    }
  });

  it("states each built-in pass's requires, establishes and invalidates, option-dependent ones with their option", () => {
    const rows = tableRows('| pass | requires | establishes | invalidates |');
    expect(rows.map((r) => names(r[0])[0])).toEqual(Object.keys(BUILTIN_PASSES));
    const reg = builtinRegistry();
    for (const [passCell, req, est, inv] of rows) {
      const name = names(passCell)[0] as keyof typeof BUILTIN_PASSES;
      const pass = BUILTIN_PASSES[name];
      const defaults = parsePipeline(name, reg).steps[0].options;
      // Each `;` part: `prop` (always), or `prop` with `option=value` (only then).
      const check = (cell: string, of: (options: typeof defaults) => readonly string[]) => {
        const always: string[] = [];
        for (const part of cell.split(';').map((x) => x.trim()).filter((x) => x)) {
          const [prop, cond] = names(part);
          if (cond === undefined) always.push(prop);
          else {
            expect(of(parsePipeline(`${name}{${cond}}`, reg).steps[0].options), `${name}{${cond}}`).toContain(prop);
            expect(of(defaults), name).not.toContain(prop);
          }
        }
        expect([...of(defaults)].sort(), name).toEqual(always.sort());
      };
      check(req, (o) => requirementsOf(pass, o));
      check(est, (o) => establishedBy(pass, o));
      expect([...pass.invalidates].sort(), name).toEqual(names(inv).sort());
    }
  });
});

const BATCH_FIRST = join(REPO, 'tools/test/corpus/torch/lstm-2l-bidir-bf-noh0-dyn-op14-fold/model.onnx');
const CELL = join(REPO, 'tools/test/corpus/torch2/ts-cell-step-linear-dynb-op17/model.onnx');

describe('docs/passes.md: report tables', () => {
  it('gives the title and columns of every table the built-in passes report', { timeout: 120_000 }, async () => {
    const rows = tableRows('| step | title | columns |');
    const model = join(REPO, 'examples/kws-lstm/model.onnx');
    const g = loadModel(model, REPO);
    const calibration = readCalibration(join(REPO, 'examples/kws-lstm/test_data_set_0'), g, REPO);
    const steps = [...new Set(rows.map((r) => names(r[0])[0]))];
    expect(new Set(steps.map((s) => s.split('{')[0]))).toEqual(new Set(Object.keys(BUILTIN_PASSES).filter((p) => p !== 'fold')));
    for (const step of steps) {
      // What the step requires, established first; its own tables are those of the last result.
      const prefix = step.startsWith('sparsity') || step.startsWith('prune') || step.startsWith('batch-major') || step.startsWith('lstm-cell') ? 'fold' : step.startsWith('select-mode') ? 'fold,sparsity' : 'fold,sparsity,select-mode,quantize';
      // batch-major and lstm-cell report only what they changed: a batch-first torch export, an LSTMCell one, of the corpus
      const only = step.startsWith('batch-major') ? BATCH_FIRST : step.startsWith('lstm-cell') ? CELL : undefined;
      const run = only ? await runPasses(loadModel(only, REPO), `${prefix},${step}`, defaultTarget, []) : await runPasses(g, `${prefix},${step}`, defaultTarget, calibration);
      const reports = run.results[run.results.length - 1].reports;
      const documented = rows.filter((r) => names(r[0])[0] === step).map((r) => ({ title: names(r[1])[0], columns: names(r[2]) }));
      const reported = reports.map((t) => ({ title: t.title, columns: [...t.columns] }));
      // The step's rows, in order, among what it reports; every table it reports is documented (under it or an earlier step).
      expect(reported.filter((t) => documented.some((d) => d.title === t.title)), step).toEqual(documented);
      for (const t of reported) expect(rows.some((r) => names(r[1])[0] === t.title && names(r[2]).join('\n') === t.columns.join('\n')), t.title).toBe(true);
    }
  });
});
