import { fail, type Location } from '@lstmc/ir';
import { TARGET_KEYS, TARGET_PARAMS, isTargetKey, type Target, type TargetKey } from './params.js';

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/** The reason `value` is not legal for `key`, or undefined when it is. */
export function checkParamValue(key: TargetKey, value: unknown): { code: string; message: string } | undefined {
  const spec = TARGET_PARAMS[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { code: 'E-TARGET-TYPE', message: `'${key}' must be a ${spec.type === 'int' ? 'integer' : 'number'}, got ${describe(value)}` };
  }
  if (spec.type === 'int' && !Number.isSafeInteger(value)) {
    return { code: 'E-TARGET-TYPE', message: `'${key}' must be an integer, got ${value}` };
  }
  if ('oneOf' in spec && !spec.oneOf.includes(value as never)) {
    return { code: 'E-TARGET-VALUE', message: `'${key}' must be one of ${spec.oneOf.join(', ')}, got ${value}` };
  }
  const exclusive = 'exclusiveMin' in spec && spec.exclusiveMin;
  if (value > spec.max || (exclusive ? value <= spec.min : value < spec.min)) {
    const lo = exclusive ? `> ${spec.min}` : `>= ${spec.min}`;
    return { code: 'E-TARGET-VALUE', message: `'${key}' must be ${lo} and <= ${spec.max}, got ${value}` };
  }
  if ('powerOfTwo' in spec && spec.powerOfTwo && !isPowerOfTwo(value)) {
    return { code: 'E-TARGET-VALUE', message: `'${key}' must be a power of two, got ${value}` };
  }
  return undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return typeof v === 'number' ? String(v) : `a ${typeof v}`;
}

/**
 * Build a Target from a plain object: every key must be a known parameter with
 * a legal value; missing keys take their defaults. Cross-parameter rules are
 * checked last and name the key that has to change.
 */
export function targetFromObject(obj: unknown, loc: Location = {}): Target {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    fail('E-TARGET-NOT-OBJECT', `a target description must be a JSON object, got ${describe(obj)}`, loc);
  }
  const rec = obj as Record<string, unknown>;
  for (const k of Object.keys(rec)) {
    if (!isTargetKey(k)) {
      fail('E-TARGET-UNKNOWN-KEY', `unknown target parameter '${k}' (known: ${TARGET_KEYS.join(', ')})`, { ...loc, field: k });
    }
    const bad = checkParamValue(k, rec[k]);
    if (bad) fail(bad.code, bad.message, { ...loc, field: k });
  }
  const t = Object.fromEntries(
    TARGET_KEYS.map((k) => [k, rec[k] === undefined ? TARGET_PARAMS[k].default : rec[k]]),
  ) as Target;
  if (t.accBits < t.weightBits + t.actBits) {
    fail(
      'E-TARGET-VALUE',
      `'accBits' (${t.accBits}) must be at least weightBits + actBits (${t.weightBits + t.actBits}) so one product fits the accumulator`,
      { ...loc, field: 'accBits' },
    );
  }
  return Object.freeze(t);
}

/** A copy of `base` with some parameters replaced, validated like a file. */
export function withParams(base: Target, overrides: Partial<Record<TargetKey, number>>): Target {
  return targetFromObject({ ...base, ...overrides });
}
