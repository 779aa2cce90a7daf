// `npm run check:packages`: every publishable package under packages/ is built, packed with
// `npm pack`, installed from its tarball into a scratch project that has only its declared
// dependencies (sibling @ecrkit packages from their own tarballs), and imported there with
// plain Node: no workspace links, no source condition; each bin must print its help.
// Writes reports/check-packages.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } });

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir: join(root, 'packages', dir), json: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter((p) => !p.json.private);
const only = process.argv.slice(2);
const checked = only.length > 0 ? packages.filter((p) => only.includes(p.json.name)) : packages;

run('npx', ['nx', 'run-many', '-t', 'build', '--projects', packages.map((p) => p.json.name).join(',')], root);

const scratch = mkdtempSync(join(tmpdir(), 'ecrkit-check-'));
const tarballs = new Map();
for (const p of packages) {
  const out = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', scratch], p.dir));
  tarballs.set(p.json.name, { file: join(scratch, out[0].filename), files: out[0].files.map((f) => f.path) });
}

const results = [];
for (const p of checked) {
  const name = p.json.name;
  const problems = [];
  const { files } = tarballs.get(name);
  for (const [subpath, entry] of Object.entries(p.json.exports)) {
    for (const condition of ['types', 'import']) {
      const target = entry[condition]?.replace(/^\.\//, '');
      if (!target || !files.includes(target)) problems.push(`export '${subpath}' ${condition} -> ${entry[condition]} is not in the tarball`);
    }
  }
  if (files.some((f) => f.endsWith('.test.js') || f.startsWith('src/'))) problems.push('tarball ships tests or sources');

  const project = join(scratch, name.replace('/', '__'));
  mkdirSync(project);
  const deps = {};
  for (const [dep, range] of Object.entries(p.json.dependencies ?? {})) deps[dep] = tarballs.get(dep) ? `file:${tarballs.get(dep).file}` : range;
  deps[name] = `file:${tarballs.get(name).file}`;
  // Sibling tarballs depend on each other by version; point npm at the local files instead.
  const overrides = Object.fromEntries([...tarballs].map(([n, t]) => [n, `file:${t.file}`]));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module', dependencies: deps, overrides }, null, 2));
  try {
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'], project);
    for (const subpath of Object.keys(p.json.exports)) {
      const specifier = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
      const script = `const m = await import(${JSON.stringify(specifier)}); if (Object.keys(m).length === 0) { console.error('no exports'); process.exit(1); }`;
      run('node', ['--input-type=module', '-e', script], project);
    }
    // Each bin, as npm linked it, must start and print its help.
    const bins = typeof p.json.bin === 'string' ? [name.split('/').pop()] : Object.keys(p.json.bin ?? {});
    for (const bin of bins) run(join(project, 'node_modules', '.bin', bin), ['--help'], project);
  } catch (err) {
    problems.push(
      `install or import failed: ${String(err.stderr || err.message)
        .split('\n')
        .slice(0, 6)
        .join(' | ')}`,
    );
  }
  results.push({ name, ok: problems.length === 0, problems });
  console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${name}${problems.map((x) => `\n     ${x}`).join('')}`);
}

rmSync(scratch, { recursive: true, force: true });
mkdirSync(join(root, 'reports'), { recursive: true });
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
writeFileSync(join(root, 'reports', 'check-packages.json'), JSON.stringify({ passed, failed, results }, null, 2));
process.exit(failed > 0 ? 1 : 0);
