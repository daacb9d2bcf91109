import { normalizeDomain } from './import-graph.js';
export { LOCAL_FUNCTIONS_KEY } from '../local-function-calls.js';

interface FunctionMsg {
  readonly name?: string;
  readonly domain?: string;
  readonly node?: readonly { readonly op_type?: string; readonly domain?: string }[];
}

const idOf = (domain: string | undefined, name: string | undefined) => `${normalizeDomain(domain ?? '')}.${name ?? ''}`;

/**
 * The model's local functions as `domain.name` -> recursive (the function calls itself, directly
 * or through other local functions). A node calling one stays opaque; diagnostics name the call
 * as such instead of "an op lstmc does not know".
 */
export function localFunctions(functions: readonly unknown[]): Record<string, boolean> {
  const fs = functions as readonly FunctionMsg[];
  const calls = new Map<string, string[]>();
  for (const f of fs) calls.set(idOf(f.domain, f.name), (f.node ?? []).map((n) => idOf(n.domain, n.op_type)));
  const reaches = (from: string, to: string, seen: Set<string>): boolean =>
    (calls.get(from) ?? []).some((c) => c === to || (!seen.has(c) && calls.has(c) && (seen.add(c), reaches(c, to, seen))));
  return Object.fromEntries([...calls.keys()].map((id) => [id, reaches(id, id, new Set())]));
}
