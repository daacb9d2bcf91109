import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fail } from '@lstmc/ir';
import type { Command } from '../command.js';
import { flag, stringOpt } from '../command.js';
import { JSON_OPTION, printResult, wantsJson } from '../json-output.js';
import { addGraphKernels, runtimeEntrySource } from '../runtime-entry.js';
import { hasRuntimeGraphMagic, withFile } from '../runtime-graph-file.js';

function readGraph(path: string, cwd: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(resolve(cwd, path));
  } catch (e) {
    return fail('E-IO-READ', `cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { file: path });
  }
  if (!hasRuntimeGraphMagic(bytes))
    fail('E-RT-MAGIC', `not an lstmc runtime graph (.lrg); compile the model first: lstmc compile MODEL -O js -o model.lrg`, { file: path, offset: 0 });
  return bytes;
}

export const runtimeEntry: Command = {
  name: 'runtime-entry',
  summary: 'write an ES module that is @lstmc/runtime with only the kernels of the given runtime graphs (.lrg): a smaller browser bundle',
  args: ['GRAPH', 'GRAPH...?'],
  options: {
    output: { type: 'string', short: 'o', value: 'FILE', help: 'the module to write (.js, .mjs or .ts; default: print it)' },
    threads: { type: 'boolean', help: "link the worker threads of the `threads` load option (default: models run on one thread)" },
    ...JSON_OPTION,
  },
  details: [
    'The module exports `runtime` and its loadModel, createModel and readRuntimeGraph: import those from it',
    'instead of @lstmc/runtime. Bundled and minified, the runtime of one pruned LSTM model is about half',
    'the size of the whole runtime (README, "Embedding the runtime").',
  ].join('\n'),
  run(args, io) {
    const files = args.positionals;
    const names = new Set<string>();
    for (const file of files) {
      const bytes = readGraph(file, io.cwd);
      withFile({ file }, () => addGraphKernels(bytes, names));
    }
    const kernels = [...names].sort();
    const threads = flag(args, 'threads');
    const source = runtimeEntrySource(kernels, { threads, origin: `The kernels of ${files.join(', ')}.` });
    const out = stringOpt(args, 'output');
    if (out === undefined && !wantsJson(args)) {
      io.stdout(source);
      return 0;
    }
    if (out !== undefined) writeFileSync(resolve(io.cwd, out), source);
    printResult(args, io, { output: out ?? null, kernels, threads, ...(out === undefined ? { source } : {}) }, () => [`wrote ${out} (${kernels.length} kernels: ${kernels.join(', ')}${threads ? '; threads' : ''})`]);
    return 0;
  },
};
