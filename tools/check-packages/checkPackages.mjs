// `npm run check:packages [-- <package name>...]`: proves each publishable package works the way a
// consumer gets it, from its tarball, with nothing but its declared dependencies.
//   - repository rules: install scripts reviewed, AWS SDK ranges pinned, one Node floor;
//   - every publishable package (private: false, a workspace of package.json: a new one is found)
//     is built and packed; its packaging fields (license, repository, engines, exports, files,
//     build scripts) are the layout's (tools/build/packageLayout.mjs); its tarball holds only
//     dist/, src/ without tests, README, LICENSE; every export condition's file is in it; every
//     source map resolves;
//   - each tarball is installed alone (siblings from their tarballs) into a scratch project by npm
//     running on the lowest supported Node with --engine-strict, so a dependency that needs a
//     newer Node fails here; `tsc --strict --module nodenext` type-checks an ES and a CommonJS
//     consumer of every export with no ambient types, and an ES and a CommonJS consumer import
//     every export (the same names both ways) and start every bin on each supported Node;
//   - a consumer project with every package that has exports type-checks and runs the README
//     example, and runs a vitest test and a Jest test (default CommonJS mode) that use the
//     simulation (and, under Jest, both transports) and load every export of every package,
//     expecting the names Node's own import gives (consumer/);
//   - `npm install -g` of the CLI's tarball alone, into a temporary prefix, gives an `ecrkit`
//     that lists the demo repositories.
// Other Node versions come from the npm registry (node-<os>-<arch> packages), Jest from a pinned
// lockfile (toolchain/); both are cached under node_modules/.cache. Prints one line per check and
// writes reports/check-packages.json ({ passed, failed, results }); exits 1 on any failure.
// ECRKIT_CHECK_KEEP=1 keeps the scratch projects for a look.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { exportEntry, layoutDifferences, packageLayout, root, workspacePackages } from '../build/packageLayout.mjs';

/** The packages the consumer project's README example and tests use by name; it installs every package with exports. */
const consumerNeeds = ['@ecrkit/core-types', '@ecrkit/services', '@ecrkit/simulation', '@ecrkit/transport-sigv4', '@ecrkit/transport-sdk'];
/** The newest Node 22 the consumers run on (a deliberate upgrade, like the AWS SDK pins). */
const NODE_22 = '22.23.5';
const here = join(root, 'tools', 'check-packages');
const cache = join(root, 'node_modules', '.cache', 'ecrkit-check-packages');
const rootPkg = readJson(join(root, 'package.json'));
const minNode = /^>=(\d+\.\d+\.\d+)$/.exec(rootPkg.engines?.node ?? '')?.[1];
const only = process.argv.slice(2);
const started = performance.now();
const results = [];

const publishable = [...workspacePackages()]
  .map(([name, dir]) => ({ name, dir, json: readJson(join(dir, 'package.json')) }))
  .filter((p) => !p.json.private)
  .sort((a, b) => a.name.localeCompare(b.name));
const checked = only.length > 0 ? publishable.filter((p) => only.includes(p.name)) : publishable;
const scratch = mkdtempSync(join(tmpdir(), 'ecrkit-check-'));

