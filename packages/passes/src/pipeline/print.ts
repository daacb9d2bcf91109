/** Canonical pipeline text: `pass{opt=v,...}` joined by `,`, options in declaration order. */
import { formatOptionValue } from '../options.js';
import type { Pipeline, PipelineStep } from './resolve.js';

export interface PrintPipelineOptions {
  /** Print every option, not only those set explicitly. */
  readonly withDefaults?: boolean;
}

export function printStep(step: PipelineStep, o: PrintPipelineOptions = {}): string {
  const names = o.withDefaults ? Object.keys(step.pass.options) : step.explicit;
  if (names.length === 0) return step.pass.name;
  const opts = names.map((n) => `${n}=${formatOptionValue(step.pass.options[n], step.options[n])}`);
  return `${step.pass.name}{${opts.join(',')}}`;
}

export function printPipeline(p: Pipeline, o: PrintPipelineOptions = {}): string {
  return p.steps.map((s) => printStep(s, o)).join(',');
}
