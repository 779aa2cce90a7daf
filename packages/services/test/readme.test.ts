import { readFileSync } from 'node:fs';
import { expect, it, vi } from 'vitest';

it('the README example is test/readme.example.ts, and it runs', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./readme.example.ts', import.meta.url), 'utf8');
  const block = /<!-- example: test\/readme\.example\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(example);

  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await import('./readme.example.js');
    const lines = log.mock.calls.map((args) => args.join(' '));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^v1\.2\.3 sha256:[0-9a-f]{64}$/);
    expect(lines[1]).toMatch(/^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/web-app@sha256:[0-9a-f]{64} deployable$/);
    expect(lines[2]).toBe(
      'aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com',
    );
  } finally {
    log.mockRestore();
  }
});
