/**
 * The workspace's dependency rule (layering.json at the repository root),
 * checked against what the packages really declare and import: every
 * package.json dependency on a workspace package and every import of src/
 * and test/ must point to a lower layer, and every import must be declared.
 * `layeringViolations` is pure (tested on made-up workspaces too);
 * `readWorkspace` reads the real one from disk.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

export interface LayeringRules {
  /** Workspace folders by layer, bottom first. */
  readonly layers: readonly (readonly string[])[];
  /** Plugin packages (a folder glob `dir/prefix-*`) and the only workspace packages they may use. */
  readonly plugins: { readonly workspaces: string; readonly mayImport: readonly string[] };
  /** Test helper packages: devDependencies only, with no workspace dependency of their own. */
  readonly testOnly: readonly string[];
  /** Packages with no npm dependency at all. */
  readonly noNpmDependencies: readonly string[];
}

export interface SourceFile {
  /** Relative to the package folder, '/'-separated: `src/index.ts`, `test/x.test.ts`. */
  readonly path: string;
  readonly text: string;
}

export interface WorkspacePackage {
  /** Relative to the repository root, '/'-separated: `packages/ir`. */
  readonly dir: string;
  readonly name: string;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly peerDependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
  readonly files: readonly SourceFile[];
}

/** Workspace globs are plain folders or `dir/prefix-*`. */
export function matchesWorkspaceGlob(glob: string, dir: string): boolean {
  return glob.endsWith('*') ? dir.startsWith(glob.slice(0, -1)) && !dir.slice(glob.length - 1).includes('/') : dir === glob;
}

/** Module specifiers of `import ... from`, `export ... from`, `import '...'` and `import('...')` (JSDoc types included). */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const re of [/\bfrom\s+['"]([^'"\n]+)['"]/g, /\bimport\s+['"]([^'"\n]+)['"]/g, /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g])
    for (const m of text.matchAll(re)) out.push(m[1]);
  return out;
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

type Place = { readonly kind: 'layer'; readonly rank: number } | { readonly kind: 'plugin' } | { readonly kind: 'test-only' };

