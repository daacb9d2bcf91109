import { expect, it } from 'vitest';
import { EVALUATED_OPS, OPS, OP_KINDS, type OpDef } from '../src/index.js';

it('EVALUATED_OPS holds exactly the ops of OPS that have a reference evaluation, with the same evaluations', () => {
  const evaluated = EVALUATED_OPS as Readonly<Record<string, OpDef>>;
  expect(Object.keys(evaluated).sort()).toEqual(OP_KINDS.filter((k) => OPS[k].eval).sort());
  for (const [k, def] of Object.entries(evaluated)) expect(def.eval, k).toBe(OPS[k as keyof typeof OPS].eval);
  expect(OP_KINDS.filter((k) => !OPS[k].eval).sort()).toEqual(['If', 'LSTM']);
});
