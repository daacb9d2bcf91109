/**
 * Reproducers: when a pass fails, the pipeline from the failing step on and
 * the IR it received, in one text file the textual-IR parser reads (the
 * header lines are `//` comments).
 */
import type { Pipeline } from './pipeline/index.js';
import { printStep } from './pipeline/index.js';

export const REPRODUCER_PIPELINE_PREFIX = '// lstmc-reproducer pipeline: ';

export interface ReproducerInput {
  readonly pipeline: Pipeline;
  /** Index of the failing step. */
  readonly failedStep: number;
  /** Textual IR of the graph the failing step received. */
  readonly irText: string;
  readonly error: string;
}

export function makeReproducer(r: ReproducerInput): string {
  const rest = r.pipeline.steps.slice(r.failedStep).map((s) => printStep(s)).join(',');
  const lines = [
    `// lstmc reproducer: step #${r.failedStep + 1} (${r.pipeline.steps[r.failedStep]?.pass.name}) failed`,
    ...r.error.split('\n').map((l) => `// ${l}`),
    `${REPRODUCER_PIPELINE_PREFIX}${rest}`,
    `// run again: lstmc compile THIS_FILE --pipeline '${rest}'`,
    '',
  ];
  return `${lines.join('\n')}${r.irText.endsWith('\n') ? r.irText : `${r.irText}\n`}`;
}

/** The pipeline text recorded in a reproducer, if the text is one. */
export function reproducerPipeline(text: string): string | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(REPRODUCER_PIPELINE_PREFIX)) return line.slice(REPRODUCER_PIPELINE_PREFIX.length).trim();
    if (!line.startsWith('//')) break;
  }
  return undefined;
}
