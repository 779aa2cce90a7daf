import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

// The "Server, bin and recording" README example, run verbatim in a plain Node process (the
// AWS SDK does not load under vitest's resolve conditions; see support/awsSdkWorker.cjs).

test('the README server example runs and prints what it says', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Server, bin and recording'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
  const file = fileURLToPath(new URL('./.readme-server-example.mts', import.meta.url));
  writeFileSync(file, block);
  try {
    const run = spawnSync(process.execPath, ['--conditions=@ecrkit/source', '--import', 'tsx', file], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
      // The expected text is uncoloured, whatever colour settings the runner passes down.
      env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0', NO_COLOR: '1' },
      timeout: 30_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe("[ [ 'v1' ] ]");
  } finally {
    rmSync(file, { force: true });
  }
}, 30_000);
