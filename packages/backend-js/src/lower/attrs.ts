import type { Attr, Location, Tensor } from '@lstmc/ir';
import type { RtAttr } from '@lstmc/runtime';
import { irToRtTensor } from './tensors.js';

/** Parsed IR attribute values (defaults applied) as runtime attributes; undefined values are left out. */
export function rtAttrsOf(parsed: Readonly<Record<string, Attr['value'] | undefined>>, kinds: Readonly<Record<string, RtAttr['type']>>, loc: Location): Record<string, RtAttr> {
  const out: Record<string, RtAttr> = {};
  for (const [name, type] of Object.entries(kinds)) {
    const v = parsed[name];
    if (v === undefined) continue;
    if (type === 'tensor') out[name] = { type, value: irToRtTensor(v as Tensor, { ...loc, field: name }) };
    else if (type === 'ints' || type === 'floats' || type === 'strings') out[name] = { type, value: [...(v as readonly (number | string)[])] } as RtAttr;
    else out[name] = { type, value: v } as RtAttr;
  }
  return out;
}
