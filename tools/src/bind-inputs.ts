import { type Graph, fail, inferTypes, isStaticShape, makeTensor, updateGraph } from '@lstmc/ir';

/**
 * `--bind NAME=V[,V...]`: graph inputs specialized to constants before the passes run, so that
 * what depends on them folds away (Silero VAD's sample-rate `If` on `sr`, for one). The value
 * takes the input's element type and shape (a scalar for shape []); the input leaves the graph.
 */
export function bindInputs(g: Graph, binds: readonly string[], file: string): Graph {
  if (binds.length === 0) return g;
  const inits = new Map(g.initializers);
  let inputs = [...g.inputs];
  for (const b of binds) {
    const eq = b.indexOf('=');
    const name = eq < 0 ? b : b.slice(0, eq);
    const where = { file, field: `--bind ${b}` };
    if (eq < 0) fail('E-CLI-BIND', `--bind takes NAME=VALUE[,VALUE...], got '${b}'`, where);
    if (!inputs.includes(name) || g.initializers.has(name))
      fail('E-CLI-BIND', `'${name}' is not a graph input (inputs: ${inputs.filter((i) => !g.initializers.has(i)).join(', ')})`, where);
    const t = g.values.get(name)!.type;
    const nums = b.slice(eq + 1).split(',').map((s) => Number(s.trim()));
    if (nums.some((v) => !Number.isFinite(v))) fail('E-CLI-BIND', `'${b.slice(eq + 1)}' is not a list of finite numbers`, where);
    const shape = isStaticShape(t.shape) ? t.shape : nums.length === 1 ? [] : [nums.length];
    const n = shape.reduce((a, d) => a * d, 1);
    if (n !== nums.length) fail('E-CLI-BIND', `'${name}' has shape [${shape.join(', ')}] (${n} values), got ${nums.length}`, where);
    if (t.dtype !== 'f32' && t.dtype !== 'f64' && t.dtype !== 'i32' && t.dtype !== 'i64' && t.dtype !== 'bool')
      fail('E-CLI-BIND', `'${name}' is ${t.dtype}; --bind takes f32, f64, i32, i64 and bool inputs`, where);
    inits.set(name, makeTensor(t.dtype, shape, nums));
    inputs = inputs.filter((i) => i !== name);
  }
  return inferTypes(updateGraph(g, { inputs, initializers: inits }), { file });
}
