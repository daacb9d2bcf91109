import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fail } from '@lstmc/ir';
import { listing, listingJson, readLxb } from '@lstmc/backend-accel';
import type { Command } from '../command.js';
import { flag } from '../command.js';

export function readBinary(file: string, cwd: string): Uint8Array {
  try {
    return readFileSync(resolve(cwd, file));
  } catch (e) {
    return fail('E-IO-READ', `cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { file });
  }
}

export const dump: Command = {
  name: 'dump',
  summary: 'show an accelerator binary (.lxb): header, sections, code as address/raw word/instruction/IR node',
  args: ['BINARY'],
  options: { json: { type: 'boolean', help: 'print the same facts as JSON' } },
  details: 'The text form is also the assembler input: `lstmc asm` turns it back into the same bytes.',
  run(args, io) {
    const file = args.positionals[0];
    const f = readLxb(readBinary(file, io.cwd), file);
    io.stdout(flag(args, 'json') ? `${JSON.stringify(listingJson(f), null, 2)}\n` : listing(f));
    return 0;
  },
};
