import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliRoot, explain, runCli, runMany, tempDir } from './runCli.js';
import { ecrkitInvocations } from './shellCommands.js';

// The README's quick start is executable documentation: every `ecrkit` line in it runs, in order,
// in a fresh directory (so the default state location is used), and succeeds.
const readme = readFileSync(join(cliRoot, 'README.md'), 'utf8');
const block = /<!-- quickstart:begin -->\s*```sh\n([\s\S]*?)```\s*<!-- quickstart:end -->/.exec(readme)?.[1] ?? '';
const lines = block
  .split('\n')
  .map((l) => l.replace(/\s+#.*$/, '').trim())
  .filter(Boolean);
// Setup lines the test stands in for: the workspace is installed and `npm start` is `ecrkit demo`
// (run by sim.test.ts); `npx ecrkit` is how the test starts the CLI (.ci/run runs it for real).
const setup = new Set(['npm ci', 'npm start']);
const ecrkit = 'npx ecrkit ';

describe('README quick start', () => {
  it('has a quick start, and every line is setup or an ecrkit command', () => {
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(setup.has(line) || line.startsWith(ecrkit), line).toBe(true);
  });

  it('runs every command, in order, with exit 0', async () => {
    const cwd = tempDir();
    try {
      const commands = lines.filter((l) => l.startsWith(ecrkit)).flatMap(ecrkitInvocations);
      for (const args of commands) {
        const r = await runCli(args, { cwd: cwd.path });
        expect(r.code, explain(args, r)).toBe(0);
        expect(r.stdout.length, explain(args, r)).toBeGreaterThan(0);
      }
      expect(existsSync(join(cwd.path, '.ecrkit', 'sim-state.json'))).toBe(true);
    } finally {
      cwd.remove();
    }
  }, 90_000);

  it('runs the --query examples of "Output for scripts", each printing a result', async () => {
    const examples = (/<!-- scripts:begin -->\s*```sh\n([\s\S]*?)```\s*<!-- scripts:end -->/.exec(readme)?.[1] ?? '').split('\n').flatMap(ecrkitInvocations);
    expect(examples.length).toBeGreaterThanOrEqual(4);
    const cwd = tempDir();
    try {
      const results = await runMany(examples, { cwd: cwd.path }, 2);
      for (const [i, args] of examples.entries()) {
        expect(results[i]!.code, explain(args, results[i]!)).toBe(0);
        expect(results[i]!.stdout.trim().length, explain(args, results[i]!)).toBeGreaterThan(0);
      }
    } finally {
      cwd.remove();
    }
  }, 60_000);

  it('documents every exit code', () => {
    for (const code of ['| 0 |', '| 1 |', '| 2 |', '| 3 |', '| 4 |', '| 5 |', '| 6 |']) expect(readme).toContain(code);
  });
});

// The deploy section runs the same way, on copies of the fixture files, each line with the exit
// code its comment names (0 when it names none).
const deployBlock = /<!-- deploy:begin -->\s*```sh\n([\s\S]*?)```\s*<!-- deploy:end -->/.exec(readme)?.[1] ?? '';
const deployLines = deployBlock.split('\n').filter((l) => l.trim());

describe('README deploy section', () => {
  it('runs every command, in order, with the exit code it documents', async () => {
    expect(deployLines.length).toBeGreaterThan(4);
    const cwd = tempDir();
    try {
      mkdirSync(join(cwd.path, 'deploy'));
      for (const file of ['web.yaml', 'task.json', 'function.json'])
        copyFileSync(join(cliRoot, 'test', 'fixtures', 'deploy', file), join(cwd.path, 'deploy', file));
      const before = readFileSync(join(cwd.path, 'deploy', 'web.yaml'), 'utf8');
      for (const line of deployLines) {
        expect(line.startsWith('ecrkit '), line).toBe(true);
        const code = Number(/# exits (\d+)/.exec(line)?.[1] ?? 0);
        const [args = []] = ecrkitInvocations(line);
        const r = await runCli(args, { cwd: cwd.path });
        expect(r.code, explain(args, r)).toBe(code);
        expect(r.stdout.length, explain(args, r)).toBeGreaterThan(0);
      }
      const after = readFileSync(join(cwd.path, 'deploy', 'web.yaml'), 'utf8');
      expect(after).not.toBe(before);
      expect(after).toContain('# the quoting, the flow mappings and the document markers stay as they are.');
      expect(after).not.toMatch(/dkr\.ecr\.us-east-1\.amazonaws\.com\/[a-z-]+:/);
    } finally {
      cwd.remove();
    }
  }, 120_000);
});
