// `npm run fuzz -- [--runs N] [--seed S] [--only a,b] [--budget MS] [--json FILE]`: the fuzzing
// suite of tools/test/fuzz over every entry point, N cases each (default 1000), and a table of
// outcomes per entry point: ok, diagnostic (lstmc's own error), and the findings foreign (another
// exception), hang (a call over the time box) and nonfinite (a NaN/Inf from finite inputs, not
// reported). Exit 1 when there is a finding; each is printed with its shrunk case.
//
// Each entry point runs in a worker thread: a watchdog ends a worker whose call has not returned
// after 3x the time box (a real hang in synchronous code) and records the case it was running.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ROOT } from './load-sources.mjs';

const { values } = parseArgs({
  options: { runs: { type: 'string' }, seed: { type: 'string' }, only: { type: 'string' }, budget: { type: 'string' }, json: { type: 'string' } },
});
const runs = Number(values.runs ?? 1000);
const seed = Number(values.seed ?? 1);
const budgetMs = Number(values.budget ?? 10000);
if (!(Number.isSafeInteger(runs) && runs > 0) || !Number.isSafeInteger(seed) || !(budgetMs > 0)) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed S] [--only a,b] [--budget MS] [--json FILE]');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'lstmc-fuzz-'));
const bundle = join(dir, 'fuzz.mjs');
await build({
  stdin: { contents: "export * from './tools/test/fuzz/index.ts';", resolveDir: ROOT, loader: 'ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: bundle,
  conditions: ['source'],
  external: ['onnxruntime-node'],
  logLevel: 'warning',
});
const lib = await import(pathToFileURL(bundle).href);
const names = values.only ? values.only.split(',') : lib.ENTRY_POINTS.map((e) => e.name);
for (const n of names) lib.entryPoint(n);

const WORKER = `
import { parentPort, workerData } from 'node:worker_threads';
const lib = await import(workerData.url);
const r = await lib.fuzzEntry(lib.entryPoint(workerData.entry), {
  runs: workerData.runs, seed: workerData.seed, budgetMs: workerData.budgetMs,
  onCase: (c) => parentPort.postMessage({ type: 'case', input: lib.caseToJson(c) }),
});
parentPort.postMessage({ type: 'done', result: { ...r, findings: r.findings.map((f) => ({ ...f, input: lib.caseToJson(f.input) })) } });
`;

function runEntry(entry) {
  return new Promise((resolve) => {
    const w = new Worker(WORKER, { eval: true, workerData: { url: pathToFileURL(bundle).href, entry, runs, seed, budgetMs } });
    let last = 'null';
    let seen = 0;
    let timer;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        w.terminate();
        const counts = Object.fromEntries(lib.OUTCOMES.map((k) => [k, 0]));
        counts.hang = 1;
        resolve({ entry, counts, codes: {}, ms: 3 * budgetMs, findings: [{ entry, outcome: 'hang', detail: `no return after ${3 * budgetMs} ms (case ${seen} of the run; earlier counts lost)`, input: last, seed }] });
      }, 3 * budgetMs);
    };
    arm();
    w.on('message', (m) => {
      if (m.type === 'case') {
        last = m.input;
        seen++;
        arm();
      } else {
        clearTimeout(timer);
        resolve(m.result);
      }
    });
    w.on('error', (e) => {
      clearTimeout(timer);
      const counts = Object.fromEntries(lib.OUTCOMES.map((k) => [k, 0]));
      counts.foreign = 1;
      resolve({ entry, counts, codes: {}, ms: 0, findings: [{ entry, outcome: 'foreign', detail: `worker died: ${e.stack ?? e}`, input: last, seed }] });
    });
  });
}

console.log(`lstmc fuzz: ${runs} case(s) per entry point, seed ${seed}, time box ${budgetMs} ms`);
const results = [];
try {
  for (const entry of names) {
    const r = await runEntry(entry);
    results.push(r);
    const c = r.counts;
    const codes = Object.entries(r.codes).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(`  ${entry}: ${lib.OUTCOMES.map((k) => `${k} ${c[k]}`).join(', ')} (${(r.ms / 1000).toFixed(1)} s)${codes ? `\n      codes: ${codes}` : ''}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log('');
process.stdout.write(lib.formatCounts(results));
const findings = results.flatMap((r) => r.findings);
for (const f of findings) console.log(`\nFINDING ${f.entry} ${f.outcome} (seed ${f.seed}${f.path ? `, path ${f.path}` : ''}): ${f.detail.split('\n').slice(0, 6).join('\n  ')}\n  case: ${f.input.replace(/\s+/g, ' ').slice(0, 2000)}`);
if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2));
process.exit(findings.length ? 1 : 0);
