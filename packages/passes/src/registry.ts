/**
 * A registry maps pass names to passes and remembers where each came from
 * (built-in or the plugin that contributed it), so errors can name both.
 * Registries are immutable values: adding a plugin returns a new registry.
 */
import { fail } from '@lstmc/ir';
import type { AnyPass } from './pass.js';

export interface RegisteredPass {
  readonly pass: AnyPass;
  /** Plugin specifier (path or package name); undefined for built-ins. */
  readonly plugin?: string;
}

export interface Registry {
  readonly passes: ReadonlyMap<string, RegisteredPass>;
}

const PASS_NAME_RE = /^[a-z][a-z0-9-]*$/;

export function makeRegistry(passes: Readonly<Record<string, AnyPass>>): Registry {
  const m = new Map<string, RegisteredPass>();
  for (const [key, pass] of Object.entries(passes)) {
    if (key !== pass.name) throw new Error(`registry key '${key}' differs from pass name '${pass.name}'`);
    m.set(key, Object.freeze({ pass }));
  }
  return Object.freeze({ passes: m });
}

/** The registry extended with a plugin's passes; a name clash is a user error naming both. */
export function addPluginPasses(reg: Registry, plugin: string, passes: readonly AnyPass[]): Registry {
  const m = new Map(reg.passes);
  for (const pass of passes) {
    if (!PASS_NAME_RE.test(pass.name))
      fail('E-PLUGIN-PASS', `plugin '${plugin}': pass name '${pass.name}' must match ${PASS_NAME_RE.source}`, {
        file: plugin,
        field: pass.name,
      });
    const prev = m.get(pass.name);
    if (prev)
      fail(
        'E-PLUGIN-CLASH',
        `plugin '${plugin}': pass '${pass.name}' clashes with ${prev.plugin ? `pass of plugin '${prev.plugin}'` : 'a built-in pass'}`,
        { file: plugin, field: pass.name },
      );
    m.set(pass.name, Object.freeze({ pass, plugin }));
  }
  return Object.freeze({ passes: m });
}

/** `pass 'x'` or `pass 'x' of plugin 'p'`, for messages. */
export function describePass(reg: Registry, name: string): string {
  const p = reg.passes.get(name);
  return p?.plugin ? `pass '${name}' of plugin '${p.plugin}'` : `pass '${name}'`;
}
