import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliRoot, explain, runCli, tempDir } from './runCli.js';

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
      const commands = [...lines.filter((l) => l.startsWith(ecrkit)).map((l) => l.slice(ecrkit.length).split(/\s+/))];
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

  it('documents every exit code', () => {
    for (const code of ['| 0 |', '| 1 |', '| 2 |', '| 3 |', '| 4 |', '| 5 |']) expect(readme).toContain(code);
  });
});
