import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultTarget, withParams } from '@lstmc/target';
import { compileAccel, deriveIsa, formatInstr } from '../src/index.js';
import { optimize } from './pipeline.js';
import { randomModel } from './random-model.js';

/**
 * Golden codegen fixtures: spec.json (a random model, target overrides and a
 * pipeline) -> expected.lst (the microcode with its IR nodes, and the matrix
 * table). LSTMC_UPDATE_GOLDEN=1 rewrites expected.lst.
 */
const DIR = join(import.meta.dirname, 'fixtures', 'codegen');

describe('codegen fixtures', () => {
  for (const name of readdirSync(DIR).sort()) {
    it(name, async () => {
      const spec = JSON.parse(readFileSync(join(DIR, name, 'spec.json'), 'utf8'));
      const t = withParams(defaultTarget, spec.target);
      const g = await optimize(randomModel(spec.model).graph, t, [], spec.pipeline);
      const p = compileAccel(g, t);
      const isa = deriveIsa(t);
      const lines = [
        ...p.matrices.map((m, i) => `matrix ${i} ${m.name}: ${m.rows}x${m.cols} ${m.layout} shift=${m.shift} rows=${m.assignment} bytes/PE=${m.pes.map((x) => x.bytes).join(',')}`),
        ...p.code.map((ins, i) => `${String(i).padStart(3)}  ${formatInstr(isa, ins)}${p.debug[i] ? `  ; ${p.debug[i]}` : ''}`),
      ];
      const text = `${lines.join('\n')}\n`;
      const file = join(DIR, name, 'expected.lst');
      if (process.env.LSTMC_UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, text);
      expect(text).toBe(readFileSync(file, 'utf8'));
    });
  }
});
