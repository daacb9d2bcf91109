import { TARGET_KEYS, TARGET_PARAMS, type ParamSpec } from './params.js';

/** The parameter table of docs/target.md, generated from TARGET_PARAMS (a test keeps the doc in step). */
export function renderTargetParamsTable(): string {
  const legal = (s: ParamSpec) => {
    if (s.oneOf) return s.oneOf.join(' or ');
    const lo = s.exclusiveMin ? `> ${s.min}` : `>= ${s.min}`;
    return `${s.type === 'int' ? 'integer' : 'number'} ${lo}, <= ${s.max}${s.powerOfTwo ? ', power of two' : ''}`;
  };
  const rows = TARGET_KEYS.map((k) => {
    const s: ParamSpec = TARGET_PARAMS[k];
    return `| \`${k}\` | ${s.default} | ${s.unit} | ${legal(s)} | ${s.doc} |`;
  });
  return ['| key | default | unit | legal values | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}
