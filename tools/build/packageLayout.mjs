// The one description of a package's published layout, read from its package.json by the build
// (build.mjs) and the packaging check. Every export looks like this (for `src/X.ts`):
//   "./sub": {
//     "@ecrkit/source": "./src/X.ts",                                        (workspace: tests, tsc)
//     "import":  { "types": "./dist/X.d.ts",     "default": "./dist/X.js" },
//     "require": { "types": "./dist/cjs/X.d.ts", "default": "./dist/cjs/X.js" },
//     "default": { "types": "./dist/X.d.ts",     "default": "./dist/X.js" }
//   }
// and every bin is `./dist/Y.js` built from `src/Y.ts`. The other packaging fields (license,
// repository, engines, files, build scripts) follow from those (layoutFields); a package in another
// shape, such as a new one, is rewritten into this one by `npm run package:layout -- <its dir>`.
import { builtinModules } from 'node:module';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
    const fix = `(npm run package:layout -- ${relative(root, dir)} rewrites it)`;
    if (typeof source !== 'string' || !/^\.\/src\/.+\.ts$/.test(source))
      fail(`export '${subpath}' needs an "@ecrkit/source" condition naming ./src/….ts ${fix}`);
    const expected = exportEntry(source);
    if (JSON.stringify(entry) !== JSON.stringify(expected)) {
      fail(`export '${subpath}' must read (condition order matters) ${fix}:\n${JSON.stringify({ [subpath]: expected }, null, 2)}`);
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

const repositoryUrl = 'git+https://github.com/ecrkit/ecrkit.git';

/**
 * The packaging fields of the package in `dir` in the one layout, kept from what its package.json
 * says: the sources of its exports (the `@ecrkit/source` condition, or else the `./dist/X.js` or
 * `.d.ts` file an export names, from `src/X.ts`), its bins, and whether its build inlines the
 * workspace packages (then its tarball ships no `src/`, as the CLI's does not).
 */
export function layoutFields(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const exports = {};
  for (const [subpath, entry] of Object.entries(pkg.exports ?? {})) {
    if (subpath === './package.json') continue;
    const named = typeof entry === 'object' && typeof entry['@ecrkit/source'] === 'string' ? entry['@ecrkit/source'] : undefined;
    const built = JSON.stringify(entry).match(/\.\/dist\/(?!cjs\/)([^"]+?)(?:\.d)?\.js"|\.\/dist\/(?!cjs\/)([^"]+?)\.d\.ts"/);
    const stem = built ? (built[1] ?? built[2]) : undefined;
    const source = named ?? (stem ? `./src/${stem}.ts` : undefined);
    if (!source) throw new Error(`${pkg.name}: export '${subpath}' names no ./src/….ts nor ./dist/… file to derive it from`);
    exports[subpath] = exportEntry(source);
  }
  const main = exports['.']?.require;
  if (Object.keys(exports).length > 0) exports['./package.json'] = './package.json';
  const inlinesWorkspace = /--inline-workspace/.test(pkg.scripts?.build ?? '');
  const build = `node ${relative(dir, root)}/tools/build/build.mjs`;
  const hasBins = typeof pkg.bin === 'string' || Object.keys(pkg.bin ?? {}).length > 0;
  // Existing scripts keep their place.
  const scripts = { ...pkg.scripts, build: inlinesWorkspace ? `${build} --inline-workspace` : build };
  // `npx <bin>` works right after `npm ci`: bins are built from sources on install.
  if (hasBins) scripts.prepare = `${build} --bins-only`;
  else delete scripts.prepare;
  return {
    license: 'Apache-2.0',
    repository: { type: 'git', url: repositoryUrl, directory: relative(root, dir) },
    type: 'module',
    engines: { ...pkg.engines, node: rootPkg.engines.node },
    exports,
    ...(main ? { main: main.default, types: main.types } : {}),
    files: inlinesWorkspace ? ['dist', 'README.md', 'LICENSE'] : ['dist', 'src', '!src/**/*.test.ts', '!src/**/*.test-d.ts', 'README.md', 'LICENSE'],
    scripts,
  };
}

/** The fields of `dir`'s package.json that differ from layoutFields (empty when it is in the layout). */
export function layoutDifferences(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return Object.entries(layoutFields(dir))
    .filter(([key, value]) => JSON.stringify(pkg[key]) !== JSON.stringify(value))
    .map(([key]) => key);
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

// `npm run package:layout -- <dir>...`: rewrites each package's packaging fields into the layout
// (other fields keep their place) and gives it the repository's LICENSE.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) {
    console.error('usage: npm run package:layout -- <package dir>...');
    process.exit(2);
  }
  for (const dir of dirs.map((d) => resolve(process.env.INIT_CWD ?? process.cwd(), d))) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const fields = layoutFields(dir);
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ ...pkg, ...fields }, null, 2)}\n`);
    copyFileSync(join(root, 'LICENSE'), join(dir, 'LICENSE'));
    packageLayout(dir);
    console.log(`${pkg.name}: ${relative(root, dir)}/package.json and LICENSE in the layout`);
  }
}
