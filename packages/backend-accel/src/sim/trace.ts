/** Chrome trace-event format (https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU). */
export interface TraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: 'X';
  /** Microseconds. */
  readonly ts: number;
  readonly dur: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: Record<string, unknown>;
}

export interface TraceSink {
  readonly events: TraceEvent[];
  readonly limit: number;
  dropped: number;
}

export function traceSink(limit = 200_000): TraceSink {
  return { events: [], limit, dropped: 0 };
}

export const TRACE_LANES = { ctrl: 1, dma: 2, pe: 3, vec: 4 } as const satisfies Record<string, number>;

export function traceJson(sink: TraceSink, clockMHz: number): string {
  const meta = Object.entries(TRACE_LANES).map(([name, tid]) => ({ name: 'thread_name', ph: 'M', pid: 1, tid, args: { name } }));
  return JSON.stringify({
    traceEvents: [...meta, ...sink.events],
    displayTimeUnit: 'ns',
    otherData: { clockMHz, droppedEvents: sink.dropped },
  });
}
