import type { Graph } from './graph.js';
import type { Diagnostic } from './diagnostic.js';
import { diag, isDiagnosticError } from './diagnostic.js';
import { inferTypes, type InferOptions } from './infer.js';
import type { Dim, TensorType } from './types.js';
import { formatType } from './types.js';
import { numel } from './tensor.js';
import { implicitInputs, nodeSubgraphs } from './subgraph.js';

/** Dims produced by inference for unknowns start with '?'; they match anything. */
function dimMatches(recorded: Dim, inferred: Dim): boolean {
  return recorded === inferred || (typeof inferred === 'string' && inferred.startsWith('?')) || (typeof recorded === 'string' && recorded.startsWith('?'));
}

function typeMatches(recorded: TensorType, inferred: TensorType): boolean {
  if (inferred.dtype === 'unknown') return true;
  if (recorded.dtype !== inferred.dtype) return false;
  if (recorded.shape === undefined || inferred.shape === undefined) return true;
  return recorded.shape.length === inferred.shape.length && recorded.shape.every((d, i) => dimMatches(d, inferred.shape![i]));
}

/**
 * Check a graph's invariants: unique definitions, no dangling values, acyclic
 * and topologically ordered nodes, arity, attribute kinds and ranges, and
 * that every recorded value type agrees with what inference derives.
 * Returns diagnostics (empty when the graph is valid); usable after any pass.
 */
export function verifyGraph(g: Graph, opts: InferOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const file = opts.file;
  const defined = new Set<string>();
  const define = (name: string, where: { node?: string }) => {
    if (defined.has(name)) out.push(diag('E-IR-DUP-VALUE', `value '${name}' is defined more than once`, { file, ...where, field: name }));
    defined.add(name);
  };
  for (const i of g.inputs) define(i, {});
  for (const [name, t] of g.initializers) {
    if (!g.inputs.includes(name)) define(name, {});
    if (t.data.length !== numel(t.dims))
      out.push(diag('E-IR-INIT-SIZE', `initializer '${name}' has ${t.data.length} elements for dims [${t.dims.join(', ')}]`, { file, field: name }));
  }
  g.nodes.forEach((n, idx) => {
    for (const i of n.inputs)
      if (i && !defined.has(i)) {
        const later = g.nodes.slice(idx + 1).find((m) => m.outputs.includes(i));
        out.push(
          later
            ? diag('E-IR-ORDER', `input '${i}' is used before '${later.name}' defines it (nodes are not in topological order, or there is a cycle)`, { file, node: n.name, field: i })
            : diag('E-IR-DANGLING', `input '${i}' is not defined`, { file, node: n.name, field: i }),
        );
      }
    for (const i of implicitInputs(n))
      if (!defined.has(i)) {
        const later = g.nodes.slice(idx + 1).find((m) => m.outputs.includes(i));
        if (later) out.push(diag('E-IR-ORDER', `a subgraph of ${n.op} reads '${i}' before '${later.name}' defines it`, { file, node: n.name, field: i }));
      }
    for (const o of n.outputs) if (o) define(o, { node: n.name });
  });
  for (const o of g.outputs) if (!defined.has(o)) out.push(diag('E-IR-DANGLING', `graph output '${o}' is not defined`, { file, field: o }));
  for (const name of defined)
    if (!g.values.has(name)) out.push(diag('E-IR-NO-TYPE', `value '${name}' has no recorded type`, { file, field: name }));
  if (out.length) return out;

  let inferred: Graph;
  try {
    inferred = inferTypes(g, opts);
  } catch (e) {
    if (isDiagnosticError(e)) return [e.diagnostic];
    throw e;
  }
  compareTypes(g, inferred, file, out);
  return out;
}

/** Recorded types of `g` (and of its subgraphs, node by node) against what inference gives. */
function compareTypes(g: Graph, inferred: Graph, file: string | undefined, out: Diagnostic[]): void {
  const producer = new Map<string, string>();
  for (const n of g.nodes) for (const o of n.outputs) if (o) producer.set(o, n.name);
  for (const [name, v] of inferred.values) {
    const rec = g.values.get(name);
    if (rec && !typeMatches(rec.type, v.type))
      out.push(
        diag('E-IR-TYPE-MISMATCH', `value '${name}' is recorded as ${formatType(rec.type)} but its definition gives ${formatType(v.type)}`, {
          file,
          ...(producer.has(name) ? { node: producer.get(name) } : {}),
          field: name,
        }),
      );
  }
  if (inferred.nodes.length !== g.nodes.length) return;
  g.nodes.forEach((n, i) => {
    const m = inferred.nodes[i]!;
    if (m.name !== n.name) return;
    const recorded = nodeSubgraphs(n);
    const typed = nodeSubgraphs(m);
    recorded.forEach((r, k) => typed[k] && compareTypes(r.graph, typed[k]!.graph, file, out));
  });
}
