// Garbage in, EcrError out: every public method of the client, fed nulls, numbers where strings
// go, odd objects and throwing getters, rejects or throws only EcrErrors, and sends nothing it
// should not have validated first.
import { fc, test } from '@fast-check/vitest';
import { isEcrError } from '@ecrkit/core-types';
import { describeGarbage, garbageArgument, realArguments } from '@ecrkit/test-utils';
import { describe, expect } from 'vitest';
import type { EcrClient } from '../src/createClient.js';
import { setup } from './fixtures.js';

/** Every method of every service of the client, and the client's own: enumerated, so a method added later is covered the day it lands. */
function methodsOf(client: EcrClient): [string, (args: unknown[]) => unknown][] {
  const out: [string, (args: unknown[]) => unknown][] = [];
  const owner = client as unknown as Record<string, unknown>;
  const add = (name: string, target: Record<string, unknown>, proto: object) => {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || key === 'destroy') continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      if (typeof descriptor?.value !== 'function') continue;
      out.push([name ? `${name}.${key}` : key, (args) => (target[key] as (...a: unknown[]) => unknown)(...args)]);
    }
  };
  for (const key of Object.keys(owner)) {
    const service = owner[key];
    if (typeof service !== 'object' || service === null || Object.getPrototypeOf(service) === Object.prototype) continue;
    add(key, service as Record<string, unknown>, Object.getPrototypeOf(service) as object);
  }
  add('', owner, Object.getPrototypeOf(client) as object);
  return out;
}

/** What a call answers once it has run: a page iterator is drained, a promise awaited (one still pending after a moment counts as answered). */
async function settle(outcome: unknown): Promise<unknown> {
  const value = outcome as { toArray?: () => Promise<unknown> } | null;
  const result = typeof value?.toArray === 'function' ? value.toArray() : outcome;
  if (!(result instanceof Promise)) return result;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([result, new Promise((resolve) => (timer = setTimeout(resolve, 300)))]).finally(() => clearTimeout(timer));
}

describe('garbage arguments', () => {
  const f = setup();
  f.registry.withImage('web-app', { tags: ['v1'] });
  const methods = methodsOf(f.client);
  test('the methods are enumerated, every service included', () => {
    const names = methods.map(([name]) => name);
    for (const expected of [
      'repositories.list',
      'images.findSimilar',
      'registryPolicy.put',
      'referrers.list',
      'accountSettings.put',
      'public.getLoginCommand',
      'getImageForDeployment',
    ]) {
      expect(names).toContain(expected);
    }
  });
  for (const [name, call] of methods) {
    test.prop([fc.array(garbageArgument, { minLength: 0, maxLength: 4 })], { numRuns: 40 })(`${name} rejects with EcrError only`, async (args) => {
      try {
        await settle(call(realArguments(args)));
      } catch (error) {
        expect(isEcrError(error), `${name}(${describeGarbage(args)}) threw ${String(error)}`).toBe(true);
      }
    });
  }
});
