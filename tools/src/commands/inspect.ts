import type { Command } from '../command.js';
import { flag } from '../command.js';
import { loadModel } from '../load-model.js';
import { formatInspect, inspectGraph } from '../inspect-report.js';

export const inspect: Command = {
  name: 'inspect',
  summary: 'summarize an ONNX model: opset, inputs/outputs, op counts, each LSTM and its weight sparsity',
  args: ['MODEL'],
  options: { json: { type: 'boolean', help: 'print the report as JSON' } },
  run(args, io) {
    const file = args.positionals[0];
    const report = inspectGraph(loadModel(file, io.cwd));
    io.stdout(flag(args, 'json') ? JSON.stringify({ model: file, ...report }, null, 2) + '\n' : formatInspect(report, file));
    return 0;
  },
};
