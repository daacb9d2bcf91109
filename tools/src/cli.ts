import { parseArgs } from 'node:util';
import { closestName, formatDiagnostic, isDiagnosticError, type Diagnostic } from '@lstmc/ir';
import type { Command, Io, OptionSpec, ParsedArgs } from './command.js';
import { UsageError } from './command.js';
import { COMMANDS } from './commands/index.js';

export const EXIT = { ok: 0, userError: 1, usage: 2, internal: 3 } as const;

function commandHelp(c: Command): string {
  const lines = [`usage: lstmc ${c.name} ${c.args.map((a) => (a.endsWith('?') ? `[${a.slice(0, -1)}]` : a)).join(' ')} [options]`.trimEnd(), '', c.summary, ''];
  const help: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help' };
  const opts = Object.entries({ ...c.options, help });
  if (opts.length) lines.push('options:');
  for (const [name, o] of opts) {
    const head = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    lines.push(`  ${head.padEnd(34)} ${o.help}${o.multiple ? ' (repeatable)' : ''}`);
  }
  if (c.details) lines.push('', c.details.trimEnd());
  return lines.join('\n') + '\n';
}

export function mainHelp(): string {
  const lines = ['usage: lstmc COMMAND [options]', '', 'Compile pruned LSTM networks from ONNX for a sparse LSTM accelerator or the lstmc JS runtime.', '', 'commands:'];
  for (const c of Object.values(COMMANDS)) lines.push(`  ${c.name.padEnd(10)} ${c.summary}`);
  lines.push('', "Run 'lstmc COMMAND --help' for a command's options.");
  return lines.join('\n') + '\n';
}

/** Errors raised by the dependency-free runtime carry the same fields as a Diagnostic. */
function asDiagnostic(e: unknown): Diagnostic | undefined {
  if (isDiagnosticError(e)) return e.diagnostic;
  if (e instanceof Error && e.name === 'RuntimeError' && typeof (e as { code?: unknown }).code === 'string') {
    const r = e as Error & { code: string; file?: string; offset?: number; field?: string; node?: string; detail?: string };
    return {
      severity: 'error',
      code: r.code,
      message: r.detail ?? r.message,
      loc: { file: r.file, offset: r.offset, field: r.field, node: r.node },
    };
  }
  return undefined;
}

/** A usage error as one diagnostic line, pointing at the help (exit code 2). */
function usageLine(code: string, message: string, help: string): string {
  return `${formatDiagnostic({ severity: 'error', code, message: `${message}; see '${help}'`, loc: {} })}\n`;
}

/** parseArgs' errors, reworded as one line with the project's codes (unknown flags get a "did you mean"). */
function argvError(cmd: Command, e: unknown): string | undefined {
  const code = (e as { code?: unknown }).code;
  const msg = e instanceof Error ? e.message : String(e);
  const help = `lstmc ${cmd.name} --help`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const given = /^Unknown option '([^']+)'/.exec(msg)?.[1] ?? msg;
    const names = ['help', ...Object.keys(cmd.options)];
    const hint = given.startsWith('--') ? closestName(given.slice(2).split('=')[0]!, names) : undefined;
    return usageLine('E-CLI-UNKNOWN-FLAG', `lstmc ${cmd.name} has no option '${given}'${hint ? ` (did you mean '--${hint}'?)` : ''}`, help);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flagName = /Option '(?:-\w, )?(--[\w-]+)/.exec(msg)?.[1];
    const o = flagName ? cmd.options[flagName.slice(2)] : undefined;
    const what = o?.type === 'boolean' ? 'takes no value' : `needs a value${o?.value ? ` (${o.value})` : ''}`;
    return usageLine('E-CLI-FLAG-VALUE', flagName ? `option '${flagName}' ${what}` : msg, help);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return usageLine('E-CLI-USAGE', msg, help);
  return undefined;
}

/** Run the CLI; returns the exit code. Never throws for user or usage errors. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version') {
    io.stdout('lstmc 0.1.0\n');
    return EXIT.ok;
  }
  const cmd = Object.values(COMMANDS).find((c) => c.name === name);
  if (!cmd) {
    const hint = closestName(name, Object.keys(COMMANDS));
    io.stderr(usageLine('E-CLI-UNKNOWN-COMMAND', `no command '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`, 'lstmc --help'));
    return EXIT.usage;
  }
  let args: ParsedArgs;
  try {
    const spec: Record<string, { type: 'boolean' | 'string'; multiple?: boolean; short?: string }> = { help: { type: 'boolean', short: 'h' } };
    for (const [k, o] of Object.entries(cmd.options)) spec[k] = { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) };
    const parsed = parseArgs({ args: [...rest], options: spec, allowPositionals: true, strict: true });
    if (parsed.values.help) {
      io.stdout(commandHelp(cmd));
      return EXIT.ok;
    }
    const required = cmd.args.filter((a) => !a.endsWith('?') && !a.endsWith('...?'));
    if (parsed.positionals.length < required.length) throw new UsageError(`missing argument ${required[parsed.positionals.length]}`);
    const variadic = cmd.args.some((a) => a.includes('...'));
    if (!variadic && parsed.positionals.length > cmd.args.length) throw new UsageError(`unexpected argument '${parsed.positionals[cmd.args.length]}'`);
    args = { positionals: parsed.positionals, options: parsed.values as ParsedArgs['options'] };
  } catch (e) {
    const line = argvError(cmd, e);
    if (line === undefined && !(e instanceof UsageError)) throw e;
    io.stderr(line ?? usageLine('E-CLI-USAGE', `lstmc ${cmd.name}: ${(e as Error).message}`, `lstmc ${cmd.name} --help`));
    return EXIT.usage;
  }
  try {
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(usageLine('E-CLI-USAGE', `lstmc ${cmd.name}: ${e.message}`, `lstmc ${cmd.name} --help`));
      return EXIT.usage;
    }
    const d = asDiagnostic(e);
    if (d) {
      io.stderr(formatDiagnostic(d) + '\n');
      return EXIT.userError;
    }
    const err = e as { code?: string; path?: string; message?: string };
    if (err && typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code) && err.path) {
      // File-system errors on user-named paths are user errors.
      io.stderr(formatDiagnostic({ severity: 'error', code: 'E-IO', message: err.message ?? String(e), loc: { file: err.path } }) + '\n');
      return EXIT.userError;
    }
    io.stderr(`lstmc ${cmd.name}: internal error (a bug in lstmc, please report it):\n${e instanceof Error ? e.stack : String(e)}\n`);
    return EXIT.internal;
  }
}
