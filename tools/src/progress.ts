/**
 * Progress lines of a long command on stderr: nothing during its first second (a quick compile
 * prints nothing), then the current stage, item and percentage, one line when the stage changes and
 * at most one every PROGRESS_INTERVAL_MS otherwise. stdout (and so --json output) never sees them;
 * --quiet turns them off.
 */
import type { ProgressEvent, ProgressSink } from '@lstmc/passes';
import type { Io, OptionSpec } from './command.js';

export const PROGRESS_AFTER_MS = 1000;
export const PROGRESS_INTERVAL_MS = 500;

export const QUIET_OPTION = {
  quiet: { type: 'boolean', short: 'q', help: `no progress lines on stderr (printed once a compile takes over ${PROGRESS_AFTER_MS / 1000} s)` },
} as const satisfies Record<string, OptionSpec>;

/** One progress line: `lstmc: prune lstm0.R (3/8, 38%) 2.4 s`. */
export function formatProgress(ev: ProgressEvent, elapsedMs: number): string {
  const of = ev.total > 0 ? ` (${ev.done}/${ev.total}, ${Math.floor((100 * ev.done) / ev.total)}%)` : '';
  return `lstmc: ${ev.stage}${ev.item ? ` ${ev.item}` : ''}${of} ${(elapsedMs / 1000).toFixed(1)} s\n`;
}

/** A sink printing throttled progress lines with `write`; `now` is a millisecond clock (injectable for tests). */
export function progressPrinter(write: (s: string) => void, now: () => number = () => performance.now()): ProgressSink {
  const start = now();
  let lastAt = Number.NEGATIVE_INFINITY;
  let lastStage = '';
  return (ev) => {
    const t = now();
    if (t - start < PROGRESS_AFTER_MS) return;
    if (ev.stage === lastStage && t - lastAt < PROGRESS_INTERVAL_MS) return;
    lastAt = t;
    lastStage = ev.stage;
    write(formatProgress(ev, t - start));
  };
}

/** The progress sink of a command: the printer on stderr when the Io allows progress, nothing with --quiet. */
export function progressOf(quiet: boolean, io: Io): ProgressSink {
  return quiet || !io.progress ? () => {} : progressPrinter(io.stderr);
}
