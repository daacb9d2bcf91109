import { rtFail } from '../errors.js';
import type { RtAttr } from '../model.js';
import type { AttrSchema, AttrSpec, ParsedAttrs } from './kernel.js';

/**
 * Parses a node's attributes against a kernel's schema: unknown names, wrong types,
 * missing required attributes and values outside `oneOf` are E-RT-ATTR errors.
 */
export function parseAttrs<S extends AttrSchema>(schema: S, attrs: Readonly<Record<string, RtAttr>>, field: string): ParsedAttrs<S> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(attrs)) {
    const spec: AttrSpec | undefined = Object.hasOwn(schema, name) ? schema[name] : undefined;
    if (!spec) rtFail('E-RT-ATTR', `unknown attribute '${name}'`, { field: `${field}.${name}` });
    const a = attrs[name]!;
    if (a.type !== spec.type) rtFail('E-RT-ATTR', `attribute '${name}' must be of type ${spec.type}, got ${a.type}`, { field: `${field}.${name}` });
    if (spec.oneOf && a.type === 'string' && !spec.oneOf.includes(a.value)) {
      rtFail('E-RT-ATTR', `attribute '${name}' must be one of ${spec.oneOf.join(', ')}, got '${a.value}'`, { field: `${field}.${name}` });
    }
    out[name] = a.value;
  }
  for (const name of Object.keys(schema)) {
    if (name in out) continue;
    const spec = schema[name]!;
    if (spec.required) rtFail('E-RT-ATTR', `missing required attribute '${name}'`, { field: `${field}.${name}` });
    out[name] = spec.default;
  }
  return out as ParsedAttrs<S>;
}
