import { join } from 'node:path';
import { fail } from '@lstmc/ir';
import type { LxbProgram, SimInput } from '@lstmc/backend-accel';
import { readDataSetInputs, skippedNote } from './data-set.js';

/**
 * The simulator's inputs from a test data folder (input_N.pb), matched to the
 * binary's graph inputs as data-set.ts matches them; `note` gets the line for
 * files that name no input of the binary.
 */
export function readSimInputs(program: LxbProgram, dataDir: string, cwd: string, note: (s: string) => void): Map<string, SimInput> {
  const ds = readDataSetInputs(dataDir, program.io.graphInputs, cwd);
  note(skippedNote(ds.skipped));
  const inputs = new Map<string, SimInput>();
  program.io.graphInputs.forEach((name, i) => {
    const f = ds.byInput.get(name);
    if (!f) fail('E-SIM-INPUT', `input '${name}' needs ${join(dataDir, `input_${i}.pb`)}`, { file: join(dataDir, `input_${i}.pb`), field: name });
    inputs.set(name, { dims: f.tensor.shape, data: Array.from(f.tensor.data as ArrayLike<number | bigint>, Number) });
  });
  return inputs;
}
