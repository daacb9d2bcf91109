import type { Command } from '../command.js';
import { inspect } from './inspect.js';
import { ir } from './ir.js';

/** Every lstmc command, in the order `lstmc --help` lists them. */
export const COMMANDS = {
  inspect,
  ir,
} as const satisfies Record<string, Command>;
