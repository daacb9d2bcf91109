import type { Command } from '../command.js';
import { stringOpt } from '../command.js';
import { printGraph } from '@lstmc/ir';
import { LOAD_FLAG_OPTIONS, loadFlags, loadModel } from '../load-model.js';
import { UsageError } from '../command.js';

export const ir: Command = {
  name: 'ir',
  summary: 'print the textual IR of an ONNX model',
  args: ['MODEL'],
  options: {
    ...LOAD_FLAG_OPTIONS,
    'elide-above': { type: 'string', value: 'N', help: 'print initializers with more than N elements by reference (default 64; -1 prints every initializer inline)' },
  },
  run(args, io) {
    const e = stringOpt(args, 'elide-above');
    const n = e === undefined ? undefined : Number(e);
    if (n !== undefined && !Number.isInteger(n)) throw new UsageError(`--elide-above wants an integer, got '${e}'`);
    const g = loadModel(args.positionals[0], io.cwd, loadFlags(args));
    io.stdout(printGraph(g, n === undefined ? {} : { elideAbove: n < 0 ? Infinity : n }));
    return 0;
  },
};
