import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The ```ts code blocks of a README, in order. */
export function readmeExamples(readmePath: string): string[] {
  const text = readFileSync(readmePath, 'utf8');
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/**
 * Run one README example as a module beside the README (so its package imports resolve as a
 * user's would), with `env` set for its duration; returns what it logged.
 */
export async function runReadmeExample(readmePath: string, code: string, env: Record<string, string> = {}): Promise<string[]> {
  const file = join(dirname(readmePath), `.readme-example-${process.pid}-${Math.random().toString(36).slice(2)}.ts`);
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const logged: string[] = [];
  const log = console.log;
  writeFileSync(file, code);
  Object.assign(process.env, env);
  console.log = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
  try {
    await import(pathToFileURL(file).href);
  } finally {
    console.log = log;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(file, { force: true });
  }
  return logged;
}
