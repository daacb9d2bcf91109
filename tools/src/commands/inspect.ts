import type { Command } from '../command.js';
import { flag } from '../command.js';
import { loadModelLenient } from '../load-model.js';
import { formatInspect, inspectGraph } from '../inspect-report.js';

export const inspect: Command = {
  name: 'inspect',
  summary: 'summarize an ONNX model: opset, inputs/outputs, op counts, each LSTM and its weight sparsity; ops lstmc lacks and values it cannot type, by name',
  args: ['MODEL'],
  options: { json: { type: 'boolean', help: 'print the report as JSON' } },
  run(args, io) {
    const file = args.positionals[0];
    const { graph, problems } = loadModelLenient(file, io.cwd);
    const report = inspectGraph(graph, problems);
    io.stdout(flag(args, 'json') ? JSON.stringify({ model: file, ...report }, null, 2) + '\n' : formatInspect(report, file));
    return 0;
  },
};
