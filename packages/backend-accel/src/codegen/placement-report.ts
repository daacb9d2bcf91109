import { PLACEMENTS, type NodePlacement, type Partition } from './partition.js';

export const PLACEMENT_COLUMNS = ['node', 'op', 'where', 'stage', 'why'];

/** One row of the placement table. */
export function placementRow(x: NodePlacement): string[] {
  return [x.node, x.op, x.where, x.stage === null ? '-' : x.where === 'accel' ? `phase ${x.stage}` : `segment ${x.stage}`, x.reason];
}


/** The placement of every node as a report table (the shape of a pass report: `lstmc compile --pass-reports`, `lstmc inspect`). */
export function placementTable(p: Partition): { title: string; columns: string[]; rows: (string | number)[][] } {
  const counts = PLACEMENTS.map((k) => [k, p.placements.filter((x) => x.where === k).length] as const).filter(([, v]) => v > 0);
  return {
    title: `placement: ${counts.map(([k, v]) => `${v} ${k}`).join(', ')}; ${p.phases} accelerator phase(s), ${p.segments.length} host segment(s)`,
    columns: PLACEMENT_COLUMNS,
    rows: p.placements.map(placementRow),
  };
}

/** The execution order, one line per stage: host segments (JS runtime) and accelerator phases (microcode). */
export function stageOrder(p: Partition): string[] {
  const lines: string[] = [];
  for (let k = 0; k <= p.phases; k++) {
    const s = p.segments.find((x) => x.index === k);
    if (s) lines.push(`host segment ${k}: ${s.nodes.map((n) => n.name).join(', ')} (reads ${s.inputs.join(', ') || 'nothing'}; yields ${s.outputs.join(', ')})`);
    if (k < p.phases) lines.push(`accelerator phase ${k}: ${p.layers.filter((l) => l.phase === k).map((l) => l.node.name).join(', ')}`);
  }
  if (p.direct.length) lines.push(`outputs read from LSTMs: ${p.direct.map((d) => `${d.name} (${d.node.name} ${d.which}${d.glue.length ? ` + ${d.glue.map((g) => g.op).join(', ')}` : ''})`).join(', ')}`);
  return lines;
}
