/**
 * Float <-> string for Cast, as ONNX's reference (numpy) does it: a float
 * prints as the shortest decimal that reads back to the same value of its own
 * type (positional for 1e-4 <= |x| < 1e16, else d.ddde±XX; integers end in
 * `.0`; `nan`, `inf`, `-inf`), and a string reads as a decimal number or a
 * case-insensitive `nan`, `inf`, `infinity` with an optional sign.
 */

/** Shortest toPrecision digits of v that round-trip through `narrow` (Math.fround for f32, identity for f64). */
function shortest(v: number, narrow: (x: number) => number): string {
  for (let p = 1; p < 17; p++) {
    const s = v.toPrecision(p);
    if (narrow(Number(s)) === v) return Number(s).toExponential(p - 1);
  }
  return v.toExponential(16);
}

export function formatFloat(v: number, dtype: string): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const exp = shortest(v, dtype === 'f64' ? (x) => x : Math.fround);
  const [mant, e10] = exp.split('e') as [string, string];
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const e = Number(e10);
  const a = Math.abs(v);
  let body: string;
  if (a >= 1e-4 && a < 1e16) {
    if (e >= 0) {
      const int = digits.slice(0, e + 1).padEnd(e + 1, '0');
      body = `${int}.${digits.slice(e + 1) || '0'}`;
    } else body = `0.${'0'.repeat(-e - 1)}${digits}`;
  } else {
    const rest = digits.slice(1);
    body = `${digits[0]}${rest ? `.${rest}` : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return neg ? `-${body}` : body;
}

export function parseFloatText(s: string): number {
  const t = s.trim().toLowerCase();
  const m = /^([+-]?)(inf|infinity|nan)$/.exec(t);
  if (m) return m[2] === 'nan' ? Number.NaN : m[1] === '-' ? -Infinity : Infinity;
  return t === '' ? Number.NaN : Number(t);
}
