/**
 * The pass reference (docs/passes-reference.md), generated from the
 * registry so it cannot drift from the declarations. Regenerate with
 * LSTMC_UPDATE_GOLDEN=1 npx vitest run test/docs.test.ts (in packages/passes).
 */
import { formatOptionValue } from './options.js';
import { BUILTIN_PROPERTIES } from './properties.js';
import { PRESETS } from './presets.js';
import type { Registry } from './registry.js';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function passReferenceMarkdown(reg: Registry): string {
  const out: string[] = [
    '<!-- Generated from the pass registry by packages/passes/src/describe.ts; do not edit. -->',
    '# Pass reference',
    '',
    '| pass | summary |',
    '|---|---|',
  ];
  for (const [name, { pass }] of reg.passes) out.push(`| [\`${name}\`](#${name}) | ${cell(pass.summary)} |`);
  out.push('', '## Presets', '', '| `-O` | pipeline |', '|---|---|');
  for (const [k, v] of Object.entries(PRESETS)) out.push(`| \`${k}\` | \`${v || '(none)'}\` |`);
  out.push('', '## Properties', '', '| property | held by |', '|---|---|');
  for (const [k, v] of Object.entries(BUILTIN_PROPERTIES)) out.push(`| \`${k}\` | ${cell(v)} |`);
  for (const [name, { pass, plugin }] of reg.passes) {
    out.push('', `## ${name}`, '', `${pass.summary}${plugin ? ` (plugin ${plugin})` : ''}.`, '');
    const list = (xs: readonly string[]) => (xs.length ? xs.map((x) => `\`${x}\``).join(', ') : '-');
    out.push(`- requires: ${list(pass.requires)}${pass.requiresWhen ? ' (plus option-dependent ones, see docs/passes.md)' : ''}`);
    out.push(`- establishes: ${list(pass.establishes)}${pass.establishesWhen ? ' (plus option-dependent ones)' : ''}`);
    out.push(`- invalidates: ${list(pass.invalidates)}`, '');
    const opts = Object.entries(pass.options);
    if (opts.length) {
      out.push('| option | type | default | range | meaning |', '|---|---|---|---|---|');
      for (const [k, s] of opts) {
        const type = s.kind === 'enum' ? s.values.join(' \\| ') : s.kind;
        const range = 'min' in s || 'max' in s ? `[${(s as { min?: number }).min ?? '-inf'}, ${(s as { max?: number }).max ?? 'inf'}]` : '';
        out.push(`| \`${k}\` | ${type} | \`${formatOptionValue(s, s.default)}\` | ${range} | ${cell(s.doc)} |`);
      }
      out.push('');
    }
    const counters = Object.entries(pass.counters as Record<string, string>);
    if (counters.length) {
      out.push('| counter | meaning |', '|---|---|');
      for (const [k, v] of counters) out.push(`| \`${k}\` | ${cell(v)} |`);
    }
  }
  return `${out.join('\n')}\n`;
}
