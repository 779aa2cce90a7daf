import { readFileSync } from 'node:fs';
import { expect, it, vi } from 'vitest';

it('the README deploy example is test/deploy.example.ts, and it runs', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./deploy.example.ts', import.meta.url), 'utf8');
  expect(/<!-- example: test\/deploy\.example\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1]).toBe(example);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await import('./deploy.example.js');
    expect(log.mock.calls.map((args) => args.join(' '))).toEqual([
      'pending us-west-2 consistent, eu-west-1 pending',
      'api:v3 shares 6; worker:v7 shares 3',
      '0 image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/web-app@sha256:…',
    ]);
  } finally {
    log.mockRestore();
  }
});
