// The one description of a package's published layout, read from its package.json by the build
// (build.mjs) and the packaging check. Every export looks like this (for `src/X.ts`):
//   "./sub": {
//     "@ecrkit/source": "./src/X.ts",                                        (workspace: tests, tsc)
//     "import":  { "types": "./dist/X.d.ts",     "default": "./dist/X.js" },
//     "require": { "types": "./dist/cjs/X.d.ts", "default": "./dist/cjs/X.js" },
//     "default": { "types": "./dist/X.d.ts",     "default": "./dist/X.js" }
//   }
// and every bin is `./dist/Y.js` built from `src/Y.ts`.
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

/** The export map entry for a source file `src/X.ts`. */
export function exportEntry(source) {
  const stem = source.replace(/^\.\/src\//, '').replace(/\.ts$/, '');
  const esm = { types: `./dist/${stem}.d.ts`, default: `./dist/${stem}.js` };
  return { '@ecrkit/source': `./src/${stem}.ts`, import: esm, require: { types: `./dist/cjs/${stem}.d.ts`, default: `./dist/cjs/${stem}.js` }, default: esm };
}

/**
 * A package's entries: `exports` and `bins` as `{ source: 'src/X.ts', out: 'X.js' }` (out is
 * relative to dist/), whether its tarball ships src/, and its package.json. Throws, naming the
 * package and showing the expected entry, when the layout is not the one above.
 */
export function packageLayout(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const fail = (message) => {
    throw new Error(`${pkg.name}: ${message}`);
  };
  const exports = [];
  for (const [subpath, entry] of Object.entries(pkg.exports ?? {})) {
    if (subpath === './package.json') continue;
    const source = typeof entry === 'object' ? entry['@ecrkit/source'] : undefined;
    if (typeof source !== 'string' || !/^\.\/src\/.+\.ts$/.test(source)) fail(`export '${subpath}' needs an "@ecrkit/source" condition naming ./src/….ts`);
    const expected = exportEntry(source);
    if (JSON.stringify(entry) !== JSON.stringify(expected)) {
      fail(`export '${subpath}' must read (condition order matters):\n${JSON.stringify({ [subpath]: expected }, null, 2)}`);
    }
    if (!existsSync(join(dir, source))) fail(`export '${subpath}': ${source} does not exist`);
    exports.push({ subpath, source: source.slice(2), out: expected.import.default.slice('./dist/'.length) });
  }
  const bins = [];
  for (const [name, target] of Object.entries(typeof pkg.bin === 'string' ? { [pkg.name.split('/').pop()]: pkg.bin } : (pkg.bin ?? {}))) {
    const match = /^(?:\.\/)?dist\/(.+)\.js$/.exec(target);
    if (!match) fail(`bin '${name}' must be ./dist/….js (built from src/….ts)`);
    const source = `src/${match[1]}.ts`;
    if (!existsSync(join(dir, source))) fail(`bin '${name}': ${source} does not exist`);
    bins.push({ name, source, out: `${match[1]}.js` });
  }
  const files = pkg.files ?? [];
  return { pkg, exports, bins, shipsSources: files.includes('src') };
}

/** Every workspace package: name to directory. */
export function workspacePackages() {
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const found = new Map();
  for (const pattern of rootPkg.workspaces) {
    const parent = join(root, pattern.replace(/\/\*$/, ''));
    for (const name of readdirSync(parent)) {
      const file = join(parent, name, 'package.json');
      if (existsSync(file)) found.set(JSON.parse(readFileSync(file, 'utf8')).name, join(parent, name));
    }
  }
  return found;
}

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
export function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const builtins = new Set(builtinModules);
const isBuiltin = (spec) => spec.startsWith('node:') || builtins.has(spec) || builtins.has(spec.split('/')[0]);
const declaredOf = (pkg) => new Set(['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) => Object.keys(pkg[field] ?? {})));

/** Whether a bare import stays an import of another package: a Node built-in or a declared dependency. */
export function isExternalFor(pkg) {
  const declared = declaredOf(pkg);
  return (spec) => !spec.startsWith('.') && !spec.startsWith('/') && (isBuiltin(spec) || declared.has(packageNameOf(spec)));
}

/**
 * esbuild plugin: Node built-ins and declared dependencies stay external; workspace packages are
 * bundled when `inlineWorkspace`; anything else is an error naming the import (unless
 * `allowUndeclared`, for workspace-only builds whose dependencies are all hoisted).
 */
export function externalsPlugin({ pkg, workspace, inlineWorkspace, allowUndeclared = false }) {
  const isExternal = isExternalFor(pkg);
  return {
    name: 'ecrkit-externals',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        const spec = args.path;
        if (args.kind === 'entry-point' || spec.startsWith('.') || spec.startsWith('/')) return undefined;
        if (isExternal(spec)) return { path: spec, external: true };
        const name = packageNameOf(spec);
        if (inlineWorkspace && workspace.has(name)) return undefined;
        if (allowUndeclared) return { path: spec, external: true };
        const fix = workspace.has(name) ? 'add it, or build with --inline-workspace to bundle it' : `add it to ${pkg.name}'s dependencies`;
        return { errors: [{ text: `'${spec}' is imported by ${relative(root, args.importer)} but '${name}' is not a dependency of ${pkg.name}: ${fix}` }] };
      });
    },
  };
}
