// Garbage in, EcrError out for @ecrkit/simulation (here because the simulation cannot depend on
// this package): every exported function and class, and every method of a SimulatedRegistry.
// runSimulationServer is left out: it installs process signal handlers and listens on the serve
// port; its options are read by resolveServeOptions, which is covered here.
import { isEcrError } from '@ecrkit/core-types';
import * as exported from '@ecrkit/simulation';
import { SimulatedRegistry } from '@ecrkit/simulation';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { describeGarbage, describeGarbageArguments, garbageArgument, realArguments } from './describeGarbageArguments.js';

describeGarbageArguments('@ecrkit/simulation', exported, { skip: ['runSimulationServer'] });

describe('garbage arguments to every SimulatedRegistry method', () => {
  const methods = Object.getOwnPropertyNames(SimulatedRegistry.prototype).filter(
    (name) => name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(SimulatedRegistry.prototype, name)?.value === 'function',
  );
  test('the methods are enumerated', () => {
    expect(methods).toEqual(expect.arrayContaining(['withImage', 'execute', 'loadSeed', 'withScanOutcome', 'configureScanProgression']));
  });
  for (const name of methods) {
    test.prop([fc.array(garbageArgument, { maxLength: 4 })], { numRuns: 30 })(`${name} answers or throws an EcrError`, async (args) => {
      const registry = new SimulatedRegistry().withImage('web-app', { tags: ['v1'] });
      const real = realArguments(args);
      try {
        const out = (registry as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...real);
        if (out instanceof Promise) await Promise.race([out, new Promise((resolve) => setTimeout(resolve, 200))]);
      } catch (error) {
        expect(isEcrError(error), `${name}(${describeGarbage(args)}) threw ${String(error)}`).toBe(true);
      }
    });
  }
});
