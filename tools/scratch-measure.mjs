import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
const R = '/work/main';
const dirs = [...readdirSync(join(R, 'tools/test/corpus/torch')).map((d) => join(R, 'tools/test/corpus/torch', d)), ...['16k-op15', 'v4-legacy', 'v5'].map((d) => join(R, 'tools/test/corpus/silero', d)), join(R, 'examples/kws-lstm'), join(R, 'examples/kws-lstm-sparse')];
const sizes = [];
for (const d of dirs) {
  const m = join(d, 'model.onnx');
  if (!existsSync(m)) continue;
  const name = d.split('/').pop();
  try {
    execFileSync('node', [join(R, 'tools/dist/lstmc.mjs'), 'compile', m, '--target', 'js', '-o', `/tmp/ent/${name}.lrg`], { stdio: 'pipe' });
    execFileSync('node', [join(R, 'tools/dist/lstmc.mjs'), 'runtime-entry', `/tmp/ent/${name}.lrg`, '-o', join(R, `tools/.ent-${name}.mjs`)], { stdio: 'pipe' });
  } catch (e) { console.log(name, 'FAILED', String(e.stderr)); continue; }
  writeFileSync(join(R, `tools/.app-${name}.mjs`), `import { loadModel } from './.ent-${name}.mjs';\nexport { loadModel };\n`);
  await build({ entryPoints: [join(R, `tools/.app-${name}.mjs`)], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outfile: `/tmp/ent/${name}.bundle.mjs`, minify: true, conditions: ['source'], logLevel: 'silent' });
  const n = readFileSync(`/tmp/ent/${name}.bundle.mjs`).length;
  const k = readFileSync(join(R, `tools/.ent-${name}.mjs`), 'utf8').split('\n').filter((l) => /^    /.test(l)).length;
  sizes.push([n, name, k]);
}
sizes.sort((a, b) => a[0] - b[0]);
for (const s of sizes) console.log(s.join('\t'));
