/**
 * `select-mode{cost=cpu}` with int8 weights: what they cost in accuracy, on calibration data. The
 * graph runs twice through the pipeline's evaluator (the JS runtime, whose kernels quantize the
 * matrices chosen int8 at load: the error measured is the one the compiled model will have), once
 * with every LSTM matrix on f32 weights and once with the choice; each layer's Y and Y_c and each
 * graph output are compared. With an `error-budget`, a layer whose h error exceeds it goes back to
 * f32 (select-cpu.ts: the first such layer in graph order, then the graph runs again, since the
 * layers after it see other inputs), until every int8 layer is within budget.
 */
import type { Graph, Tensor } from '@lstmc/ir';
import { elemAsNumber } from '@lstmc/ir';
import { withLstmOutputs } from '../../calibration/layer-inputs.js';
import type { PassContext } from '../../pass.js';

/** Max and mean abs difference of two same-shaped tensors over every sample. */
export interface Difference {
  readonly maxAbs: number;
  readonly meanAbs: number;
}

export interface Int8Errors {
  /** Per LSTM node name: the error of h (Y) and the max abs error of c (Y_c). */
  readonly layers: ReadonlyMap<string, { readonly h: Difference; readonly cMaxAbs: number }>;
  /** Per graph output. */
  readonly outputs: ReadonlyMap<string, Difference>;
}

function difference(a: readonly Tensor[], b: readonly Tensor[]): Difference {
  let max = 0;
  let sum = 0;
  let n = 0;
  a.forEach((t, k) => {
    const u = b[k]!;
    for (let i = 0; i < t.data.length; i++) {
      const d = Math.abs(elemAsNumber(t, i) - elemAsNumber(u, i));
      // a NaN on one side only is an unbounded error
      const e = Number.isNaN(d) ? (Number.isNaN(elemAsNumber(t, i)) && Number.isNaN(elemAsNumber(u, i)) ? 0 : Infinity) : d;
      max = Math.max(max, e);
      sum += e;
      n++;
    }
  });
  return { maxAbs: max, meanAbs: n ? sum / n : 0 };
}

/** Y and Y_c of every LSTM (by node name) and every graph output of a graph, per calibration sample. */
export interface LstmValues {
  readonly layers: ReadonlyMap<string, { readonly y: readonly Tensor[]; readonly yc: readonly Tensor[] }>;
  readonly outputs: ReadonlyMap<string, readonly Tensor[]>;
}

/** The LstmValues of g on ctx.calibration. */
export async function lstmValues(g: Graph, ctx: PassContext<object, string>): Promise<LstmValues> {
  const { graph, names } = withLstmOutputs(g);
  const wanted = [...new Set([...[...names.values()].flatMap((v) => [v.y, v.yc]), ...g.outputs])];
  const perSample: ReadonlyMap<string, Tensor>[] = [];
  for (const s of ctx.calibration) perSample.push(await ctx.evaluate(graph, s, wanted));
  const of = (name: string) => perSample.map((v) => v.get(name)!);
  return {
    layers: new Map([...names].map(([n, v]) => [n.name, { y: of(v.y), yc: of(v.yc) }])),
    outputs: new Map(g.outputs.map((o) => [o, of(o)])),
  };
}

/** The errors of `chosen` (some matrices on int8 weights) against `reference` (all f32, evaluated once), on ctx.calibration. */
export async function int8Errors(reference: LstmValues, chosen: Graph, ctx: PassContext<object, string>): Promise<Int8Errors> {
  const q = await lstmValues(chosen, ctx);
  const layers = new Map([...q.layers].map(([name, v]) => {
    const r = reference.layers.get(name)!;
    return [name, { h: difference(v.y, r.y), cMaxAbs: difference(v.yc, r.yc).maxAbs }] as const;
  }));
  return { layers, outputs: new Map([...q.outputs].map(([o, v]) => [o, difference(v, reference.outputs.get(o)!)])) };
}
