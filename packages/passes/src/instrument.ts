/**
 * Standard instrumentations: IR dumps around passes and the pass-timing
 * table. Dumps start with a fixed header line tests and grep rely on:
 *   // -----// IR Dump After prune (#2) //----- //
 */
import type { Graph } from '@lstmc/ir';
import type { Instrumentation, PassResult, StepEvent } from './manager.js';

export interface PrintIrOptions {
  /** Pass names to dump the IR before. */
  readonly before?: readonly string[];
  /** Pass names to dump the IR after. */
  readonly after?: readonly string[];
  readonly afterAll?: boolean;
  /** Dump after a pass only when it changed the graph. */
  readonly afterChange?: boolean;
  /** IR printer (the textual IR of @lstmc/ir). */
  readonly print: (g: Graph) => string;
  /** Sink for dump text (stderr in the CLI). */
  readonly write: (text: string) => void;
}

export function dumpHeader(when: 'Before' | 'After', ev: StepEvent): string {
  return `// -----// IR Dump ${when} ${ev.step.pass.name} (#${ev.index + 1}) //----- //`;
}

export function printIrInstrumentation(o: PrintIrOptions): Instrumentation {
  const before = new Set(o.before ?? []);
  const after = new Set(o.after ?? []);
  return {
    beforePass(ev, g) {
      if (before.has(ev.step.pass.name)) o.write(`${dumpHeader('Before', ev)}\n${o.print(g)}\n`);
    },
    afterPass(ev, g, r) {
      const name = ev.step.pass.name;
      const want = o.afterAll || after.has(name) || (o.afterChange && r.changed);
      if (want) o.write(`${dumpHeader('After', ev)}\n${o.print(g)}\n`);
    },
  };
}

/** The --pass-timing table: one row per step with wall time, change flag and counters. */
export function formatPassTiming(results: readonly PassResult[]): string {
  const rows = results.map((r, i) => {
    const counters = Object.entries(r.counters)
      .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(4)}`)
      .join(' ');
    return [`#${i + 1}`, r.plugin ? `${r.pass} [${r.plugin}]` : r.pass, r.ms.toFixed(2), r.changed ? 'yes' : 'no', counters];
  });
  const total = results.reduce((s, r) => s + r.ms, 0);
  const head = ['step', 'pass', 'ms', 'changed', 'counters'];
  const all = [head, ...rows, ['', 'total', total.toFixed(2), '', '']];
  const widths = head.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return ['=== pass timing ===', ...all.map(line)].join('\n');
}

/** Plain-text rendering of a pass report table (the CLI prints these). */
export function formatReportTable(t: { title: string; columns: readonly string[]; rows: readonly (readonly (string | number)[])[] }): string {
  const cell = (v: string | number) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : v);
  const all = [t.columns.map(String), ...t.rows.map((r) => r.map(cell))];
  const widths = t.columns.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  return [`=== ${t.title} ===`, ...all.map((r) => r.map((v, c) => v.padEnd(widths[c])).join('  ').trimEnd())].join('\n');
}
