import { readFileSync } from 'node:fs';
import { expect, it, vi } from 'vitest';

it('the README registry example is test/registry.example.ts, and it runs', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./registry.example.ts', import.meta.url), 'utf8');
  expect(/<!-- example: test\/registry\.example\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1]).toBe(example);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await import('./registry.example.js');
    expect(log.mock.calls.map((args) => args.join(' '))).toEqual(['replicate Allow ecr:ReplicateImage', 'sha256: IMMUTABLE', 'application/spdx+json ACTIVE']);
  } finally {
    log.mockRestore();
  }
});
