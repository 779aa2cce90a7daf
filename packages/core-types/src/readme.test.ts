// Runs the README's example block, so the README cannot drift from the code.
import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import ts from 'typescript';
import { expect, it } from 'vitest';
import * as core from '@ecrkit/core-types';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = readme.split('## Example')[1]?.match(/```ts\n([\s\S]*?)```/)?.[1];

it('the README example runs and prints what its comments say', async () => {
  expect(example, 'README.md has a ```ts block under "## Example"').toBeDefined();
  const source = (example ?? '').replace(/import\s*\{([^}]*)\}\s*from\s*'@ecrkit\/core-types';/, (_m, names: string) => `const {${names}} = __core;`);
  expect(source).not.toMatch(/^import /m);
  const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  const printed: string[] = [];
  const fakeConsole = { log: (...args: unknown[]) => printed.push(format(...args)) };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  await new AsyncFunction('__core', 'console', js)(core, fakeConsole);
  const expected = [...(example ?? '').matchAll(/\/\/ → (.*)$/gm)].map((m) => m[1]);
  expect(expected.length).toBeGreaterThan(5);
  expect(printed).toEqual(expected);
});
