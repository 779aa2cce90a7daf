// `npm test`: the style check (biome ci), every project's typecheck and tests and the build (one
// nx run, cached), then the packaging check; each step runs even when an earlier one failed, so
// the total is complete. Ends with `N passed, M failed` (tools/ci/summarize.mjs) and exits 1 on
// any failure. Unattended anywhere: no nx daemon, terminal UI, cloud or prompt (nx.json sets
// "analytics": false, nx's documented answer to its usage-data question).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspacePackages } from '../build/packageLayout.mjs';
import { summarize } from './summarize.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const env = {
  ...process.env,
  PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`,
  NX_DAEMON: 'false',
  NX_TUI: 'false',
  NX_NO_CLOUD: 'true',
};
// The workspaces of package.json, as nx finds them: a new package is in the run without an edit here.
const projects = [...workspacePackages().values()];

// Reports of an earlier run must not count (nx restores a cached test task's report itself).
rmSync(join(root, 'reports'), { recursive: true, force: true });
for (const dir of projects) rmSync(join(dir, 'reports'), { recursive: true, force: true });

const steps = [];
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' }).status === 0;

steps.push({ name: 'style: biome ci .', ok: run('biome', ['ci', '.']) });

const nxStarted = Date.now();
// Static output: each task's log once it ends, the same in a terminal as in a CI log (no redraws).
run('nx', ['run-many', '-t', 'typecheck', 'test', 'build', '--output-style=static']);
steps.push(...typecheckResults(nxStarted));

run(process.execPath, [join(root, 'tools', 'check-packages', 'checkPackages.mjs')]);

mkdirSync(join(root, 'reports'), { recursive: true });
writeFileSync(join(root, 'reports', 'steps.json'), `${JSON.stringify(steps, null, 2)}\n`);
const { passed, failed, problems } = summarize();
console.log('');
for (const p of problems) console.log(p);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

/**
 * One check per project with a typecheck script, from the run summary nx writes after every run
 * (.nx/cache/run.json: each task's exit status); a project whose typecheck did not run fails.
 */
function typecheckResults(since) {
  const expected = projects
    .map((dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')))
    .filter((pkg) => pkg.scripts?.typecheck)
    .map((pkg) => pkg.name);
  const summary = join(resolve(root, process.env.NX_CACHE_DIRECTORY ?? join('.nx', 'cache')), 'run.json');
  const tasks = existsSync(summary) && statSync(summary).mtimeMs >= since ? JSON.parse(readFileSync(summary, 'utf8')).tasks : [];
  return expected.map((name) => {
    const task = tasks.find((t) => t.projectName === name && t.target === 'typecheck');
    return { name: `typecheck: ${name}${task ? '' : ' (did not run)'}`, ok: task?.status === 0 };
  });
}
