/**
 * Progress of a long compile: which stage (a pass, or a compiler phase around the pipeline) is at
 * which item (a matrix, a layer) of how many. Passes report through `PassContext.progress`; the
 * pass manager forwards to `RunOptions.progress` with the pass name as the stage. What is shown,
 * when and how often is the receiver's business (the CLI prints a throttled line on stderr once a
 * compile has taken a second).
 */
export interface ProgressEvent {
  /** Pass name, or a phase such as 'import' or 'codegen'. */
  readonly stage: string;
  /** What the stage is working on now (a matrix or layer label); '' at the start of the stage. */
  readonly item: string;
  /** Items finished before this one, and the stage's item count (0 when not known). */
  readonly done: number;
  readonly total: number;
}

export type ProgressSink = (ev: ProgressEvent) => void;
