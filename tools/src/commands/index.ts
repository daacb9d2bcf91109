import type { Command } from '../command.js';
import { inspect } from './inspect.js';
import { ir } from './ir.js';
import { compile } from './compile.js';
import { run } from './run.js';
import { prune } from './prune.js';
import { dump } from './dump.js';
import { asm } from './asm.js';
import { sim } from './sim.js';
import { passes } from './passes.js';
import { report } from './report.js';
import { runtimeEntry } from './runtime-entry.js';

/** Every lstmc command, in the order `lstmc --help` lists them. */
export const COMMANDS = {
  inspect,
  ir,
  compile,
  run,
  prune,
  dump,
  asm,
  sim,
  passes,
  report,
  'runtime-entry': runtimeEntry,
} as const satisfies Record<string, Command>;
