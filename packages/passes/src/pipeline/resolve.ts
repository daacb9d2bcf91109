/**
 * Resolution of a parsed pipeline against a registry: pass names, option
 * names and values are checked and typed; requirements are checked in order.
 * Every problem is a diagnostic at line:column of the pipeline text.
 */
import { closestName, fail } from '@lstmc/ir';
import { type OptionValue, parseOptionValue } from '../options.js';
import { type AnyPass, establishedBy, requirementsOf } from '../pass.js';
import type { OptionSchema, OptionValues } from '../options.js';
import type { Registry } from '../registry.js';
import type { PipelineAst, SourcePos } from './ast.js';
import { PIPELINE_FILE, parsePipelineText } from './parser.js';
import { PROPERTY_PROVIDERS } from '../properties.js';

export interface PipelineStep {
  readonly pass: AnyPass;
  /** All options, defaults applied. */
  readonly options: OptionValues<OptionSchema>;
  /** Option names the text set explicitly (printed canonically). */
  readonly explicit: readonly string[];
  readonly pos?: SourcePos;
}

export interface Pipeline {
  readonly steps: readonly PipelineStep[];
}

function at(p: SourcePos | undefined, field?: string) {
  return { file: PIPELINE_FILE, ...(p ? { line: p.line, column: p.column } : {}), ...(field ? { field } : {}) };
}

export function resolvePipeline(ast: PipelineAst, reg: Registry): Pipeline {
  const steps: PipelineStep[] = [];
  for (const ref of ast.passes) {
    const entry = reg.passes.get(ref.name);
    if (!entry) {
      const hint = closestName(ref.name, reg.passes.keys());
      fail('E-PIPE-UNKNOWN-PASS', `unknown pass '${ref.name}'${hint ? ` (did you mean '${hint}'?)` : ''}`, at(ref.pos, ref.name));
    }
    const pass = entry.pass;
    const options: Record<string, OptionValue> = {};
    for (const [k, s] of Object.entries(pass.options)) options[k] = s.default;
    const explicit: string[] = [];
    for (const o of ref.options) {
      const spec = pass.options[o.name];
      if (!spec) {
        const hint = closestName(o.name, Object.keys(pass.options));
        fail(
          'E-PIPE-UNKNOWN-OPTION',
          `pass '${ref.name}' has no option '${o.name}'${hint ? ` (did you mean '${hint}'?)` : ''}`,
          at(o.pos, o.name),
        );
      }
      if (explicit.includes(o.name)) fail('E-PIPE-DUPLICATE-OPTION', `option '${o.name}' given twice`, at(o.pos, o.name));
      const parsed = parseOptionValue(spec, o.value);
      if (!parsed.ok) fail('E-PIPE-BAD-VALUE', `${ref.name}{${o.name}=${o.value}}: ${parsed.reason}`, at(o.valuePos, o.name));
      options[o.name] = parsed.value;
      explicit.push(o.name);
    }
    const order = Object.keys(pass.options);
    explicit.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    steps.push(Object.freeze({ pass, options: Object.freeze(options), explicit: Object.freeze(explicit), pos: ref.pos }));
  }
  return Object.freeze({ steps: Object.freeze(steps) });
}

/** Parse and resolve in one go. */
export function parsePipeline(text: string, reg: Registry): Pipeline {
  return resolvePipeline(parsePipelineText(text), reg);
}

/**
 * Walk the pipeline with the properties the input graph has; the first pass
 * whose requirement is unmet is reported at its position. Returns the
 * properties that hold at the end.
 */
export function checkRequirements(p: Pipeline, initial: ReadonlySet<string>): Set<string> {
  const have = new Set(initial);
  for (const step of p.steps) {
    const req = requirementsOf(step.pass, step.options);
    const missing = req.filter((r) => !have.has(r));
    if (missing.length > 0) {
      const providers = missing
        .map((m) => (m in PROPERTY_PROVIDERS ? `'${m}' (established by ${PROPERTY_PROVIDERS[m as keyof typeof PROPERTY_PROVIDERS]})` : `'${m}'`))
        .join(', ');
      fail(
        'E-PIPE-REQUIREMENT',
        `pass '${step.pass.name}' requires ${providers}, which no earlier pass establishes (or a pass in between invalidates)`,
        at(step.pos, step.pass.name),
      );
    }
    applyEffects(have, step);
  }
  return have;
}

/** Update a property set with a step's invalidations then establishments. */
export function applyEffects(have: Set<string>, step: PipelineStep): void {
  for (const i of step.pass.invalidates) have.delete(i);
  for (const e of establishedBy(step.pass, step.options)) have.add(e);
}
