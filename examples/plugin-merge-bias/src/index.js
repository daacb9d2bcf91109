// @ts-check
/**
 * lstmc-plugin-merge-bias: an example third-party plugin.
 *
 * ONNX LSTM biases are B = [Wb | Rb] (8H per direction) and every gate adds
 * Wb + Rb, so moving Rb into Wb leaves the network's function unchanged
 * (up to float rounding of the sum) while the accelerator adds one bias
 * vector instead of two. The plugin uses only the PassDef interface of
 * @lstmc/passes (types) and the IR helpers the pass manager hands it as
 * `ctx.ir`, so it never loads a second copy of the compiler.
 *
 * Use: lstmc compile model.onnx --plugin lstmc-plugin-merge-bias --pipeline 'merge-bias,fold'
 */

/** @type {import('@lstmc/passes').PassDef<{ 'min-abs': { kind: 'float', default: number, min: number, doc: string } }, 'layers' | 'biases-merged'>} */
export const mergeBiasPass = {
  name: 'merge-bias',
  summary: 'fold each LSTM recurrent bias Rb into the input bias Wb (Rb becomes zero)',
  options: {
    'min-abs': { kind: 'float', default: 0, min: 0, doc: 'only merge Rb entries whose magnitude is at least this' },
  },
  requires: [],
  establishes: [],
  invalidates: ['quantized', 'encoded'],
  counters: {
    layers: 'LSTM layers with a constant bias',
    'biases-merged': 'Rb entries moved into Wb',
  },
  run(graph, ctx) {
    const { ir } = ctx;
    const replaced = new Map();
    for (const node of graph.nodes) {
      if (node.op !== 'LSTM' || !node.inputs[3]) continue;
      const b = graph.initializers.get(node.inputs[3]);
      if (!b || !(b.data instanceof Float32Array)) continue;
      ctx.count('layers');
      const [dirs, eightH] = b.dims;
      const h4 = eightH / 2;
      const out = Float32Array.from(b.data);
      let merged = 0;
      for (let d = 0; d < dirs; d++)
        for (let k = 0; k < h4; k++) {
          const rb = out[d * eightH + h4 + k];
          if (rb === 0 || Math.abs(rb) < ctx.options['min-abs']) continue;
          out[d * eightH + k] += rb;
          out[d * eightH + h4 + k] = 0;
          merged++;
        }
      if (merged > 0) {
        ctx.count('biases-merged', merged);
        replaced.set(node.inputs[3], ir.makeTensor(b.dtype, b.dims, out));
      }
    }
    if (replaced.size === 0) return graph;
    return ir.updateGraph(graph, { initializers: new Map([...graph.initializers, ...replaced]) });
  },
};

/** @type {import('@lstmc/passes').LstmcPlugin} */
export default {
  name: 'lstmc-plugin-merge-bias',
  passes: [mergeBiasPass],
};
