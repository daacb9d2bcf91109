/**
 * Golden fixtures, one folder per case under test/golden/: `input.lir`
 * (textual IR, or `input: NAME` in pipeline.txt's first line to share an
 * input of test/golden/_inputs), `pipeline.txt`, and the expected
 * `expected.lir` (printed IR after the pipeline) and `expected-counters.txt`.
 * LSTMC_UPDATE_GOLDEN=1 rewrites the expected files (review the diff!).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseGraph, printGraph } from '@lstmc/ir';
import { builtinRegistry, parsePipeline, runPipeline } from '../src/index.js';
import { GOLDEN_INPUTS } from './golden-inputs.js';

const dir = fileURLToPath(new URL('./golden', import.meta.url));
const inputs = join(dir, '_inputs');
const update = process.env.LSTMC_UPDATE_GOLDEN === '1';

if (process.env.LSTMC_GOLDEN_INPUTS === '1') {
  mkdirSync(inputs, { recursive: true });
  for (const [name, make] of Object.entries(GOLDEN_INPUTS)) writeFileSync(join(inputs, `${name}.lir`), printGraph(make(), { elideAbove: Infinity }));
}

function readInput(caseDir: string, header: string | undefined): { text: string; file: string } {
  const shared = header?.match(/^input: (\S+)$/)?.[1];
  const file = shared ? join(inputs, `${shared}.lir`) : join(caseDir, 'input.lir');
  return { text: readFileSync(file, 'utf8'), file };
}

describe('golden pass fixtures', () => {
  for (const name of readdirSync(dir).filter((d) => !d.startsWith('_') && existsSync(join(dir, d, 'pipeline.txt'))))
    it(name, async () => {
      const caseDir = join(dir, name);
      const lines = readFileSync(join(caseDir, 'pipeline.txt'), 'utf8').trim().split('\n');
      const header = lines[0].startsWith('input: ') ? lines.shift() : undefined;
      const { text, file } = readInput(caseDir, header);
      const g = parseGraph(text, { file });
      const run = await runPipeline(g, parsePipeline(lines.join('\n'), builtinRegistry()));
      const ir = printGraph(run.graph, { elideAbove: Infinity });
      const counters = run.results.map((r, i) => `#${i + 1} ${r.step}${r.changed ? '' : ' (unchanged)'}\n${Object.entries(r.counters).map(([k, v]) => `  ${k} = ${v}`).join('\n')}`).join('\n') + '\n';
      if (update) {
        writeFileSync(join(caseDir, 'expected.lir'), ir);
        writeFileSync(join(caseDir, 'expected-counters.txt'), counters);
      }
      expect(ir).toBe(readFileSync(join(caseDir, 'expected.lir'), 'utf8'));
      expect(counters).toBe(readFileSync(join(caseDir, 'expected-counters.txt'), 'utf8'));
      // The expected IR is itself valid textual IR that reads back to the same print.
      expect(printGraph(parseGraph(ir, { file: 'expected.lir' }), { elideAbove: Infinity })).toBe(ir);
    });
});
