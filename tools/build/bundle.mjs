// Build step after `tsc`: bundle the package's compiled entry points (its `exports` and `bin`)
// into one ES module each, with code shared between entries in chunks, and delete the
// per-file JavaScript tsc left behind. Importing one file instead of one per source file cuts
// core-types' import from about 17 ms to 4 ms. Declarations (`.d.ts`) stay as tsc wrote them;
// other packages stay external, and source maps lead back to `src`.
// Usage, in a package directory: node ../../tools/build/bundle.mjs
import { readdirSync, readFileSync, renameSync, rmSync, mkdtempSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';

const packageDir = process.cwd();
const dist = join(packageDir, 'dist');
const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

const entryFiles = new Set();
for (const target of Object.values(pkg.exports ?? {})) {
  if (typeof target === 'object' && typeof target.import === 'string') entryFiles.add(target.import);
}
for (const bin of typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {})) entryFiles.add(bin);
const entryPoints = [...entryFiles].map((file) => join(packageDir, file));
if (entryPoints.some((file) => !file.startsWith(`${dist}/`) || !file.endsWith('.js'))) {
  throw new Error(`${pkg.name}: every export and bin must be a .js file under dist/`);
}

const out = mkdtempSync(join(packageDir, '.bundle-'));
try {
  await build({
    entryPoints,
    outbase: dist,
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    sourcesContent: false,
    logLevel: 'warning',
  });
  // Replace the compiled JavaScript (and its maps) with the bundles; keep the declarations.
  const removeJs = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) removeJs(path);
      else if (/\.js(\.map)?$/.test(entry.name)) rmSync(path);
    }
  };
  removeJs(dist);
  const moveAll = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) moveAll(path);
      else {
        const target = join(dist, relative(out, path));
        mkdirSync(dirname(target), { recursive: true });
        renameSync(path, target);
      }
    }
  };
  moveAll(out);
} finally {
  rmSync(out, { recursive: true, force: true });
}
