/** One `lstmc` sub-command, declared as data: its options, arguments and run function. */
export interface OptionSpec {
  readonly type: 'boolean' | 'string';
  /** May be given several times (values collected in order). */
  readonly multiple?: boolean;
  readonly short?: string;
  /** Placeholder shown in help, e.g. FILE. */
  readonly value?: string;
  readonly help: string;
}

export interface Io {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly cwd: string;
  /**
   * Long commands may print progress lines on stderr (progress.ts): the `lstmc` binary says yes;
   * in-process callers (tests, embedders) get none unless they ask, so their stderr stays theirs.
   */
  readonly progress?: boolean;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, string | boolean | string[] | undefined>>;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Positional arguments, e.g. ['MODEL']; a trailing '?' marks an optional one. */
  readonly args: readonly string[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Extra help text after the option list. */
  readonly details?: string;
  /** Returns the exit code (0 success). User errors are thrown as DiagnosticError. */
  run(args: ParsedArgs, io: Io): Promise<number> | number;
}

/** Usage errors (bad flags, missing arguments): exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function stringOpt(args: ParsedArgs, name: string): string | undefined {
  const v = args.options[name];
  return typeof v === 'string' ? v : undefined;
}

export function listOpt(args: ParsedArgs, name: string): string[] {
  const v = args.options[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options[name] === true;
}
