/**
 * An ONNX test data folder (input_N.pb, output_N.pb) matched to a model's inputs. The files are in
 * the graph-input order of the model they were made for; a model compiled with `--bind` has lost
 * the bound inputs, so when there are more files than inputs, every file names its tensor and every
 * model input is among the names, files are matched by name and those naming no input of the model
 * are skipped (and reported).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fail } from '@lstmc/ir';
import { readTensorFile, type NamedRtTensor } from '@lstmc/backend-js';

export interface DataSetInput extends NamedRtTensor {
  /** The file as the user named it (folder as given + input_N.pb). */
  readonly shown: string;
}

export interface DataSetInputs {
  /** By model input name; inputs with no file are absent. */
  readonly byInput: ReadonlyMap<string, DataSetInput>;
  /** Files whose tensor is no input of the model (an input bound at compile time). */
  readonly skipped: readonly DataSetInput[];
}

/** The input files of `dataDir` for a model with inputs `names` (in graph-input order). */
export function readDataSetInputs(dataDir: string, names: readonly string[], cwd: string): DataSetInputs {
  const dir = resolve(cwd, dataDir);
  if (!existsSync(dir)) fail('E-IO', `no such data folder '${dataDir}'`, { file: dataDir });
  const files: DataSetInput[] = [];
  for (let k = 0; existsSync(join(dir, `input_${k}.pb`)); k++) {
    const shown = join(dataDir, `input_${k}.pb`);
    files.push({ ...readTensorFile(join(dir, `input_${k}.pb`), shown), shown });
  }
  const byName =
    files.length > names.length &&
    files.every((f) => f.name) && new Set(files.map((f) => f.name)).size === files.length && names.every((n) => files.some((f) => f.name === n));
  if (byName) {
    return {
      byInput: new Map(names.map((n) => [n, files.find((f) => f.name === n)!])),
      skipped: files.filter((f) => !names.includes(f.name)),
    };
  }
  if (files.length > names.length)
    fail('E-RUN-INPUT-EXTRA', `'${dataDir}' has ${files.length} input files but the model has ${names.length} input(s) (${names.join(', ')})`, {
      file: files[names.length]!.shown,
    });
  const byInput = new Map<string, DataSetInput>();
  files.forEach((f, i) => {
    // A name that belongs to another input means the files are not in graph-input order.
    if (f.name && f.name !== names[i] && names.includes(f.name))
      fail('E-RUN-INPUT-ORDER', `'${f.shown}' holds '${f.name}', but input ${i} of the model is '${names[i]}'`, { file: f.shown, field: f.name });
    byInput.set(names[i]!, f);
  });
  return { byInput, skipped: [] };
}

/** The stderr line for skipped files. */
export function skippedNote(skipped: readonly DataSetInput[]): string {
  return skipped.map((f) => `note: '${f.shown}' holds '${f.name}', which is not an input of this model (bound at compile time?): not used\n`).join('');
}
