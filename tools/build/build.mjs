// A package's build (`npm run build` in a package directory; nx runs it after its dependencies):
//   1. `tsc -p tsconfig.build.json` writes the declarations (and type-checks); no JavaScript.
//   2. esbuild bundles each export and bin from `src` into one ES module each under dist/, with
//      code shared between them in dist/chunks (one file to import instead of one per source
//      file: core-types imports in ~4 ms instead of ~17 ms).
//   3. The exports again as CommonJS under dist/cjs/ (a `package.json` there says so), converted
//      file by file from an ES build of the exports alone, so the CommonJS files share their
//      chunks the same way and no class or module state exists twice. Declarations are copied
//      beside them, so `require` resolves types that TypeScript reads as CommonJS.
// The layout is read from package.json (see packageLayout.mjs). Dependencies stay external and
// must be declared; with --inline-workspace, the workspace packages a package does not declare
// are bundled into it from their sources, and their declarations into its own (rollup-plugin-dts),
// so the CLI's tarball needs none of the others, for its code or its types.
// With --bins-only, only the bins are bundled, from sources, with every workspace package
// inlined: a fast, complete build that a package's `prepare` step runs on `npm ci` so that
// `npx ecrkit` works before any full build.
// Source maps resolve in the tarball: they lead to src/ where it is shipped (with the declaration
// maps), and carry the sources where it is not (the CLI).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';
import { externalsPlugin, isExternalFor, packageLayout, workspacePackages } from './packageLayout.mjs';

const args = new Set(process.argv.slice(2));
const binsOnly = args.has('--bins-only');
const inlineWorkspace = binsOnly || args.has('--inline-workspace');
const packageDir = process.cwd();
const layout = packageLayout(packageDir);
const dist = join(packageDir, 'dist');
const workspace = workspacePackages();
const esbuildCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // Maps lead to src/ where the tarball ships it, and carry the sources where it does not.
  sourcesContent: !layout.shipsSources,
  // The workspace packages that are inlined are bundled from their TypeScript sources.
  conditions: ['@ecrkit/source'],
  logLevel: 'warning',
  plugins: [externalsPlugin({ pkg: layout.pkg, workspace, inlineWorkspace, allowUndeclared: binsOnly })],
};

if (binsOnly) {
  // `prepare` also runs on `npm pack` and `npm publish`, which ship the full build instead.
  if (layout.bins.length === 0 || ['pack', 'publish'].includes(process.env.npm_command)) process.exit(0);
  await build({ ...esbuildCommon, entryPoints: entryMap(layout.bins), outdir: dist, format: 'esm', splitting: true, chunkNames: 'chunks/[name]-[hash]' });
  process.exit(0);
}

rmSync(dist, { recursive: true, force: true });
runTsc();
if (inlineWorkspace) await bundleDeclarations();
await build({
  ...esbuildCommon,
  entryPoints: entryMap([...layout.exports, ...layout.bins]),
  outdir: dist,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
if (layout.exports.length > 0) await buildCommonJs();

/** esbuild's entry map: output path under dist (without `.js`) to source file. */
function entryMap(entries) {
  return Object.fromEntries(entries.map((e) => [e.out.replace(/\.js$/, ''), join(packageDir, e.source)]));
}

function runTsc() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  // Declaration maps point at src/, so they are written only when the tarball ships src/.
  const flags = ['-p', 'tsconfig.build.json', '--emitDeclarationOnly', '--declarationMap', String(layout.shipsSources)];
  const result = spawnSync(process.execPath, [tsc, ...flags], { cwd: packageDir, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/**
 * With the workspace packages bundled into the JavaScript, their types must be too: each
 * export's declarations become one file with the workspace packages' declarations inlined
 * (rollup-plugin-dts), so they need nothing but the declared dependencies.
 */
async function bundleDeclarations() {
  const isExternal = isExternalFor(layout.pkg);
  const bundled = new Map();
  for (const e of layout.exports) {
    const input = join(dist, e.out.replace(/\.js$/, '.d.ts'));
    const bundle = await rollup({ input, plugins: [dts({ respectExternal: true, tsconfig: join(packageDir, 'tsconfig.build.json') })], external: isExternal });
    const { output } = await bundle.generate({ format: 'es' });
    await bundle.close();
    bundled.set(input, output[0].code);
  }
  rmSync(dist, { recursive: true, force: true });
  for (const [file, code] of bundled) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, code);
  }
}

async function buildCommonJs() {
  const cjs = join(dist, 'cjs');
  const esm = join(dist, '.esm-for-cjs');
  try {
    await build({ ...esbuildCommon, entryPoints: entryMap(layout.exports), outdir: esm, format: 'esm', splitting: true, chunkNames: 'chunks/[name]-[hash]' });
    const files = listFiles(esm).filter((f) => f.endsWith('.js'));
    await build({
      entryPoints: files,
      outbase: esm,
      outdir: cjs,
      bundle: false,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      // `import()` becomes `require()`: Jest's default (CommonJS) mode cannot run `import()`.
      supported: { 'dynamic-import': false },
      sourcemap: 'linked',
      sourcesContent: !layout.shipsSources,
      logLevel: 'warning',
    });
    // An entry that only re-exports its chunk maps to the ES file it was converted from, which
    // has no source of its own: carry that file's text so the map still resolves.
    for (const file of listFiles(cjs).filter((f) => f.endsWith('.js.map'))) {
      const map = JSON.parse(readFileSync(file, 'utf8'));
      const paths = map.sources.map((source) => join(dirname(file), source));
      if (!paths.some((path) => path.startsWith(`${esm}/`))) continue;
      map.sourcesContent = paths.map((path, i) => (path.startsWith(`${esm}/`) ? readFileSync(path, 'utf8') : (map.sourcesContent?.[i] ?? null)));
      writeFileSync(file, JSON.stringify(map));
    }
  } finally {
    rmSync(esm, { recursive: true, force: true });
  }
  writeFileSync(join(cjs, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  // The same declarations, read as CommonJS because of the package.json above.
  for (const file of listFiles(dist)) {
    if (file.startsWith(`${cjs}/`) || !/\.d\.ts(\.map)?$/.test(file)) continue;
    const target = join(cjs, relative(dist, file));
    mkdirSync(dirname(target), { recursive: true });
    if (file.endsWith('.map')) {
      const map = JSON.parse(readFileSync(file, 'utf8'));
      map.sources = map.sources.map((source) => `../${source}`);
      writeFileSync(target, JSON.stringify(map));
    } else cpSync(file, target);
  }
}

function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}
