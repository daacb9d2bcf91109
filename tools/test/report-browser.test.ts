import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { defaultTarget } from '@lstmc/target';
import { hasChromium, withChromium } from '@lstmc/testing';
import { collectFromModel, matrixData, renderReportPage, type ReportData } from '../src/report/index.js';
import { REPO, cli } from './helpers.js';
import { knownLstmGraph, knownNonZero } from './report-fixtures.js';
import { runPasses } from './run-fixed-support.js';

/**
 * `lstmc report` pages opened from disk in headless Chromium: no console
 * errors, heatmap pixels that show the zero pattern of known matrices (exact
 * cells, and density tiles of a 4096 x 1024 matrix), zoom by mouse wheel, a
 * drawn timeline with --sim, and screenshots (OUT/report*.png).
 */
const chromiumHere = hasChromium('report browser test');
const SPARSE = join(REPO, 'examples/kws-lstm-sparse');
/** Where the screenshot lands (kept after the run, for people to look at). */
const OUT = join(tmpdir(), 'lstmc-report-browser');

const NZ = [13, 45, 120];
const WHITE = [255, 255, 255];

interface Opened {
  readonly page: Page;
  readonly errors: string[];
}

async function open(context: import('playwright-core').BrowserContext, file: string): Promise<Opened> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => void errors.push(e.message));
  // Anything but the file itself would be a network request: the page must need none.
  await page.route(/^(?!file:)/, (route) => {
    errors.push(`request ${route.request().url()}`);
    return route.abort();
  });
  await page.setViewportSize({ width: 1250, height: 900 });
  await page.goto(pathToFileURL(file).href);
  // The page's one inline script has run by 'load' (goto waits for it): it failed if there is no report API.
  expect(errors).toEqual([]);
  expect(await page.evaluate('Object.keys(window.lstmcReport ?? {})')).toEqual(['data', 'heatmaps', 'timeline']);
  return { page, errors };
}

/** RGB of canvas pixels of heatmap `k` at the given points. */
function pixels(page: Page, k: number, points: readonly (readonly [number, number])[]): Promise<number[][]> {
  return page.evaluate(
    `(() => { const c = window.lstmcReport.heatmaps[${k}].canvas.getContext('2d'); return ${JSON.stringify(points)}.map(([x, y]) => Array.from(c.getImageData(x, y, 1, 1).data.slice(0, 3))); })()`,
  ) as Promise<number[][]>;
}

const view = (page: Page, k: number) => page.evaluate(`window.lstmcReport.heatmaps[${k}].view()`) as Promise<{ scale: number; row0: number; col0: number }>;

