/**
 * Activation functions of the ONNX RNN family, with their alpha/beta usage and defaults.
 * Names are matched case-insensitively (ONNX spells them `Sigmoid`, `LeakyRelu`, ...).
 * `activation_alpha`/`activation_beta` are consumed in the order of the activations list:
 * each function that takes an alpha takes the next alpha (or its default when the list runs out),
 * and likewise for beta, as onnxruntime does.
 * Defaults when the lists run out are onnxruntime's (the reference of the differential tests):
 * LeakyRelu 0.01, HardSigmoid 0.2/0.5, Elu 1.0, and 0 for Affine, ThresholdedRelu and ScaledTanh.
 * (The ONNX text says "the defaults of the corresponding operators"; ThresholdedRelu's operator default
 * would be 1.0, Affine and ScaledTanh have no operator any more. Exporters always set them explicitly.)
 */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export const RNN_ACTIVATIONS = {
  relu: { alpha: null, beta: null, make: () => (x: number) => (x > 0 ? x : 0) },
  tanh: { alpha: null, beta: null, make: () => Math.tanh },
  sigmoid: { alpha: null, beta: null, make: () => sigmoid },
  affine: { alpha: 0, beta: 0, make: (a: number, b: number) => (x: number) => a * x + b },
  leakyrelu: { alpha: 0.01, beta: null, make: (a: number) => (x: number) => (x >= 0 ? x : a * x) },
  thresholdedrelu: { alpha: 0, beta: null, make: (a: number) => (x: number) => (x > a ? x : 0) },
  scaledtanh: { alpha: 0, beta: 0, make: (a: number, b: number) => (x: number) => a * Math.tanh(b * x) },
  hardsigmoid: { alpha: 0.2, beta: 0.5, make: (a: number, b: number) => (x: number) => Math.max(0, Math.min(1, a * x + b)) },
  elu: { alpha: 1, beta: null, make: (a: number) => (x: number) => (x >= 0 ? x : a * (Math.exp(x) - 1)) },
  softsign: { alpha: null, beta: null, make: () => (x: number) => x / (1 + Math.abs(x)) },
  softplus: { alpha: null, beta: null, make: () => (x: number) => Math.log1p(Math.exp(x)) },
} as const satisfies Record<string, { alpha: number | null; beta: number | null; make: (a: number, b: number) => (x: number) => number }>;

export type RnnActivationName = keyof typeof RNN_ACTIVATIONS;

export function isRnnActivation(name: string): boolean {
  return Object.hasOwn(RNN_ACTIVATIONS, name.toLowerCase());
}

export interface ResolvedActivation {
  readonly name: RnnActivationName;
  readonly alpha: number;
  readonly beta: number;
  readonly fn: (x: number) => number;
}

/** Resolves the activations list with its alpha/beta lists (see the module comment for the order). */
export function resolveActivations(names: readonly string[], alphas: readonly number[], betas: readonly number[]): ResolvedActivation[] {
  let ai = 0;
  let bi = 0;
  return names.map((raw) => {
    const name = raw.toLowerCase() as RnnActivationName;
    const def = RNN_ACTIVATIONS[name];
    const alpha = def.alpha === null ? 0 : ai < alphas.length ? alphas[ai++]! : def.alpha;
    const beta = def.beta === null ? 0 : bi < betas.length ? betas[bi++]! : def.beta;
    return { name, alpha, beta, fn: def.make(alpha, beta) };
  });
}
