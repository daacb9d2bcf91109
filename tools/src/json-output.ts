/**
 * `--json` of the commands that print results: the result object as one
 * JSON document on stdout instead of the text lines. The schemas are in
 * docs/cli-json.md; diagnostics stay one line on stderr, exit codes do not change.
 */
import type { Io, OptionSpec, ParsedArgs } from './command.js';
import { flag } from './command.js';

export const JSON_OPTION = {
  json: { type: 'boolean', help: 'print the result as one JSON document (schema: docs/cli-json.md)' },
} as const satisfies Record<string, OptionSpec>;

export function wantsJson(args: ParsedArgs): boolean {
  return flag(args, 'json');
}

/** Prints `result` as JSON with --json, else the text lines `text` makes (each ends with a newline). */
export function printResult(args: ParsedArgs, io: Io, result: unknown, text: () => readonly string[]): void {
  if (wantsJson(args)) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else for (const line of text()) io.stdout(`${line}\n`);
}
