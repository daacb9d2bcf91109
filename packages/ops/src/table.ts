import type { OpDef } from './def.js';
import { CONSTANT_OPS } from './ops/constant.js';
import { CONTROL_FLOW_OPS } from './ops/control-flow.js';
import { CONV_OPS } from './ops/conv.js';
import { ELEMENTWISE_OPS } from './ops/elementwise.js';
import { INDEXING_OPS } from './ops/indexing.js';
import { LINALG_OPS } from './ops/linalg.js';
import { RECURRENT_OPS } from './ops/lstm.js';
import { NORMALIZATION_OPS } from './ops/normalization.js';
import { PAD_OPS } from './ops/pad.js';
import { QUANTIZE_OPS } from './ops/quantize.js';
import { REDUCE_OPS } from './ops/reduce.js';
import { SHAPE_OPS } from './ops/shape.js';

/**
 * The part of the op table whose ops have a reference evaluation: every family but LSTM's and
 * If's, which dedicated kernels run. The runtime builds its op kernels from this table alone, so a
 * bundle of the runtime leaves LSTM's and If's definitions out (the tables are built by pure calls:
 * to a bundler an object spread alone is not free of side effects). Its definitions are the
 * families' own; OPS and the runtime's op kernels add the opset check (withOpsetRange).
 * test/table.test.ts checks that it holds exactly the ops of OPS with an `eval`.
 */
export const EVALUATED_OPS = /* @__PURE__ */ (() =>
  ({
    ...CONSTANT_OPS,
    ...SHAPE_OPS,
    ...INDEXING_OPS,
    ...PAD_OPS,
    ...LINALG_OPS,
    ...CONV_OPS,
    ...ELEMENTWISE_OPS,
    ...NORMALIZATION_OPS,
    ...REDUCE_OPS,
    ...QUANTIZE_OPS,
  }) as const satisfies Record<string, OpDef>)();

/**
 * The op table: every op lstmc understands (domain ai.onnx), described once.
 * Any other op is imported as an opaque node, kept for inspection; backends
 * refuse opaque nodes by name. Each family file lists its ops; adding an op to a
 * family is a change to that one file (a new family adds one import here, and
 * its entry in EVALUATED_OPS when its ops have a reference evaluation).
 */
export const OPS = /* @__PURE__ */ (() =>
  withOpsetRanges({
    ...RECURRENT_OPS,
    ...EVALUATED_OPS,
    ...CONTROL_FLOW_OPS,
  } as const satisfies Record<string, OpDef>))();

/**
 * The definition with its opset range enforced: when it names a `since`/`until` opset, its `infer`
 * refuses other opsets (E-IR-OPSET) before its own inference; otherwise the definition itself.
 */
export function withOpsetRange<D extends OpDef>(name: string, def: D): D {
  const { since, until } = def;
  if (since === undefined && until === undefined) return def;
  return {
    ...def,
    infer(ctx) {
      if ((since !== undefined && ctx.opset < since) || (until !== undefined && ctx.opset > until))
        ctx.fail('E-IR-OPSET', `${name} exists in opsets ${since ?? 1} to ${until ?? 'now'}; the model imports opset ${ctx.opset}`);
      return def.infer(ctx);
    },
  };
}

function withOpsetRanges<T extends Readonly<Record<string, OpDef>>>(ops: T): T {
  const out: Record<string, OpDef> = {};
  for (const [name, def] of Object.entries(ops)) out[name] = withOpsetRange(name, def);
  return out as T;
}

export type OpKind = keyof typeof OPS;

export const OP_KINDS = /* @__PURE__ */ Object.keys(OPS) as OpKind[];

/** The op's definition when it is a known ai.onnx op, else undefined (opaque). */
export function opDef(op: string, domain: string): OpDef | undefined {
  if (domain !== '' && domain !== 'ai.onnx') return undefined;
  return Object.hasOwn(OPS, op) ? OPS[op as OpKind] : undefined;
}

export function isKnownOp(op: string, domain: string): op is OpKind {
  return opDef(op, domain) !== undefined;
}
