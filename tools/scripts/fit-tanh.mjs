// The rational tanh of the WebAssembly cell update (packages/runtime/src/kernels/lstm/wasm/cell-module.ts,
// TANH_P / TANH_Q): tanh(x) ~ x P(x^2) / Q(x^2) on [0, XMAX], P of degree NP and Q of degree NQ in x^2,
// P(0) = Q(0) = 1 (the slope 1 at 0 exactly), fit by Loeb's iteration (linearized least squares of x P - tanh Q divided by the previous Q)
// with Lawson's reweighting toward the largest errors, on Chebyshev points, in float64 (the best of the
// iterates). Prints the
// coefficients rounded to f32 and the maximum absolute error of tanh and of sigmoid(x) = tanh(x/2)/2 + 1/2
// evaluated in f32 as the kernel does (Horner with a rounding after each multiply and add; "fma": one per step).
// Usage: node tools/scripts/fit-tanh.mjs [XMAX=9] [NP=6] [NQ=3]
const XMAX = Number(process.argv[2] ?? 9);
const NP = Number(process.argv[3] ?? 6);
const NQ = Number(process.argv[4] ?? 3);
const POINTS = 4000;
const ITERATIONS = 60;
const xs = Array.from({ length: POINTS }, (_, i) => (XMAX * (1 - Math.cos((Math.PI * (i + 0.5)) / POINTS))) / 2);
const S = XMAX * XMAX; // the fit runs on u = x^2 / S, in [0, 1]

/** Least squares min |A c - b| by the normal equations (Gauss-Jordan, partial pivoting). */
function leastSquares(A, b) {
  const n = A[0].length;
  const N = Array.from({ length: n }, () => new Float64Array(n + 1));
  for (let r = 0; r < A.length; r++)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) N[i][j] += A[r][i] * A[r][j];
      N[i][n] += A[r][i] * b[r];
    }
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(N[r][c]) > Math.abs(N[p][c])) p = r;
    [N[c], N[p]] = [N[p], N[c]];
    for (let r = 0; r < n; r++)
      if (r !== c) {
        const f = N[r][c] / N[c][c];
        for (let k = c; k <= n; k++) N[r][k] -= f * N[c][k];
      }
  }
  return Array.from({ length: n }, (_, i) => N[i][n] / N[i][i]);
}

const horner = (cs, u) => cs.reduceRight((acc, c) => acc * u + c, 0);
let qPrev = xs.map(() => 1);
let w = xs.map(() => 1);
let P = [];
let Q = [];
let best = { max: Infinity, P, Q };
for (let it = 0; it < ITERATIONS; it++) {
  const A = [];
  const b = [];
  xs.forEach((x, r) => {
    const u = (x * x) / S;
    const t = Math.tanh(x);
    const s = Math.sqrt(w[r]) / qPrev[r];
    A.push([...Array.from({ length: NP }, (_, k) => s * x * u ** (k + 1)), ...Array.from({ length: NQ }, (_, k) => -s * t * u ** (k + 1))]);
    b.push(s * (t - x));
  });
  const c = leastSquares(A, b);
  P = [1, ...c.slice(0, NP)];
  Q = [1, ...c.slice(NP)];
  const err = xs.map((x, r) => {
    const u = (x * x) / S;
    qPrev[r] = horner(Q, u);
    return Math.abs((x * horner(P, u)) / qPrev[r] - Math.tanh(x));
  });
  const max = Math.max(...err);
  if (max < best.max) best = { max, P, Q };
  w = w.map((v, i) => v * (0.5 + err[i] / max));
  const sum = w.reduce((a, v) => a + v, 0);
  w = w.map((v) => (v * POINTS) / sum);
}
// The iteration oscillates a little near the optimum: the best iterate is the fit.
({ P, Q } = best);
console.log(`float64 fit: max abs error ${best.max.toExponential(2)}`);

const f = Math.fround;
const Pf = P.map((p, k) => f(p / S ** k));
const Qf = Q.map((q, k) => f(q / S ** k));
function tanhF32(x, fma) {
  x = f(Math.min(Math.max(x, -XMAX), XMAX));
  const u = f(x * x);
  const step = (acc, c) => (fma ? f(acc * u + c) : f(f(acc * u) + c));
  const p = f(Pf.slice(0, -1).reduceRight(step, Pf[NP]) * x);
  const q = Qf.slice(0, -1).reduceRight(step, Qf[NQ]);
  return f(p / q);
}
let et = 0;
let etFma = 0;
let es = 0;
for (let i = -400000; i <= 400000; i++) {
  const x = f(i * 3e-5 * (1 + Math.abs(i) / 40000)); // 0 to about +-132, densest near 0
  et = Math.max(et, Math.abs(tanhF32(x, false) - Math.tanh(x)));
  etFma = Math.max(etFma, Math.abs(tanhF32(x, true) - Math.tanh(x)));
  es = Math.max(es, Math.abs(f(f(0.5 * tanhF32(f(0.5 * x), false)) + 0.5) - 1 / (1 + Math.exp(-x))));
}
console.log(`TANH_P = [${Pf.join(', ')}]`);
console.log(`TANH_Q = [${Qf.join(', ')}]`);
console.log(`f32 max abs error: tanh ${et.toExponential(2)} (with fma ${etFma.toExponential(2)}), sigmoid ${es.toExponential(2)}`);