export function layeringViolations(pkgs: readonly WorkspacePackage[], rules: LayeringRules): string[] {
  const out: string[] = [];
  const listed = [...rules.layers.flat(), ...rules.testOnly];
  for (const d of new Set(listed)) if (listed.filter((x) => x === d).length > 1) out.push(`layering.json: '${d}' is listed more than once`);
  const placeOf = (dir: string): Place | undefined => {
    const rank = rules.layers.findIndex((l) => l.includes(dir));
    if (rank >= 0) return { kind: 'layer', rank };
    if (rules.testOnly.includes(dir)) return { kind: 'test-only' };
    if (matchesWorkspaceGlob(rules.plugins.workspaces, dir)) return { kind: 'plugin' };
    return undefined;
  };
  const byName = new Map(pkgs.map((p) => [p.name, p]));
  const place = new Map<WorkspacePackage, Place>();
  for (const p of pkgs) {
    const pl = placeOf(p.dir);
    if (pl) place.set(p, pl);
    else out.push(`${p.dir}: not placed in layering.json`);
  }
  const describe = (p: WorkspacePackage): string => {
    const pl = place.get(p);
    return pl?.kind === 'layer' ? `${p.name} (layer ${pl.rank})` : `${p.name} (${pl?.kind ?? 'unplaced'})`;
  };
  /** Why package `from` may not use `to` (in test code when `inTests`), or undefined when it may. */
  const forbidden = (from: WorkspacePackage, to: WorkspacePackage, inTests: boolean): string | undefined => {
    const pf = place.get(from);
    const pt = place.get(to);
    if (!pf || !pt) return undefined; // reported as unplaced
    if (pf.kind === 'test-only') return 'test-only packages depend on no workspace package';
    if (pt.kind === 'test-only') return inTests ? undefined : `${to.name} is test-only`;
    if (pf.kind === 'plugin') return rules.plugins.mayImport.includes(to.name) ? undefined : `plugins may use only ${rules.plugins.mayImport.join(', ')}`;
    if (pt.kind === 'plugin') return 'no workspace package depends on a plugin';
    return pt.rank < pf.rank ? undefined : `${describe(to)} is not below ${describe(from)}`;
  };

  for (const p of pkgs) {
    const fields = { dependencies: p.dependencies, peerDependencies: p.peerDependencies, devDependencies: p.devDependencies };
    for (const [field, deps] of Object.entries(fields))
      for (const dep of Object.keys(deps)) {
        const q = byName.get(dep);
        if (!q) {
          if (field !== 'devDependencies' && rules.noNpmDependencies.includes(p.dir)) out.push(`${p.dir}: package.json ${field} has npm package ${dep}, and ${p.name} takes no npm dependency`);
          continue;
        }
        const why = forbidden(p, q, field === 'devDependencies');
        if (why) out.push(`${p.dir}: package.json ${field} has ${dep}: ${why}`);
      }

    const srcImports = new Set<string>();
    for (const f of p.files) {
      const inTests = !f.path.startsWith('src/');
      for (const spec of importsOf(f.text)) {
        const where = `${p.dir}/${f.path}`;
        if (spec.startsWith('.')) {
          const target = posix.normalize(posix.join(p.dir, posix.dirname(f.path), spec));
          const owner = pkgs.find((q) => target === q.dir || target.startsWith(`${q.dir}/`));
          if (!owner || owner === p) continue;
          if (!inTests) out.push(`${where}: '${spec}' reaches into ${owner.dir}: import ${owner.name} by name`);
          else {
            const why = forbidden(p, owner, true);
            if (why) out.push(`${where}: '${spec}' reaches into ${owner.dir}: ${why}`);
          }
          continue;
        }
        const name = packageOf(spec);
        const q = byName.get(name);
        if (!q || q === p) continue;
        if (!inTests) srcImports.add(name);
        const declared = name in p.dependencies || name in p.peerDependencies || (inTests && name in p.devDependencies);
        if (!declared)
          out.push(`${where}: imports ${name}, which ${p.dir}/package.json does not declare in ${inTests ? 'dependencies, peerDependencies or devDependencies' : 'dependencies or peerDependencies'}`);
        const why = forbidden(p, q, inTests);
        if (why) out.push(`${where}: imports ${name}: ${why}`);
      }
    }
    for (const dep of Object.keys(p.dependencies))
      if (byName.has(dep) && !srcImports.has(dep)) out.push(`${p.dir}: package.json dependencies has ${dep}, which nothing in src/ imports`);
  }
  return out;
}

const SOURCE_EXT = /\.(ts|mts|js|mjs|cjs)$/;

function sourceFiles(pkgDir: string, sub: string): SourceFile[] {
  const root = join(pkgDir, sub);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && SOURCE_EXT.test(e.name))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .filter((f) => !f.includes('/node_modules/'))
    .map((f) => ({ path: posix.join(sub, f.slice(root.length + 1)), text: readFileSync(f, 'utf8') }));
}

/** The workspace packages listed by the root package.json, with their src/ and test/ sources. */
export function readWorkspace(root: string): WorkspacePackage[] {
  const globs: string[] = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
  const dirs = globs.flatMap((g) => {
    if (!g.endsWith('*')) return [g];
    const parent = dirname(g);
    return existsSync(join(root, parent))
      ? readdirSync(join(root, parent), { withFileTypes: true })
          .filter((e) => e.isDirectory() && matchesWorkspaceGlob(g, `${parent}/${e.name}`))
          .map((e) => `${parent}/${e.name}`)
      : [];
  });
  return dirs.map((dir) => {
    const pj = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    return {
      dir,
      name: pj.name,
      dependencies: pj.dependencies ?? {},
      peerDependencies: pj.peerDependencies ?? {},
      devDependencies: pj.devDependencies ?? {},
      files: [...sourceFiles(join(root, dir), 'src'), ...sourceFiles(join(root, dir), 'test')],
    };
  });
}
