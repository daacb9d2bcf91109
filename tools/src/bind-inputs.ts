import { type Dim, type Graph, fail, inferTypes, isStaticShape, makeTensor, tensorType, updateGraph } from '@lstmc/ir';

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

/**
 * `--input-shape NAME=D,D,...`: a graph input's shape made static before the passes run. A symbolic
 * dim the input declares (`batch`, `sequence`) takes the given size in every graph input that
 * declares it, so `input=1,512` also fixes Silero's state `[2, batch, 128]` to `[2, 1, 128]`. What
 * depends on the shape (Shape -> Gather -> Equal -> If) then folds away; the compiled model accepts
 * only inputs of that shape.
 */
export function shapeInputs(g: Graph, specs: readonly string[], file: string): Graph {
  if (specs.length === 0) return g;
  const inputs = g.inputs.filter((i) => !g.initializers.has(i));
  const shapes = new Map<string, readonly Dim[] | undefined>(inputs.map((i) => [i, g.values.get(i)!.type.shape]));
  const symbols = new Map<string, number>();
  for (const sp of specs) {
    const where = { file, field: `--input-shape ${sp}` };
    const eq = sp.indexOf('=');
    if (eq < 0) fail('E-CLI-SHAPE', `--input-shape takes NAME=D[,D...], got '${sp}'`, where);
    const name = sp.slice(0, eq);
    if (!shapes.has(name)) fail('E-CLI-SHAPE', `'${name}' is not a graph input (inputs: ${inputs.join(', ')})`, where);
    const text = sp.slice(eq + 1).trim();
    const dims = text === '' ? [] : text.split(',').map((d) => Number(d.trim()));
    if (dims.some((d) => !Number.isInteger(d) || d < 0)) fail('E-CLI-SHAPE', `'${text}' is not a list of dims (non-negative integers)`, where);
    const declared = g.values.get(name)!.type.shape;
    if (declared && declared.length !== dims.length)
      fail('E-CLI-SHAPE', `'${name}' has rank ${declared.length} ([${declared.join(', ')}]), got ${dims.length} dims`, where);
    declared?.forEach((d, k) => {
      if (typeof d === 'number' && d !== dims[k]) fail('E-CLI-SHAPE', `'${name}' dim ${k} is ${d}, got ${dims[k]}`, where);
      // `?` and `?name` are dims nobody named (each its own unknown), so they are not shared.
      if (typeof d === 'string' && !d.startsWith('?')) {
        const prev = symbols.get(d);
        if (prev !== undefined && prev !== dims[k]) fail('E-CLI-SHAPE', `dim '${d}' is already ${prev}, got ${dims[k]} for '${name}' dim ${k}`, where);
        symbols.set(d, dims[k]!);
      }
    });
    shapes.set(name, dims);
  }
  const values = new Map(g.values);
  for (const i of inputs) {
    const t = g.values.get(i)!.type;
    const shape = shapes.get(i)?.map((d) => (typeof d === 'string' && !d.startsWith('?') ? (symbols.get(d) ?? d) : d));
    values.set(i, { name: i, type: tensorType(t.dtype, shape, t.fixed) });
  }
  return inferTypes(updateGraph(g, { values }), { file });
}
