import { readFile } from 'node:fs/promises';
import { metrics, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
  trace.disable();
  metrics.disable();
});

describe('README: a complete OpenTelemetry set-up', () => {
  it('is the example this test runs, verbatim', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const example = await readFile(new URL('./otelExample.ts', import.meta.url), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it('records a span per call with the transport’s spans under it, the metrics and a log line, as its comments show', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    await import('./otelExample.js');
    const example = await readFile(new URL('./otelExample.ts', import.meta.url), 'utf8');
    const expected = [...example.matchAll(/^\/\/ (ECR\.|ecr\.circuit).*$/gm)].map((m) => m[0].slice(3));
    expect(lines.filter((l) => !l.startsWith('log '))).toEqual(expected);
    expect(lines.filter((l) => l.startsWith('log '))).toEqual(['log {"module":"pipeline","event_type":"API_ERROR","ecr":{"operat']);
  });
});
