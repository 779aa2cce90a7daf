import { readFileSync } from 'node:fs';
import { expect, it, vi } from 'vitest';

it('the README replication example is test/replicaStates.example.ts, and it prints what it says', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./replicaStates.example.ts', import.meta.url), 'utf8');
  expect(/<!-- example: test\/replicaStates\.example\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1]).toBe(example);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await import('./replicaStates.example.js');
    const printed = log.mock.calls.map((args) => args.join(' '));
    // Each line the example prints is the comment that follows its console.log.
    const promised = [...example.matchAll(/^console\.log\([^\n]*\n\/\/ (.*)$/gm)].map((m) => m[1]);
    expect(promised).toHaveLength(2);
    expect(printed).toEqual(promised);
  } finally {
    log.mockRestore();
  }
});