try {
  await repositoryChecks();
  const built = await check('build every publishable package', async () => {
    await run('npx', ['nx', 'run-many', '-t', 'build', '--projects', publishable.map((p) => p.name).join(','), '--output-style=static'], { cwd: root });
  });
  if (built) {
    const [tarballs, nodes, jest] = await Promise.all([packAll(), nodeVersions(), installJest()]);
    await pool(checked, 2, (p) => checkPackage(p, tarballs, nodes));
    if (consumerNeeds.every((name) => tarballs.has(name))) await checkConsumer(tarballs, nodes, jest);
    if (tarballs.has('@ecrkit/cli') && checked.some((p) => p.name === '@ecrkit/cli')) await checkGlobalCli(tarballs.get('@ecrkit/cli').file, nodes);
  }
} finally {
  if (process.env.ECRKIT_CHECK_KEEP) console.log(`scratch projects kept in ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
mkdirSync(join(root, 'reports'), { recursive: true });
writeFileSync(join(root, 'reports', 'check-packages.json'), `${JSON.stringify({ passed, failed, results }, null, 2)}\n`);
console.log(`check:packages: ${passed} passed, ${failed} failed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed > 0 ? 1 : 0);

// ---------------------------------------------------------------------------------------------

async function repositoryChecks() {
  await check('install scripts of dependencies are reviewed (allowScripts in package.json)', async () => {
    const { stdout } = await run('npm', ['install-scripts', 'ls', '--json'], { cwd: root });
    const pending = JSON.parse(stdout).allowScripts;
    if (!Array.isArray(pending) || pending.length > 0) throw new Error(`review with \`npm install-scripts approve|deny <pkg>\`: ${JSON.stringify(pending)}`);
  });
  await check('AWS SDK ranges are pinned (~ or exact), so a release that needs a newer Node is a deliberate upgrade', () => {
    const loose = [];
    for (const [name, dir] of workspacePackages()) {
      const json = readJson(join(dir, 'package.json'));
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
        for (const [dep, range] of Object.entries(json[field] ?? {})) {
          if (dep.startsWith('@aws-sdk/') && !/^~?\d+\.\d+\.\d+$/.test(range)) loose.push(`${name} ${field}.${dep}: ${range}`);
        }
      }
    }
    if (loose.length > 0) throw new Error(loose.join('\n'));
  });
  // Each package states the same floor: engines is one of the layout's fields (tarball check).
  await check(`the root states the Node floor as engines.node ">=X.Y.Z" (${rootPkg.engines?.node})`, () => {
    if (!minNode) throw new Error(`root engines.node must read ">=X.Y.Z", not ${JSON.stringify(rootPkg.engines?.node)}`);
  });
}

async function packAll() {
  const tarballs = new Map();
  const dest = join(scratch, 'tarballs');
  mkdirSync(dest);
  await pool(publishable, 4, async (p) => {
    // --ignore-scripts: the build above is the build; `prepare` only builds bins for the workspace.
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], { cwd: p.dir });
    const [out] = JSON.parse(stdout);
    tarballs.set(p.name, { file: join(dest, out.filename), files: out.files.map((f) => f.path) });
  });
  return tarballs;
}

async function checkPackage(p, tarballs, nodes) {
  const { files } = tarballs.get(p.name);
  let layout;
  try {
    layout = packageLayout(p.dir);
  } catch (err) {
    await check(`${p.name}: export map and bins in the one layout (tools/build/packageLayout.mjs)`, () => Promise.reject(err));
    return;
  }
  await check(`${p.name}: tarball contents, fields and source maps`, () => tarballProblems(p, layout, files));

  const project = join(scratch, p.name.replace('/', '__'));
  const installed = await check(`${p.name}: installs alone on Node ${minNode} (engine-strict)`, () => installInto(project, [p.name], tarballs, nodes));
  if (!installed) return;

  const specifiers = specifiersOf(p.name, layout);
  if (specifiers.length > 0) {
    await check(`${p.name}: types check in an ES and a CommonJS consumer (tsc --strict --module nodenext, no ambient types)`, () =>
      typeCheck(project, {
        'consumer.mts': `${specifiers.map((s, i) => `import * as m${i} from '${s}';\n`).join('')}export const loaded = [${specifiers.map((_, i) => `m${i}`)}];\n`,
        'consumer.cts': `${specifiers.map((s, i) => `import m${i} = require('${s}');\n`).join('')}export const loaded = [${specifiers.map((_, i) => `m${i}`)}];\n`,
      }),
    );
  }
  writeExportScripts(project, specifiers);
  for (const node of nodes) {
    await check(`${p.name}: ES and CommonJS consumers${layout.bins.length > 0 ? ` and bins (--help)` : ''} on Node ${node.version}`, async () => {
      if (specifiers.length > 0) {
        const esm = JSON.parse((await run(node.path, ['exports.mjs'], { cwd: project })).stdout);
        const cjs = JSON.parse((await run(node.path, ['exports.cjs'], { cwd: project })).stdout);
        for (const s of specifiers) {
          const esmNames = esm[s];
          if (esmNames.length === 0) throw new Error(`import('${s}') has no exports`);
          if (JSON.stringify(esmNames) !== JSON.stringify(cjs[s]))
            throw new Error(`require('${s}') and import('${s}') export different names:\n  import: ${esmNames}\n  require: ${cjs[s]}`);
        }
      }
      for (const bin of layout.bins) {
        const { stdout } = await run(join(project, 'node_modules', '.bin', bin.name), ['--help'], { cwd: project, env: node.env });
        if (!/usage/i.test(stdout)) throw new Error(`${bin.name} --help printed no usage:\n${stdout}`);
      }
    });
  }
}

