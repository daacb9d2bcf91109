/**
 * Quantization of each LSTM layer, as the quantize pass recorded it
 * (lstmc.q.*): the fixed-point fraction lengths per direction and the max abs
 * error of the layer output (h) and of its cell state (c) vs float32 on
 * calibration data.
 */
import type { Graph } from '@lstmc/ir';
import { ANN, getFloats, lstmNodes } from '@lstmc/passes';
import type { QuantLayerData } from './report-data.js';
import { graphScopes } from './scopes.js';

export function collectQuantization(g0: Graph): QuantLayerData[] {
  const out: QuantLayerData[] = [];
  for (const g of graphScopes(g0))
    for (const n of lstmNodes(g)) {
      const w = getFloats(n, ANN.qWFrac);
      if (!w) continue;
      const at = (key: string, d: number) => getFloats(n, key)?.[d] ?? null;
      out.push({
        node: n.name,
        weightBits: getFloats(n, ANN.qWeightBits)?.[0] ?? null,
        formats: w.map((_, d) => ({ dir: d, w: at(ANN.qWFrac, d), r: at(ANN.qRFrac, d), x: at(ANN.qXFrac, d), h: at(ANN.qHFrac, d), c: at(ANN.qCFrac, d), acc: at(ANN.qAccFrac, d) })),
        maxAbsError: getFloats(n, ANN.qError)?.[0] ?? null,
        cellError: getFloats(n, ANN.qError)?.[1] ?? null,
      });
    }
  return out;
}
