import type { Attr } from './attr.js';
import type { Node } from './graph.js';
import type { AttrSpec, OpDef } from './op-def.js';
import { fail, type Location } from './diagnostic.js';

/** Attribute names with this prefix are pass annotations, ignored by op schemas and not exported to ONNX. */
export const ANNOTATION_PREFIX = 'lstmc.';

export type ParsedAttrs = Readonly<Record<string, Attr['value'] | undefined>>;

/**
 * Parse a node's attributes against its op's declared schema: check kinds,
 * required attributes, ranges and allowed values; apply defaults. Unknown
 * attributes are errors (ONNX's checker agrees).
 */
export function parseAttrs(node: Node, def: OpDef, loc: Location = {}): ParsedAttrs {
  const out: Record<string, Attr['value'] | undefined> = {};
  const at = (field: string): Location => ({ ...loc, node: node.name, field });
  for (const name of Object.keys(node.attrs))
    // `lstmc.*` attributes are compiler annotations written by passes (docs/passes.md), not op attributes.
    if (!name.startsWith(ANNOTATION_PREFIX) && !Object.prototype.hasOwnProperty.call(def.attrs, name))
      fail('E-IR-ATTR-UNKNOWN', `${node.op} has no attribute '${name}' (known: ${Object.keys(def.attrs).join(', ') || 'none'})`, at(name));
  for (const [name, spec] of Object.entries(def.attrs) as [string, AttrSpec][]) {
    const a = node.attrs[name];
    if (a === undefined) {
      if (spec.required) fail('E-IR-ATTR-MISSING', `${node.op} needs attribute '${name}'`, at(name));
      out[name] = spec.default as Attr['value'] | undefined;
      continue;
    }
    // ONNX producers sometimes write an int where a float is declared.
    const kindOk = a.kind === spec.kind || (spec.kind === 'float' && a.kind === 'int') || (spec.kind === 'floats' && a.kind === 'ints');
    if (!kindOk) fail('E-IR-ATTR-KIND', `${node.op} attribute '${name}' must be ${spec.kind}, got ${a.kind}`, at(name));
    const v = a.value;
    const nums = typeof v === 'number' ? [v] : Array.isArray(v) && typeof v[0] === 'number' ? (v as number[]) : [];
    for (const x of nums) {
      if (!Number.isFinite(x) && spec.kind.startsWith('int')) fail('E-IR-ATTR-VALUE', `${node.op} attribute '${name}' is not finite`, at(name));
      if ((spec.min !== undefined && x < spec.min) || (spec.max !== undefined && x > spec.max))
        fail('E-IR-ATTR-VALUE', `${node.op} attribute '${name}'=${x} is outside [${spec.min ?? '-inf'}, ${spec.max ?? 'inf'}]`, at(name));
    }
    if (spec.oneOf) {
      const strs = typeof v === 'string' ? [v] : (v as readonly string[]);
      for (const s of strs)
        if (!spec.oneOf.includes(s))
          fail('E-IR-ATTR-VALUE', `${node.op} attribute '${name}'='${s}' is not one of ${spec.oneOf.join(', ')}`, at(name));
    }
    out[name] = v;
  }
  return out;
}