/** The import specifiers of a package's exports: `@ecrkit/x`, `@ecrkit/x/sub`. */
function specifiersOf(name, layout) {
  return layout.exports.map((e) => (e.subpath === '.' ? name : `${name}/${e.subpath.slice(2)}`));
}

/** exports.mjs and exports.cjs print, as JSON, the names each specifier exports when imported / required. */
function writeExportScripts(project, specifiers) {
  const script = (names) =>
    `const names = {};\nfor (const s of ${JSON.stringify(specifiers)}) names[s] = ${names}.sort();\nconsole.log(JSON.stringify(names));\n`;
  // `default` and `module.exports` are what Node adds when ES code imports CommonJS, not names of ours.
  writeFileSync(join(project, 'exports.mjs'), script(`Object.keys(await import(s)).filter((n) => n !== 'default' && n !== 'module.exports')`));
  writeFileSync(join(project, 'exports.cjs'), script('Object.keys(require(s))'));
}

function tarballProblems(p, layout, files) {
  const problems = [];
  const has = new Set(files);
  const json = p.json;
  const differing = layoutDifferences(p.dir);
  if (differing.length > 0) problems.push(`${differing.join(', ')} not in the layout: npm run package:layout -- ${posix.relative(root, p.dir)}`);
  for (const required of ['package.json', 'README.md', 'LICENSE']) if (!has.has(required)) problems.push(`${required} is not in the tarball`);
  if (existsSync(join(p.dir, 'LICENSE')) && readFileSync(join(p.dir, 'LICENSE'), 'utf8') !== readFileSync(join(root, 'LICENSE'), 'utf8')) {
    problems.push('LICENSE differs from the repository LICENSE');
  }
  for (const f of files) {
    if (/(^|\/)test\/|\.test(-d)?\.[cm]?[jt]s$/.test(f)) problems.push(`ships a test file: ${f}`);
    else if (!/^(package\.json|README\.md|LICENSE)$|^dist\//.test(f) && !(layout.shipsSources && f.startsWith('src/'))) problems.push(`ships ${f}`);
  }
  for (const e of layout.exports) {
    const entry = exportEntry(`./${e.source}`);
    for (const target of [entry.import.types, entry.import.default, entry.require.types, entry.require.default]) {
      if (!has.has(target.slice(2))) problems.push(`export '${e.subpath}': ${target} is not in the tarball`);
    }
  }
  for (const bin of layout.bins) if (!has.has(`dist/${bin.out}`)) problems.push(`bin ${bin.name}: dist/${bin.out} is not in the tarball`);
  for (const field of ['main', 'types'])
    if (json[field] && !has.has(json[field].replace(/^\.\//, ''))) problems.push(`${field} ${json[field]} is not in the tarball`);
  for (const map of files.filter((f) => f.endsWith('.map'))) {
    const { sources, sourcesContent } = readJson(join(p.dir, map));
    sources.forEach((source, i) => {
      const resolved = posix.normalize(posix.join(posix.dirname(map), source));
      if (typeof sourcesContent?.[i] !== 'string' && !has.has(resolved)) problems.push(`${map}: source ${source} is neither in the tarball nor inlined`);
    });
  }
  if (problems.length > 0) throw new Error(problems.slice(0, 12).join('\n') + (problems.length > 12 ? `\n… and ${problems.length - 12} more` : ''));
}

/** Installs the named packages from their tarballs, siblings from theirs, third-party from the registry. */
async function installInto(project, names, tarballs, nodes) {
  mkdirSync(project, { recursive: true });
  const fileOf = (name) => `file:${tarballs.get(name).file}`;
  // Siblings depend on each other by version; point npm at the local tarballs instead.
  const overrides = Object.fromEntries([...tarballs.keys()].map((n) => [n, fileOf(n)]));
  const dependencies = Object.fromEntries(names.map((n) => [n, fileOf(n)]));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies, overrides }, null, 2));
  // npm itself runs on the lowest supported Node, so --engine-strict judges every dependency by it.
  const lowest = nodes.find((n) => n.version === minNode) ?? nodes[0];
  const npmCli = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? process.env.npm_execpath : undefined;
  const [cmd, pre] = npmCli ? [lowest.path, [npmCli]] : ['npm', []];
  await run(cmd, [...pre, 'install', '--engine-strict', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'], {
    cwd: project,
    env: lowest.env,
  });
}

/** Type-checks `files` (name to text; null for a file already there) as a strict nodenext consumer. */
async function typeCheck(project, files, flags = []) {
  for (const [name, text] of Object.entries(files)) if (text !== null) writeFileSync(join(project, name), text);
  const tsconfig = {
    // A plain consumer: nothing ambient (`types: []`), so every Node type a declaration needs must
    // come from a dependency, and every declaration is checked (only TypeScript's own lib files are not).
    compilerOptions: {
      strict: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      types: [],
      noEmit: true,
      skipLibCheck: false,
      skipDefaultLibCheck: true,
    },
    files: Object.keys(files),
  };
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', ...flags], { cwd: project });
}

/**
 * One project with every package that has exports (new ones included, as they are found): the
 * README example, and a vitest and a Jest test that use the simulation and both transports and
 * load every export of every package, expecting the names a plain ES import gives.
 */
async function checkConsumer(tarballs, nodes, jest) {
  const project = join(scratch, 'consumer');
  const members = [];
  for (const p of publishable) {
    try {
      const specifiers = specifiersOf(p.name, packageLayout(p.dir));
      if (specifiers.length > 0) members.push({ name: p.name, specifiers });
    } catch {
      // The package's own check reports its layout.
    }
  }
  const names = members.map((m) => m.name);
  if (!(await check(`consumer: ${names.join(', ')} install together on Node ${minNode}`, () => installInto(project, names, tarballs, nodes)))) {
    return;
  }
  const pkg = readJson(join(project, 'package.json'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ ...pkg, type: 'module' }, null, 2));
  writeExportScripts(
    project,
    members.flatMap((m) => m.specifiers),
  );
  const exportNames = await check('consumer: every export of every package imports with names', async () => {
    const { stdout } = await run(process.execPath, ['exports.mjs'], { cwd: project });
    const found = JSON.parse(stdout);
    const empty = Object.keys(found).filter((s) => found[s].length === 0);
    if (empty.length > 0) throw new Error(`no exports: ${empty.join(', ')}`);
    return stdout;
  });
  cpSync(join(root, 'packages', 'services', 'test', 'readme.example.ts'), join(project, 'readme.example.ts'));
  const compiled = await check('consumer: the README example type-checks (tsc --strict --module nodenext) and compiles', () =>
    typeCheck(project, { 'readme.example.ts': null }, ['--noEmit', 'false', '--outDir', 'out']),
  );
  for (const node of compiled ? nodes : []) {
    await check(`consumer: the README example runs on Node ${node.version}`, async () => {
      const { stdout } = await run(node.path, ['out/readme.example.js'], { cwd: project });
      if (!/deployable/.test(stdout)) throw new Error(`unexpected output:\n${stdout}`);
    });
  }
  if (!exportNames) return;
  mkdirSync(join(project, 'vitest'));
  cpSync(join(here, 'consumer', 'consumer.vitest.test.ts'), join(project, 'vitest', 'consumer.test.ts'));
  writeFileSync(join(project, 'vitest', 'exports.json'), exportNames);
  mkdirSync(join(project, 'jest'));
  writeFileSync(join(project, 'jest', 'package.json'), JSON.stringify({ name: 'jest-consumer', private: true }));
  cpSync(join(here, 'consumer', 'consumer.jest.test.js'), join(project, 'jest', 'consumer.test.js'));
  writeFileSync(join(project, 'jest', 'exports.json'), exportNames);
  for (const node of nodes) {
    // vitest 4 itself needs Node 20.19 or 22.12.
    if (node.version !== minNode) {
      await check(`consumer: a vitest test of the simulation and of every export on Node ${node.version}`, () =>
        run(node.path, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', 'vitest', '--reporter=dot'], { cwd: project }),
      );
    }
    await check(`consumer: a Jest test (default CommonJS mode) of the simulation, both transports and every export on Node ${node.version}`, () =>
      run(node.path, [jest, '--rootDir', 'jest', '--ci', '--cacheDirectory', join(scratch, 'jest-cache')], { cwd: project }),
    );
  }
}

async function checkGlobalCli(tarball, nodes) {
  const prefix = join(scratch, 'global');
  const installed = await check('cli: npm install -g of its tarball alone', () =>
    run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball], { cwd: scratch }),
  );
  if (!installed) return;
  for (const node of nodes) {
    await check(`cli: the installed ecrkit lists the demo repositories on Node ${node.version}`, async () => {
      const cwd = mkdtempSync(join(scratch, 'cli-'));
      const env = { ...node.env, PATH: `${join(prefix, 'bin')}:${node.env.PATH}` };
      await run('ecrkit', ['--help'], { cwd, env });
      const { stdout } = await run('ecrkit', ['repos', '--output', 'json'], { cwd, env });
      if (!stdout.includes('web-app')) throw new Error(`ecrkit repos did not list web-app:\n${stdout}`);
    });
  }
}

