import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { fail } from '@lstmc/ir';
import { assemble } from '@lstmc/backend-accel';
import type { Command } from '../command.js';
import { stringOpt } from '../command.js';

export const asm: Command = {
  name: 'asm',
  summary: 'assemble accelerator assembly (the `lstmc dump` text form) into an .lxb binary',
  args: ['SOURCE'],
  options: { output: { type: 'string', short: 'o', value: 'FILE', help: 'output binary (default: SOURCE with .lxb, in the current directory)' } },
  run(args, io) {
    const file = args.positionals[0];
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, file), 'utf8');
    } catch (e) {
      return fail('E-IO-READ', `cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { file });
    }
    const bytes = assemble(text, file);
    const out = stringOpt(args, 'output') ?? `${basename(file, extname(file))}.lxb`;
    writeFileSync(resolve(io.cwd, out), bytes);
    io.stdout(`wrote ${out} (${bytes.length} bytes)\n`);
    return 0;
  },
};
