// Sums the real test results: every vitest JSON report plus the package check's report.
// Prints `N passed, M failed` last; exits 1 on any failure, a missing report, or no test at all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
const problems = [];

for (const group of ['packages', 'tools']) {
  for (const name of readdirSync(join(root, group))) {
    const dir = join(root, group, name);
    const pkg = join(dir, 'package.json');
    if (!existsSync(pkg)) continue;
    const scripts = JSON.parse(readFileSync(pkg, 'utf8')).scripts ?? {};
    const report = join(dir, 'reports', 'vitest.json');
    if (scripts.test) {
      if (!existsSync(report)) {
        problems.push(`${group}/${name}: no test report (its tests did not run or crashed)`);
        failed += 1;
        continue;
      }
      const r = JSON.parse(readFileSync(report, 'utf8'));
      passed += r.numPassedTests;
      failed += r.numFailedTests;
      if (r.numFailedTestSuites > 0 && r.numFailedTests === 0) {
        problems.push(`${group}/${name}: ${r.numFailedTestSuites} test file(s) failed to load`);
        failed += r.numFailedTestSuites;
      }
    }
  }
}

const packageCheck = join(root, 'reports', 'check-packages.json');
if (existsSync(packageCheck)) {
  const r = JSON.parse(readFileSync(packageCheck, 'utf8'));
  passed += r.passed;
  failed += r.failed;
} else {
  problems.push('check:packages: no report');
  failed += 1;
}

for (const p of problems) console.log(p);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
