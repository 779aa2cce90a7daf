// Sums the real results of one `npm test` run (tools/ci/test.mjs) into `N passed, M failed`:
//   - reports/steps.json: the style check and each project's typecheck (one check each);
//   - every vitest JSON report (<workspace package>/reports/vitest.json): one per test;
//   - reports/check-packages.json: one per packaging check.
// A project with a test script but no report counts as failed (its tests did not run or crashed);
// so does a missing steps or packaging report. As a command (`.ci/run` uses it) it takes extra
// checks as `--check "name=pass|fail"`, prints the problems, then the total line last, and exits
// 1 on any failure or when nothing passed.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspacePackages } from '../build/packageLayout.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Reads the reports of the last run; `extra` are further `{ name, ok }` checks. */
export function summarize(extra = []) {
  let passed = 0;
  let failed = 0;
  const problems = [];
  const count = (name, ok) => {
    if (ok) passed += 1;
    else {
      failed += 1;
      problems.push(`failed: ${name}`);
    }
  };

  const steps = join(root, 'reports', 'steps.json');
  if (existsSync(steps)) for (const step of readJson(steps)) count(step.name, step.ok);
  else count('npm test steps (no reports/steps.json: tools/ci/test.mjs did not finish)', false);

  // The workspaces of package.json, so a new package's tests count without an edit here.
  for (const dir of [...workspacePackages().values()].sort()) {
    const where = relative(root, dir);
    if (!readJson(join(dir, 'package.json')).scripts?.test) continue;
    const report = join(dir, 'reports', 'vitest.json');
    if (!existsSync(report)) {
      count(`${where}: no test report (its tests did not run or crashed)`, false);
      continue;
    }
    const r = readJson(report);
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    for (const file of r.testResults ?? []) {
      for (const t of file.assertionResults ?? []) if (t.status === 'failed') problems.push(`failed: ${where}: ${t.fullName}`);
    }
    // A file that did not load or a hook that failed leaves no failed test behind: count it once.
    if (r.numFailedTestSuites > 0 && r.numFailedTests === 0)
      count(`${where}: ${r.numFailedTestSuites} suite(s) failed outside any test (a hook, or a file that did not load)`, false);
  }

  const packageCheck = join(root, 'reports', 'check-packages.json');
  if (existsSync(packageCheck)) for (const r of readJson(packageCheck).results) count(`check:packages: ${r.name}`, r.ok);
  else count('check:packages: no report', false);

  for (const e of extra) count(e.name, e.ok);
  return { passed, failed, problems };
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const extra = [];
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i += 1) {
    const match = args[i] === '--check' ? /^(.*)=(pass|fail)$/.exec(args[i + 1] ?? '') : null;
    if (!match) {
      console.error(`usage: summarize.mjs [--check "name=pass|fail"]...`);
      process.exit(2);
    }
    extra.push({ name: match[1], ok: match[2] === 'pass' });
    i += 1;
  }
  const { passed, failed, problems } = summarize(extra);
  for (const p of problems) console.log(p);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
}