describe.skipIf(!chromiumHere)('lstmc report in headless Chromium', () => {
  it('draws the zero pattern of a known LSTM cell by cell', { timeout: 120_000 }, async () => {
    mkdirSync(OUT, { recursive: true });
    const run = await runPasses(knownLstmGraph(), 'fold,sparsity,select-mode,quantize,encode', defaultTarget, []);
    const file = join(OUT, 'known.html');
    writeFileSync(file, renderReportPage(collectFromModel('known.onnx', run.graph, 'fold,sparsity,select-mode,quantize,encode', run.results, defaultTarget, { cpu: null })));
    await withChromium(async (context) => {
      const { page, errors } = await open(context, file);
      const labels = (await page.evaluate('window.lstmcReport.heatmaps.map((h) => h.label)')) as string[];
      expect(labels).toEqual(['known_lstm.W', 'known_lstm.R']);
      for (const [k, m] of (['W', 'R'] as const).entries()) {
        const v = await view(page, k);
        expect(v.scale).toBeGreaterThanOrEqual(1); // a 256-row matrix fits with a pixel or more per cell: exact mode
        const cols = m === 'W' ? 40 : 64;
        const cells: [number, number][] = [];
        for (let r = 0; r < 256; r++) for (let c = 0; c < cols; c++) cells.push([r, c]);
        // Rows across, columns down: the centre of cell (r, c).
        const px = await pixels(page, k, cells.map(([r, c]) => [Math.floor((r + 0.5) * v.scale), Math.floor((c + 0.5) * v.scale)] as const));
        cells.forEach(([r, c], i) => expect(px[i], `${m} (${r}, ${c})`).toEqual(knownNonZero[m](r, c) ? NZ : WHITE));
      }
      // The mouse wheel zooms in about the cursor.
      const box = (await page.locator('canvas[data-matrix="known_lstm.W"]').boundingBox())!;
      const before = await view(page, 0);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, -100);
      const after = await view(page, 0);
      expect(after.scale).toBeCloseTo(before.scale * 1.25, 9);
      expect(errors).toEqual([]);
    });
  });

  it('shows a 4096 x 1024 matrix as density tiles, and exact cells when zoomed in', { timeout: 120_000 }, async () => {
    mkdirSync(OUT, { recursive: true });
    // 64 x 64 blocks alternate between empty and a 1-in-4 pattern.
    const nz = (r: number, c: number) => ((r >> 6) + (c >> 6)) % 2 === 0 && (r * 7 + c * 3) % 4 === 0;
    const m = matrixData({ label: 'big.W', node: 'big', matrix: 'W', dir: 0, rows: 4096, cols: 1024, nonZero: nz, peOfRow: Int32Array.from({ length: 4096 }, (_, r) => r % 32), pes: 32, assignment: 'modulo', layout: null, source: 'ir' });
    const data: ReportData = {
      file: 'big', kind: 'model', pipeline: '', target: { ...defaultTarget }, graph: { summary: '', nodes: [], inputs: [], outputs: [], stages: [] },
      matrices: [m], decisions: [], whatIf: [], quantization: [], passReports: [], sim: null, notes: [],
    };
    const file = join(OUT, 'big.html');
    writeFileSync(file, renderReportPage(data));
    await withChromium(async (context) => {
      const { page, errors } = await open(context, file);
      const v = await view(page, 0);
      expect(v.scale).toBeLessThan(1);
      // Each pixel covers rows [floor(x/s), floor((x+1)/s)) and columns [floor(y/s), floor((y+1)/s)): its share of non-zeros.
      const pts: [number, number][] = [];
      for (let x = 0; x < 1000; x += 37) for (let y = 0; y < 240; y += 11) pts.push([x, y]);
      const px = await pixels(page, 0, pts);
      pts.forEach(([x, y], i) => {
        const r0 = Math.floor(x / v.scale), r1 = Math.max(r0 + 1, Math.floor((x + 1) / v.scale));
        const c0 = Math.floor(y / v.scale), c1 = Math.max(c0 + 1, Math.floor((y + 1) / v.scale));
        if (r0 >= 4096 || c0 >= 1024) return;
        let n = 0;
        for (let r = r0; r < Math.min(r1, 4096); r++) for (let c = c0; c < Math.min(c1, 1024); c++) if (nz(r, c)) n++;
        const density = n / ((Math.min(r1, 4096) - r0) * (Math.min(c1, 1024) - c0));
        for (let ch = 0; ch < 3; ch++) expect(Math.abs(px[i][ch] - (255 - density * (255 - NZ[ch]))), `pixel (${x}, ${y})`).toBeLessThanOrEqual(1);
      });
      // Zoomed to 8 pixels a cell at row 2000, column 300: every pixel is its cell.
      await page.evaluate('window.lstmcReport.heatmaps[0].setView(8, 2000, 300)');
      const zpts: [number, number][] = [];
      for (let x = 3; x < 1000; x += 29) for (let y = 3; y < 240; y += 13) zpts.push([x, y]);
      const zpx = await pixels(page, 0, zpts);
      zpts.forEach(([x, y], i) => expect(zpx[i], `zoomed pixel (${x}, ${y})`).toEqual(nz(2000 + Math.floor(x / 8), 300 + Math.floor(y / 8)) ? NZ : WHITE));
      expect(errors).toEqual([]);
    });
  });

  it('renders the quick-start report with its timeline, and writes a screenshot', { timeout: 180_000 }, async () => {
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, 'report.html');
    const r = await cli('report', join(SPARSE, 'model.onnx'), '--calibration', join(SPARSE, 'test_data_set_0'), '--sim', join(SPARSE, 'test_data_set_0'), '-o', file);
    expect(r.code, r.stderr).toBe(0);
    await withChromium(async (context) => {
      const { page, errors } = await open(context, file);
      const sim = (await page.evaluate('({ events: window.lstmcReport.data.sim.events.start.length, drawn: window.lstmcReport.timeline.drawn(), branches: window.lstmcReport.data.sim.branches.length })')) as { events: number; drawn: number; branches: number };
      expect(sim.events).toBeGreaterThan(1000);
      expect(sim.drawn).toBe(sim.events);
      expect(sim.branches).toBeGreaterThan(0);
      // The PE lane (third, rows 22 + 2*26 .. +26) holds bars: pixels that are neither background nor text.
      const lane = (await page.evaluate(`(() => { const c = window.lstmcReport.timeline.canvas; const d = c.getContext('2d').getImageData(44, 22 + 2 * 26 + 6, c.width - 48, 14).data; let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) n++; return n; })()`)) as number;
      expect(lane).toBeGreaterThan(1000);
      for (const id of ['graph', 'weights', 'decisions', 'what-if', 'quantization', 'sim', 'pass-reports']) expect(await page.locator(`section#${id}`).count(), id).toBe(1);
      expect(await page.locator('section#decisions').innerText()).toContain('sparse-weight');
      // The top of the page as a reader first sees it, and the sections a reader looks at next, each legible at full size.
      const shots: [string, () => Promise<Buffer>][] = [
        ['report.png', () => page.screenshot()],
        ['report-heatmap.png', () => page.locator('section#weights .card').first().screenshot()],
        ['report-decisions.png', () => page.locator('section#decisions').screenshot()],
        ['report-what-if.png', () => page.locator('section#what-if .card').first().screenshot()],
        ['report-timeline.png', () => page.locator('section#sim').screenshot()],
      ];
      for (const [name, take] of shots) {
        const png = await take();
        writeFileSync(join(OUT, name), png);
        expect(png.subarray(1, 4).toString(), name).toBe('PNG');
        expect(statSync(join(OUT, name)).size, name).toBeGreaterThan(20_000);
      }
      expect(errors).toEqual([]);
      // The binary's own report: its decoded weights, its graph and the same timeline.
      const lxb = join(OUT, 'kws.lxb');
      expect((await cli('compile', join(SPARSE, 'model.onnx'), '--target', 'accel', '-o', lxb)).code).toBe(0);
      const binHtml = join(OUT, 'binary.html');
      const b = await cli('report', lxb, '--sim', join(SPARSE, 'test_data_set_0'), '--no-measure', '-o', binHtml);
      expect(b.code, b.stderr).toBe(0);
      const bin = await open(context, binHtml);
      const seen = (await bin.page.evaluate('({ maps: window.lstmcReport.heatmaps.map((h) => h.label), drawn: window.lstmcReport.timeline.drawn(), nodes: document.querySelectorAll("svg.graph g[data-node]").length })')) as { maps: string[]; drawn: number; nodes: number };
      expect(seen.maps).toEqual(['/lstm/LSTM/W', '/lstm/LSTM/R', '/lstm/LSTM_1/W', '/lstm/LSTM_1/R']);
      expect(seen.drawn).toBe(sim.events);
      expect(seen.nodes).toBe(6);
      expect(bin.errors).toEqual([]);
    });
  });
});
