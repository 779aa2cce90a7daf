import { readFileSync } from 'node:fs';
import { expect, it, vi } from 'vitest';

const example = readFileSync(new URL('./readme.example.ts', import.meta.url), 'utf8');
const blockOf = (readme: string) => /<!-- example: packages\/client\/test\/readme\.example\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];

it('the README example is test/readme.example.ts, and it is the first example of the repository README', () => {
  expect(blockOf(readFileSync(new URL('../README.md', import.meta.url), 'utf8'))).toBe(example);
  const root = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  expect(blockOf(root)).toBe(example);
  // The first code example of the front page, not one further down.
  expect(root.indexOf('```ts')).toBe(
    root.indexOf('<!-- example: packages/client/test/readme.example.ts -->') + '<!-- example: packages/client/test/readme.example.ts -->\n'.length,
  );
});

it('runs against the simulation HTTP server from the config alone, retrying through the injected failures', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await import('./readme.example.js');
    const lines = log.mock.calls.map((args) => args.join(' '));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^v1\.2\.3 sha256:[0-9a-f]{64}$/);
    expect(lines.splice(1, 1)).toEqual(['attempts: 3']);
    expect(lines[1]).toMatch(/^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/web-app@sha256:[0-9a-f]{64} deployable$/);
    // The simulation's server is a registry too (/v2/), so its tokens name it as the proxy endpoint.
    expect(lines[2]).toMatch(/^aws ecr get-login-password --region us-east-1 \| docker login --username AWS --password-stdin 127\.0\.0\.1:\d+$/);
  } finally {
    log.mockRestore();
  }
});