// ---------------------------------------------------------------------------------------------

/** The Node versions the consumers run on: the floor, this one, and Node 22, from the registry. */
async function nodeVersions() {
  const current = { version: process.versions.node, path: process.execPath, env: envWithNode(process.execPath) };
  const wanted = [...new Set([minNode, NODE_22])].filter((v) => v && v !== current.version);
  const nodes = [current];
  for (const version of wanted) {
    const got = await check(`Node ${version} from the npm registry (node-${process.platform}-${process.arch})`, () => fetchNode(version));
    if (got) nodes.push({ version, path: got, env: envWithNode(got) });
  }
  return nodes.sort((a, b) => a.version.localeCompare(b.version, undefined, { numeric: true }));
}

async function fetchNode(version) {
  const name = `node-${process.platform}-${process.arch}`;
  const dir = join(cache, `${name}-${version}`);
  const binary = join(dir, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { stdout } = await run('npm', ['pack', `${name}@${version}`, '--json', '--prefer-offline', '--pack-destination', dir], { cwd: dir });
  await run('tar', ['-xzf', JSON.parse(stdout)[0].filename], { cwd: dir });
  const { stdout: reported } = await run(binary, ['--version'], { cwd: dir });
  if (reported.trim() !== `v${version}`) throw new Error(`${binary} reports ${reported.trim()}`);
  return binary;
}

/** Jest from toolchain/package-lock.json, installed once per lockfile into the cache. */
async function installJest() {
  const lock = readFileSync(join(here, 'toolchain', 'package-lock.json'));
  const dir = join(cache, `toolchain-${createHash('sha256').update(lock).digest('hex').slice(0, 12)}`);
  const bin = join(dir, 'node_modules', 'jest', 'bin', 'jest.js');
  if (existsSync(bin)) return bin;
  await check('Jest for the CommonJS consumer (toolchain/package-lock.json)', async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const f of ['package.json', 'package-lock.json']) cpSync(join(here, 'toolchain', f), join(dir, f));
    await run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'], { cwd: dir });
  });
  return bin;
}

function envWithNode(nodePath) {
  return { ...process.env, PATH: `${dirname(nodePath)}:${process.env.PATH}`, NX_DAEMON: 'false', NO_COLOR: '1', FORCE_COLOR: '0' };
}

/** Runs one named check; records and prints its result; resolves to its value, or false on failure. */
async function check(name, fn) {
  const t0 = performance.now();
  try {
    const value = await fn();
    results.push({ name, ok: true, ms: Math.round(performance.now() - t0) });
    console.log(`ok   ${name}`);
    return value ?? true;
  } catch (err) {
    const problem = String(err?.message ?? err);
    results.push({ name, ok: false, ms: Math.round(performance.now() - t0), problems: [problem] });
    console.log(`FAIL ${name}\n${problem.replace(/^/gm, '     ')}`);
    return false;
  }
}

function run(cmd, args, { cwd, env = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' } }) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else {
        const tail = `${stderr}\n${stdout}`.trim().split('\n').slice(-25).join('\n');
        reject(new Error(`${posix.basename(cmd)} ${args.join(' ')} exited ${code}:\n${tail}`));
      }
    });
  });
}

async function pool(items, size, fn) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(size, queue.length) }, async () => {
      while (queue.length > 0) await fn(queue.shift());
    }),
  );
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}
