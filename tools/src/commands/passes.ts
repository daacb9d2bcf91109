import { fail } from '@lstmc/ir';
import { PRESETS, type Registry, builtinRegistry, describeOption, loadPlugin } from '@lstmc/passes';
import type { Command } from '../command.js';
import { listOpt } from '../command.js';
import { JSON_OPTION, printResult } from '../json-output.js';

/** `lstmc passes`: the registered passes (built-in and plugins) with their options, and the presets. */
export const passes: Command = {
  name: 'passes',
  summary: 'list the passes (built-in and --plugin ones) with their options, and the -O presets',
  args: ['PASS?'],
  options: {
    plugin: { type: 'string', multiple: true, value: 'MODULE', help: 'also list the passes of this plugin' },
    ...JSON_OPTION,
  },
  details: 'Pipeline syntax and the IR each pass records: docs/passes.md.',
  async run(args, io) {
    let reg: Registry = builtinRegistry();
    for (const p of listOpt(args, 'plugin')) reg = await loadPlugin(p, reg, { cwd: io.cwd });
    const only = args.positionals[0];
    const listed = [...reg.passes].filter(([name]) => only === undefined || name === only);
    if (only !== undefined && listed.length === 0) fail('E-PIPE-UNKNOWN-PASS', `no pass '${only}' (known: ${[...reg.passes.keys()].join(', ')})`, { field: only });
    const result = {
      passes: listed.map(([name, { pass, plugin }]) => ({
        name,
        ...(plugin ? { plugin } : {}),
        summary: pass.summary,
        options: Object.entries(pass.options).map(([k, spec]) => ({ name: k, ...spec })),
        requires: pass.requires,
        establishes: pass.establishes,
        invalidates: pass.invalidates,
        counters: pass.counters,
      })),
      ...(only === undefined ? { presets: PRESETS } : {}),
    };
    printResult(args, io, result, () => {
      const lines: string[] = [];
      for (const [name, { pass, plugin }] of listed) {
        lines.push(`${name}${plugin ? ` [${plugin}]` : ''}: ${pass.summary}`);
        for (const [k, spec] of Object.entries(pass.options)) lines.push(`    ${describeOption(k, spec)}`);
        const rel = [
          ['requires', pass.requires],
          ['establishes', pass.establishes],
          ['invalidates', pass.invalidates],
        ] as const;
        for (const [what, props] of rel) if (props.length) lines.push(`    ${what}: ${props.join(', ')}`);
      }
      if (only === undefined) {
        lines.push('', 'presets (-O NAME):');
        for (const [k, v] of Object.entries(PRESETS)) lines.push(`    ${k.padEnd(6)} ${v || '(no passes)'}`);
      }
      return lines;
    });
    return 0;
  },
};
