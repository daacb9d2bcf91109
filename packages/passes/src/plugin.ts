/**
 * Third-party plugins: an ES module (a path, or a package name resolved from
 * the working directory) whose default export (or `plugin` export) is
 * `{ name, passes }`. Plugin passes implement the same PassDef interface as
 * built-ins; errors name the plugin and the pass.
 */
import { createRequire } from 'node:module';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fail } from '@lstmc/ir';
import type { OptionSpec } from './options.js';
import { parseOptionValue, formatOptionValue } from './options.js';
import type { AnyPass } from './pass.js';
import { type Registry, addPluginPasses } from './registry.js';

export interface LstmcPlugin {
  readonly name: string;
  readonly passes: readonly AnyPass[];
}

/** Identity helper for plugin authors (typed). */
export function definePlugin(p: LstmcPlugin): LstmcPlugin {
  return p;
}

export interface LoadPluginOptions {
  /** Directory package names and relative paths resolve from (default: process.cwd()). */
  readonly cwd?: string;
}

function isPath(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec) || /\.(m?js|cjs)$/.test(spec);
}

async function importPlugin(spec: string, cwd: string): Promise<unknown> {
  let url: string;
  const dir = isPath(spec) ? packageDir(resolvePath(cwd, spec)) : undefined;
  if (dir) url = pathToFileURL(createRequire(join(dir.path, 'package.json')).resolve(dir.name)).href;
  else if (isPath(spec)) url = pathToFileURL(resolvePath(cwd, spec)).href;
  else {
    try {
      url = pathToFileURL(createRequire(resolvePath(cwd, 'package.json')).resolve(spec)).href;
    } catch {
      url = spec;
    }
  }
  try {
    return await import(url);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT';
    return fail(
      'E-PLUGIN-LOAD',
      notFound ? `plugin '${spec}' not found` : `plugin '${spec}' failed to load: ${e instanceof Error ? e.message : String(e)}`,
      { file: spec },
    );
  }
}

/** A folder holding a package.json with a name: a plugin package given by path. */
function packageDir(path: string): { path: string; name: string } | undefined {
  try {
    if (!statSync(path).isDirectory()) return undefined;
    const pkg = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as { name?: unknown };
    return typeof pkg.name === 'string' ? { path, name: pkg.name } : undefined;
  } catch {
    return undefined;
  }
}

/** Load a plugin and return the registry extended with its passes. */
export async function loadPlugin(spec: string, reg: Registry, o: LoadPluginOptions = {}): Promise<Registry> {
  const mod = (await importPlugin(spec, o.cwd ?? process.cwd())) as Record<string, unknown>;
  const plugin = (mod.default ?? mod.plugin) as Partial<LstmcPlugin> | undefined;
  if (!plugin || typeof plugin !== 'object' || !Array.isArray(plugin.passes))
    fail('E-PLUGIN-SHAPE', `plugin '${spec}' must export default { name, passes: [...] }`, { file: spec });
  const label = typeof plugin.name === 'string' && plugin.name ? `${plugin.name} (${spec})` : spec;
  plugin.passes.forEach((p, i) => checkPassShape(p, label, i));
  return addPluginPasses(reg, label, plugin.passes as AnyPass[]);
}

/** Structural check of a plugin's pass: everything the manager relies on. */
export function checkPassShape(p: unknown, plugin: string, index: number): asserts p is AnyPass {
  const o = p as Record<string, unknown> | null;
  const name = o && typeof o.name === 'string' ? o.name : `#${index}`;
  const bad = (what: string): never => fail('E-PLUGIN-SHAPE', `plugin '${plugin}', pass '${name}': ${what}`, { file: plugin, field: name });
  if (!o || typeof o !== 'object') bad('not an object');
  if (typeof o!.name !== 'string') bad('needs a string `name`');
  if (typeof o!.summary !== 'string') bad('needs a one-line `summary`');
  if (typeof o!.run !== 'function') bad('needs a `run(graph, ctx)` function');
  for (const k of ['requires', 'establishes', 'invalidates'])
    if (!Array.isArray(o![k]) || !(o![k] as unknown[]).every((x) => typeof x === 'string')) bad(`\`${k}\` must be an array of property names`);
  if (!o!.counters || typeof o!.counters !== 'object') bad('needs a `counters` object (may be empty)');
  if (!o!.options || typeof o!.options !== 'object') bad('needs an `options` object (may be empty)');
  for (const [k, spec] of Object.entries(o!.options as Record<string, OptionSpec>)) {
    const kinds = ['int', 'float', 'float-or-auto', 'bool', 'enum', 'string', 'dims'];
    if (!spec || !kinds.includes(spec.kind)) bad(`option '${k}' has no valid kind (${kinds.join(', ')})`);
    if (spec.kind === 'enum' && (!Array.isArray(spec.values) || !spec.values.includes(spec.default))) bad(`option '${k}': default must be one of its values`);
    // The default must survive the option parser, so canonical printing round-trips.
    const text = formatOptionValue(spec, spec.default as never);
    const parsed = parseOptionValue(spec, text.startsWith('"') ? (JSON.parse(text) as string) : text);
    if (!parsed.ok) bad(`option '${k}': default ${text} is invalid (${parsed.reason})`);
  }
}
